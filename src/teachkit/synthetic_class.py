"""A synthetic class: response exports for N simulated students, with facts planted to be found.

Item analysis is only worth trusting if it finds what is really there. This generator makes a
class whose truth is known: every item gets a difficulty, a share of the students holds one
planted misconception (they choose the wrong answer tied to it most of the time, whatever their
ability), and one planted *bad item* rewards weaker students over stronger ones, as an item with
a wrong key would. The report must put the planted misconception on top and flag the bad item.

Students follow a two-parameter logistic model: P(right) = 1 / (1 + exp(−a·(ability − difficulty))),
with abilities drawn from N(0, 1), difficulties from U(−2, 0) (formative quizzes are meant to be
passable: an average student gets 50–90 % of each right), a = 1.7 for ordinary items and a = −1.7
for the bad one. Some students stop part-way through
the module; some retry items they got wrong. Every answer is scored by the course's own scorer,
so the records are exactly what a student's notebook would have written.

Everything is drawn from one seeded generator and stamped with fixed times: the same seed gives
the same files, byte for byte. The data are synthetic and say so in `planted-facts.json`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .analytics import ItemInfo, catalogue_from_banks, revealable
from .quiz.model import (
    Bank,
    Matching,
    MultipleChoice,
    Numeric,
    ShortText,
    SingleChoice,
    TrueFalse,
    score_answer,
)
from .quiz.session import Entry, record_for
from .responses import EXPORT_FORMAT, VERSION, write_json_atomic

DISCRIMINATION = 1.7
HOLDER_CHOOSES = 0.9  # how often a holder picks the planted misconception when an item offers it
START = datetime(2025, 10, 6, 9, 0, tzinfo=timezone.utc)  # a fixed, clearly fictional term start
_ADJECTIVES = (
    "amber",
    "blue",
    "brave",
    "calm",
    "clever",
    "coral",
    "eager",
    "golden",
    "green",
    "jolly",
    "keen",
    "lucky",
    "merry",
    "quiet",
    "rapid",
    "silver",
    "sunny",
    "swift",
    "tidy",
    "witty",
)
_ANIMALS = (
    "badger",
    "beaver",
    "crane",
    "falcon",
    "ferret",
    "heron",
    "ibex",
    "lynx",
    "marten",
    "otter",
    "owl",
    "panda",
    "puffin",
    "raven",
    "robin",
    "seal",
    "stork",
    "tiger",
    "wolf",
    "wren",
)


@dataclass(frozen=True)
class Move:
    """One way to answer an item, with the misconceptions that answer reveals."""

    value: Any
    misconceptions: frozenset[str]


@dataclass(frozen=True)
class PlantedFacts:
    """The truth behind a synthetic class, for tests and for checking a report by eye."""

    seed: int
    students: list[str]
    difficulty: dict[str, float]
    misconception: str
    holders: list[str]
    bad_item: str
    partial: list[str]
    note: str = (
        "Synthetic data made by teachkit.synthetic_class: simulated students, not real "
        "people. The misconception and the bad item were planted on purpose."
    )


def right_value(item: Any) -> Any:
    """An answer the scorer accepts as fully right."""
    if isinstance(item, SingleChoice):
        return next(i for i, o in enumerate(item.options) if o.correct)
    if isinstance(item, MultipleChoice):
        return [i for i, o in enumerate(item.options) if o.correct]
    if isinstance(item, TrueFalse):
        return item.answer
    if isinstance(item, Numeric):
        return item.value if item.range is None else (item.range[0] + item.range[1]) / 2
    if isinstance(item, ShortText):
        return item.accepted[0]
    if isinstance(item, Matching):
        rights = item.right_options
        return [rights.index(p.right) for p in item.pairs]
    raise TypeError(f"no right answer known for item type {type(item).__name__}")


def _candidate_wrong_values(item: Any) -> list[Any]:
    if isinstance(item, SingleChoice):
        return [i for i, o in enumerate(item.options) if not o.correct]
    if isinstance(item, MultipleChoice):
        right = [i for i, o in enumerate(item.options) if o.correct]
        wrong = [i for i, o in enumerate(item.options) if not o.correct]
        values: list[Any] = [[w] for w in wrong] + [sorted(right + [w]) for w in wrong]
        if len(right) > 1:
            values += [[r for r in right if r != left_out] for left_out in right]
        return values
    if isinstance(item, TrueFalse):
        return [not item.answer]
    if isinstance(item, Numeric):
        centre = right_value(item)
        spread = (item.range[1] - item.range[0]) if item.range else max(item.tolerance, 1.0)
        values = [trap.value for trap in item.traps] + [centre + 10 * spread + 7]
        if item.percent:
            values.append(centre / 100)
        return values
    if isinstance(item, ShortText):
        return [trap.answer for trap in item.traps] + ["no idea"]
    if isinstance(item, Matching):
        right = right_value(item)
        values = []
        for i in range(len(right)):
            for j in range(i + 1, len(right)):
                swapped = list(right)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                values.append(swapped)
        rights = item.right_options
        for distractor in item.distractors:
            changed = list(right)
            changed[0] = rights.index(distractor)
            values.append(changed)
        return values
    raise TypeError(f"no wrong answers known for item type {type(item).__name__}")


def wrong_moves(item: Any) -> list[Move]:
    """Wrong or partly right answers, each scored by the course's scorer to learn what it shows."""
    moves = []
    for value in _candidate_wrong_values(item):
        result = score_answer(item, value, "en")
        if result.status in ("wrong", "partly"):
            moves.append(Move(value, frozenset(result.misconceptions)))
    return moves


