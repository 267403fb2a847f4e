"""Two things about a set of quiz items that a schema cannot see: how much thinking they ask for,
and whether the options give the answer away.

*Levels.* Items that only ask to recall a year or a word test trivia; a lesson's quizzes should mostly
ask students to apply, analyse or evaluate. The shares below are the course's rule.

*Length cue.* Writers tend to make the right option the longest (it carries the qualifications), and a
test-wise student who always picks the longest option then scores well without reading the lesson; an
author who overcorrects makes it the shortest, which gives it away just as well.
"All of the above" and "none of the above" are give-aways of the same kind.

Pure logic: items in, numbers and sentences out. `check-banks` warns, `lint` fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import LEVELS, MultipleChoice, SingleChoice
from .render import plain_text

MIN_APPLY_SHARE = 0.60  # at least this share of items asks to apply, analyse or evaluate
MAX_REMEMBER_SHARE = 0.25  # at most this share only asks to remember
MAX_LONGEST_KEY_SHARE = 1 / 3  # at most this share of single-choice items has the key as longest (or shortest) option
HIGHER_LEVELS = frozenset({"apply", "analyse", "evaluate"})
LANGUAGES = ("en", "de")

_CATCH_ALL = re.compile(
    r"\b(all|none|both|neither) of the (above|options|answers)\b"
    r"|\b(alle|keine|beide)[rs]? (der |davon )?(oben |zuvor )?(genannten|obigen|aufgeführten)\b"
    r"|\b(alle|keine) (der )?(antworten|optionen) (oben|sind richtig)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LevelProfile:
    """How many items ask for each cognitive level."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def higher(self) -> int:
        return sum(self.counts[level] for level in HIGHER_LEVELS)

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    def line(self) -> str:
        """'remember 1 · understand 2 · apply 4 · analyse 1 · evaluate 1 (67 % apply or above, 11 % remember)'"""
        counts = " · ".join(f"{level} {self.counts[level]}" for level in LEVELS)
        return (
            f"{counts} ({self.share(self.higher):.0%} apply or above, "
            f"{self.share(self.counts['remember']):.0%} remember)"
        )

    def problems(self) -> list[str]:
        """What breaks the course's rule, in words; empty when the items ask for enough thinking."""
        if not self.total:
            return []
        found = []
        if self.share(self.higher) < MIN_APPLY_SHARE:
            found.append(
                f"{self.higher} of {self.total} items ({self.share(self.higher):.0%}) ask to apply, analyse "
                f"or evaluate; at least {MIN_APPLY_SHARE:.0%} must"
            )
        remember = self.counts["remember"]
        if self.share(remember) > MAX_REMEMBER_SHARE:
            found.append(
                f"{remember} of {self.total} items ({self.share(remember):.0%}) only ask to remember; "
                f"at most {MAX_REMEMBER_SHARE:.0%} may"
            )
        return found


def level_profile(items: Iterable[object]) -> LevelProfile:
    counts = dict.fromkeys(LEVELS, 0)
    for item in items:
        counts[item.level] += 1  # type: ignore[attr-defined]
    return LevelProfile(counts)


def _length(text: str) -> int:
    return len(" ".join(plain_text(text).split()))


def _key_and_others(item: SingleChoice, lang: str) -> tuple[int, list[int]]:
    lengths = [(_length(option.text.get(lang)), option.correct) for option in item.options]
    key = next(length for length, correct in lengths if correct)
    return key, [length for length, correct in lengths if not correct]


def key_is_longest(item: SingleChoice, lang: str = "en") -> bool:
    """Whether the right option is longer (in characters, Markdown marks removed) than every other one."""
    key, others = _key_and_others(item, lang)
    return key > max(others)


def key_is_shortest(item: SingleChoice, lang: str = "en") -> bool:
    """Whether the right option is shorter than every other one: the same give-away, reversed."""
    key, others = _key_and_others(item, lang)
    return key < min(others)


def _pick_by_length_score(items: Iterable[object], lang: str, longest: bool) -> float:
    scores = []
    for item in items:
        if not isinstance(item, SingleChoice):
            continue
        lengths = [_length(option.text.get(lang)) for option in item.options]
        target = max(lengths) if longest else min(lengths)
        picked = [option for option, length in zip(item.options, lengths, strict=True) if length == target]
        scores.append(sum(option.correct for option in picked) / len(picked))
    return sum(scores) / len(scores) if scores else 0.0


def longest_option_score(items: Iterable[object], lang: str = "en") -> float:
    """Expected share of single-choice items a student gets right by always picking the longest option
    (a tie between several longest options is a coin toss among them)."""
    return _pick_by_length_score(items, lang, longest=True)


def shortest_option_score(items: Iterable[object], lang: str = "en") -> float:
    """The same for a student who always picks the shortest option."""
    return _pick_by_length_score(items, lang, longest=False)


_EXTREMES = {"longest": key_is_longest, "shortest": key_is_shortest}


@dataclass(frozen=True)
class LengthCue:
    """Single-choice items whose right option is the longest (or the shortest), in one language."""

    lang: str
    items: tuple[str, ...]  # ids of the items whose key is the longest (or shortest) option
    total: int  # single-choice items looked at
    extreme: str = "longest"

    @property
    def too_many(self) -> bool:
        return len(self.items) > self.total * MAX_LONGEST_KEY_SHARE

    def problem(self) -> str:
        language = {"en": "English", "de": "German", "en+de": "English and German"}.get(self.lang, self.lang)
        return (
            f"in {len(self.items)} of {self.total} single-choice items the right option is the {self.extreme} "
            f"({language}: {', '.join(self.items)}); at most a third may be, or a test-wise student "
            f"picks the {self.extreme} and scores without reading"
        )


def length_cues(items: Sequence[object]) -> list[LengthCue]:
    """One `LengthCue` per language and extreme with too many such keys; empty when there is no cue."""
    choices = [item for item in items if isinstance(item, SingleChoice)]
    found: list[LengthCue] = []
    for extreme, test in _EXTREMES.items():
        cues = [
            LengthCue(lang, tuple(i.id for i in choices if test(i, lang)), len(choices), extreme) for lang in LANGUAGES
        ]
        cues = [cue for cue in cues if cue.too_many]
        if len(cues) == 2 and cues[0].items == cues[1].items:  # the same items in both: say it once
            cues = [LengthCue("en+de", cues[0].items, cues[0].total, extreme)]
        found += cues
    return found


def catch_all_options(items: Iterable[object]) -> list[tuple[str, int, str]]:
    """(item id, option number, text) of every "all/none of the above" option, in either language."""
    found = []
    for item in items:
        if not isinstance(item, (SingleChoice, MultipleChoice)):
            continue
        for number, option in enumerate(item.options, start=1):
            for lang in LANGUAGES:
                text = option.text.get(lang)
                if _CATCH_ALL.search(text):
                    found.append((item.id, number, text))
                    break
    return found


def quality_warnings(items: Sequence[object], where: str) -> list[str]:
    """What `check-banks` warns about for one bank: the length cue and catch-all options."""
    warnings = [f"{where}: {cue.problem()}" for cue in length_cues(items)]
    for item_id, number, text in catch_all_options(items):
        warnings.append(
            f"{where}, item {item_id!r}, option {number}: {text!r} is a catch-all option; replace it with a "
            "distractor that a real misconception produces"
        )
    return warnings