def _pseudonyms(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(_ADJECTIVES)}-{rng.choice(_ANIMALS)}-{rng.randint(10, 99)}"
        if name not in names:
            names.append(name)
    return names


def default_plants(items: dict[str, ItemInfo]) -> tuple[str, str]:
    """A misconception many items can reveal, and a single-choice item in the longest lesson.

    Planting where there is most evidence makes the demo and the test robust; both can be chosen.
    """
    per_lesson: dict[str, int] = {}
    for info in items.values():
        per_lesson[info.lesson] = per_lesson.get(info.lesson, 0) + 1
    longest = max(sorted(per_lesson), key=lambda lesson: per_lesson[lesson])
    in_longest = [i for i in items.values() if i.lesson == longest]
    bad = next((i for i in in_longest if i.type == "single_choice"), in_longest[0])
    counts: dict[str, int] = {}
    for info in items.values():
        if info.id == bad.id:
            continue
        for slug in revealable(info):
            counts[slug] = counts.get(slug, 0) + 1
    if not counts:
        raise ValueError("no item in these banks can reveal a misconception, so none can be planted")
    misconception = max(sorted(counts), key=lambda slug: counts[slug])
    return misconception, bad.id


def simulate_class(
    banks: Iterable[Bank],
    n_students: int = 60,
    seed: int = 2018,
    *,
    misconception: str | None = None,
    bad_item: str | None = None,
    holder_share: float = 0.8,
    partial_share: float = 0.2,
    retry_share: float = 0.4,
) -> tuple[list[dict[str, Any]], PlantedFacts]:
    """Export payloads (one per simulated student) and the facts planted in them."""
    if n_students < 1:
        raise ValueError("a class needs at least one student")
    banks = sorted(banks, key=lambda b: b.lesson)
    items = catalogue_from_banks(banks)
    chosen_m, chosen_bad = default_plants(items)
    misconception = misconception or chosen_m
    bad_item = bad_item or chosen_bad
    if bad_item not in items:
        raise ValueError(f"bad item {bad_item!r} is not in the banks")
    if not any(misconception in revealable(i) for i in items.values()):
        raise ValueError(f"no item can reveal the misconception {misconception!r}")
    rng = random.Random(seed)
    difficulty = {item_id: round(rng.uniform(-2.0, 0.0), 3) for item_id in items}
    moves = {item_id: wrong_moves(info.model) for item_id, info in items.items()}
    bank_of = {item.id: bank for bank in banks for item in bank.items}
    names = _pseudonyms(rng, n_students)
    holders = sorted(rng.sample(names, round(holder_share * n_students)))
    partial = sorted(rng.sample(names, round(partial_share * n_students)))
    lessons = [bank.lesson for bank in banks]
    payloads = []
    for number, name in enumerate(names):
        ability = rng.gauss(0.0, 1.0)
        lang = "de" if rng.random() < 0.3 else "en"
        clock = START + timedelta(days=number % 5, minutes=rng.randint(0, 120))
        stop_lesson = rng.randrange(len(lessons)) if name in partial else len(lessons)
        records: list[dict[str, Any]] = []
        for lesson_index, bank in enumerate(banks):
            if lesson_index > stop_lesson:
                break
            lesson_items = bank.items
            if lesson_index == stop_lesson:  # stops part-way, but hands in at least one answer
                cut = rng.randrange(len(lesson_items))
                lesson_items = lesson_items[: max(cut, 1 if lesson_index == 0 else 0)]
            for item in lesson_items:
                slope = -DISCRIMINATION if item.id == bad_item else DISCRIMINATION
                p_right = 1 / (1 + math.exp(-slope * (ability - difficulty[item.id])))
                planted = [m for m in moves[item.id] if misconception in m.misconceptions]
                others = [m for m in moves[item.id] if misconception not in m.misconceptions]
                attempt = 0
                tries = 1
                while attempt < tries:
                    attempt += 1
                    if name in holders and planted and item.id != bad_item and rng.random() < HOLDER_CHOOSES:
                        value = rng.choice(planted).value
                    elif rng.random() < p_right or not (others or planted):
                        value = right_value(item)
                    else:
                        value = rng.choice(others or planted).value
                    result = score_answer(item, value, lang)
                    record = record_for(Entry(bank_of[item.id], item), result)
                    clock += timedelta(seconds=rng.randint(20, 240))
                    record["attempt"] = attempt
                    record["time"] = clock.isoformat(timespec="seconds")
                    records.append(record)
                    if result.status != "correct" and attempt == 1 and rng.random() < retry_share:
                        tries = 2
                        p_right = min(0.95, p_right + 0.4)
        payloads.append(
            {
                "format": EXPORT_FORMAT,
                "version": VERSION,
                "student": name,
                "exported": (clock + timedelta(minutes=5)).isoformat(timespec="seconds"),
                "records": records,
            }
        )
    facts = PlantedFacts(seed, names, difficulty, misconception, holders, bad_item, partial)
    return payloads, facts


def write_class(out: Path | str, banks: Iterable[Bank], **options: Any) -> PlantedFacts:
    """Write `out/responses/<pseudonym>.json` per student and `out/planted-facts.json`."""
    out = Path(out)
    payloads, facts = simulate_class(banks, **options)
    for payload in payloads:
        write_json_atomic(out / "responses" / f"{payload['student']}.json", payload)
    write_json_atomic(out / "planted-facts.json", asdict(facts))
    return facts
