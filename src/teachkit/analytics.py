"""Item analysis over the response files students hand in, with Moodle's definitions.

An instructor collects the files written by `export-responses` and asks, per item: how hard was
it, does it separate stronger from weaker students, which wrong answers were chosen, which
misconceptions dominate? The statistics follow Moodle's quiz statistics report (question/classes/
statistics/questions/calculator.php and mod/quiz/report/statistics/classes/calculator.php), so an
instructor who knows Moodle reads the same numbers here:

- facility index = mean mark / maximum mark (in %);
- SD = sample standard deviation of the item's marks (in % of its maximum);
- discrimination index = 100 × correlation of the item's mark with the mark on the *rest* of the
  quiz (the other items of the same lesson);
- discriminative efficiency = 100 × cov(item, rest) / cov_max, where cov_max pairs both mark lists
  after sorting each (the largest covariance these marks could have);
- dubious = discriminative efficiency below 15 %;
- per quiz (one lesson's bank): mean, median, SD, Cronbach's alpha, error ratio and standard error.

Everything here is plain computation on plain data: reading files, choosing attempts and computing
tables. Writing CSV, Markdown and charts lives in `analytics_report`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .quiz.model import (
    Bank,
    Matching,
    MultipleChoice,
    Numeric,
    ShortText,
    SingleChoice,
    TrueFalse,
    normalise_text,
)
from .responses import EXPORT_FORMAT, FORMAT, VERSION, check_pseudonym

Attempts = Literal["first", "last"]
Missing = Literal["skip", "zero"]

DUBIOUS_EFFICIENCY = 15.0
"""Moodle marks a question dubious when its discriminative efficiency is below this (in %)."""

MIN_N_TO_JUDGE = 10
"""Below this many attempts an item is not judged dubious: one student more could flip it."""

COUNTED_STATUSES = ("correct", "partly", "wrong")
SHARE_NOT_PERCENT = "share-not-percent"  # added by the numeric scorer itself, not by a bank
_EPSILON = 1e-12


# --------------------------------------------------------------------------- reading the files


@dataclass(frozen=True)
class Submission:
    """One student's usable export: a pseudonym and their answer records."""

    path: Path
    student: str
    exported: str
    records: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileStatus:
    """What happened to one file given to the report: used, or skipped and why."""

    file: str
    student: str
    status: Literal["used", "skipped"]
    reason: str
    records: int


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, and for a folder the .json files directly inside it (sorted)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.json") if p.is_file()))
        else:
            found.append(path)
    return found


def _usable_records(raw: list[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Keep records the analysis can use; say in words how many others were ignored and why."""
    kept: list[dict[str, Any]] = []
    no_item = bad_score = not_counted = 0
    for record in raw:
        if not isinstance(record, dict) or not isinstance(record.get("item"), str):
            no_item += 1
            continue
        if record.get("status") not in COUNTED_STATUSES:
            not_counted += 1
            continue
        score, max_score = record.get("score"), record.get("max_score")
        if (
            isinstance(score, bool)
            or isinstance(max_score, bool)
            or not isinstance(score, (int, float))
            or not isinstance(max_score, (int, float))
            or not math.isfinite(score)
            or not math.isfinite(max_score)
            or max_score <= 0
        ):
            bad_score += 1
            continue
        kept.append(record)
    notes = []
    if no_item:
        notes.append(f"{no_item} record(s) without an item id ignored")
    if bad_score:
        notes.append(f"{bad_score} record(s) without a readable score ignored")
    if not_counted:
        notes.append(f"{not_counted} record(s) that were not real attempts ignored")
    return kept, notes


def _read_one(path: Path) -> Submission | str:
    """A Submission, or the reason (in words, with what to do) why the file cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return "no such file"
    except IsADirectoryError:
        return "is a folder"
    except UnicodeDecodeError:
        return "not UTF-8 text: this is not a file written by export-responses"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        return (
            f"not valid JSON (line {problem.lineno}, column {problem.colno}); the file may be "
            "cut off: ask the student to export it again"
        )
    if not isinstance(data, dict):
        return "not a teachkit response export (the file holds no JSON object)"
    if data.get("format") == FORMAT:
        return (
            "this is a student's own responses.json, not an export, so it has no pseudonym: "
            "ask the student to run "
            "'python -m teachkit export-responses --name PSEUDONYM --out FILE'"
        )
    if data.get("format") != EXPORT_FORMAT:
        return f'not a teachkit response export (no "format": "{EXPORT_FORMAT}")'
    if data.get("version") != VERSION:
        return (
            f"export version {data.get('version')!r} is not the version {VERSION} this "
            "teachkit reads: update teachkit or ask the student to export again"
        )
    try:
        student = check_pseudonym(str(data.get("student") or ""))
    except ValueError:
        return f"the pseudonym {data.get('student')!r} is missing or not valid"
    raw = data.get("records")
    if not isinstance(raw, list):
        return "has no list of records"
    records, notes = _usable_records(raw)
    if not records:
        return "holds no answered questions" + (f" ({'; '.join(notes)})" if notes else "")
    return Submission(path, student, str(data.get("exported") or ""), tuple(records), tuple(notes))


def _export_time(submission: Submission) -> datetime:
    try:
        stamp = datetime.fromisoformat(submission.exported)
    except ValueError:
        return datetime.min
    return stamp.replace(tzinfo=None) if stamp.tzinfo is None else stamp.astimezone(tz=None).replace(tzinfo=None)


def read_submissions(paths: Iterable[Path | str]) -> tuple[list[Submission], list[FileStatus]]:
    """Read every export; skip (and name) malformed files, duplicates and older exports.

    The same file handed in twice counts once. When one pseudonym appears in several files, the
    newest export is used (a student who exported again later has more answers, not fewer).
    """
    readable: list[Submission] = []
    statuses: dict[Path, FileStatus] = {}
    order = expand_paths(paths)
    seen_digest: dict[str, Path] = {}
    for path in order:
        if path in statuses:
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        if digest and digest in seen_digest:
            statuses[path] = FileStatus(str(path), "", "skipped", f"same content as {seen_digest[digest]}", 0)
            continue
        if digest:
            seen_digest[digest] = path
        result = _read_one(path)
        if isinstance(result, str):
            statuses[path] = FileStatus(str(path), "", "skipped", result, 0)
        else:
            readable.append(result)
    newest: dict[str, Submission] = {}
    for submission in readable:  # ties keep the file given first
        current = newest.get(submission.student)
        if current is None or _export_time(submission) > _export_time(current):
            newest[submission.student] = submission
    used: list[Submission] = []
    for submission in readable:
        keep = newest[submission.student]
        if keep is submission:
            used.append(submission)
            statuses[submission.path] = FileStatus(
                str(submission.path), submission.student, "used", "; ".join(submission.notes), len(submission.records)
            )
        else:
            statuses[submission.path] = FileStatus(
                str(submission.path),
                submission.student,
                "skipped",
                f"an older export of pseudonym {submission.student!r}; {keep.path} is newer and counts",
                len(submission.records),
            )
    return used, [statuses[p] for p in order if p in statuses]


# --------------------------------------------------------------------------- the items


@dataclass(frozen=True)
class ItemInfo:
    """What the analysis needs to know about one item; `model` is None without the banks."""

    id: str
    lesson: str
    position: int
    points: float
    type: str
    model: Any = None


def catalogue_from_banks(banks: Iterable[Bank]) -> dict[str, ItemInfo]:
    """Items by id, in lesson order and bank order."""
    items: dict[str, ItemInfo] = {}
    for bank in sorted(banks, key=lambda b: b.lesson):
        for position, item in enumerate(bank.items, start=1):
            items[item.id] = ItemInfo(item.id, bank.lesson, position, float(item.points), item.type, item)
    return items


def catalogue_from_records(submissions: Iterable[Submission]) -> dict[str, ItemInfo]:
    """Items as the records describe them, for when the banks are not at hand."""
    lessons: dict[str, str] = {}
    points: dict[str, float] = defaultdict(float)
    for submission in submissions:
        for record in submission.records:
            lessons.setdefault(record["item"], str(record.get("lesson") or "unknown"))
            points[record["item"]] = max(points[record["item"]], float(record["max_score"]))
    ordered = sorted(lessons, key=lambda i: (lessons[i], i))
    position: Counter[str] = Counter()
    items = {}
    for item_id in ordered:
        position[lessons[item_id]] += 1
        items[item_id] = ItemInfo(item_id, lessons[item_id], position[lessons[item_id]], points[item_id], "unknown")
    return items


def revealable(info: ItemInfo) -> set[str]:
    """The misconception ids a wrong answer to this item can show."""
    item = info.model
    if item is None:
        return set()
    found: set[str] = set()
    for option in getattr(item, "options", []):
        if not option.correct and option.misconception:
            found.add(option.misconception)
    for part in getattr(item, "traps", []) + getattr(item, "pairs", []):
        found.add(part.misconception)
    if getattr(item, "misconception", None):
        found.add(item.misconception)
    if isinstance(item, Numeric) and item.percent:
        found.add(SHARE_NOT_PERCENT)
    return found


# --------------------------------------------------------------------------- choosing attempts


@dataclass(frozen=True)
class Answer:
    """The attempt that counts for one student and item."""

    student: str
    item: str
    fraction: float  # mark / maximum mark, 0..1
    record: dict[str, Any]


def choose_answers(submissions: Iterable[Submission], attempts: Attempts = "first") -> dict[str, dict[str, Answer]]:
    """Per student, per item: the first attempt (Moodle's default) or the last one."""
    if attempts not in ("first", "last"):
        raise ValueError(f"attempts must be 'first' or 'last', not {attempts!r}")
    chosen: dict[str, dict[str, Answer]] = {}
    for submission in submissions:
        by_item: dict[str, list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
        for index, record in enumerate(submission.records):
            number = record.get("attempt")
            if not isinstance(number, int) or isinstance(number, bool):
                number = index + 1
            by_item[record["item"]].append((number, index, record))
        answers = {}
        for item_id, tries in by_item.items():
            ordered = sorted(tries, key=lambda t: t[:2])
            record = ordered[0][2] if attempts == "first" else ordered[-1][2]
            fraction = min(1.0, max(0.0, float(record["score"]) / float(record["max_score"])))
            answers[item_id] = Answer(submission.student, item_id, fraction, record)
        chosen[submission.student] = answers
    return chosen


# --------------------------------------------------------------------------- statistics


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class ItemStatistics:
    """Moodle's per-question statistics; None where a value is undefined, with the reason."""

    n: int
    facility: float | None  # %
    sd: float | None  # % of the item's maximum
    discrimination: float | None  # %
    efficiency: float | None  # %
    note: str = ""


def item_statistics(marks: Sequence[float], rest: Sequence[float], max_mark: float) -> ItemStatistics:
    """Statistics of one item from its marks and each student's mark on the rest of the quiz.

    Sample (n − 1) variances and covariances, as in Moodle's calculator.
    """
    n = len(marks)
    if n != len(rest):
        raise ValueError("marks and rest must be paired, one of each per attempt")
    if n == 0:
        return ItemStatistics(0, None, None, None, None, "no attempts: nobody in the sample answered this item")
    mean = _mean(marks)
    facility = 100 * mean / max_mark
    if n < 2:
        return ItemStatistics(1, facility, None, None, None, "only 1 attempt: SD and discrimination need at least 2")
    rest_mean = _mean(rest)
    var_item = sum((m - mean) ** 2 for m in marks) / (n - 1)
    var_rest = sum((r - rest_mean) ** 2 for r in rest) / (n - 1)
    cov = sum((m - mean) * (r - rest_mean) for m, r in zip(marks, rest, strict=True)) / (n - 1)
    cov_max = sum((m - mean) * (r - rest_mean) for m, r in zip(sorted(marks), sorted(rest), strict=True)) / (n - 1)
    sd = 100 * math.sqrt(var_item) / max_mark
    notes = []
    discrimination = efficiency = None
    if var_item <= _EPSILON:
        notes.append(
            "everyone in the sample got the same mark on this item, so it cannot discriminate (undefined, not zero)"
        )
    elif var_rest <= _EPSILON:
        notes.append("everyone got the same mark on the rest of the quiz, so discrimination is undefined")
    else:
        discrimination = 100 * cov / math.sqrt(var_item * var_rest)
        if cov_max > _EPSILON:
            efficiency = 100 * cov / cov_max
    return ItemStatistics(n, facility, sd, discrimination, efficiency, "; ".join(notes))


@dataclass(frozen=True)
class QuizStatistics:
    """Moodle's per-quiz statistics (in % of the quiz maximum); None where undefined."""

    n: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None  # Cronbach's alpha, 0..1 (Moodle shows it ×100 as "CIC")
    error_ratio: float | None  # %
    standard_error: float | None  # % of the quiz maximum
    note: str = ""


def quiz_statistics(totals: Sequence[float], item_variances: Sequence[float], max_total: float) -> QuizStatistics:
    """Statistics of one quiz from each attempt's total and each item's sample variance."""
    s, p = len(totals), len(item_variances)
    if s == 0:
        return QuizStatistics(0, None, None, None, None, None, None, "no attempts to analyse")
    scale = 100 / max_total
    mean, median = _mean(totals) * scale, _median(totals) * scale
    if s < 2:
        return QuizStatistics(1, mean, median, None, None, None, None, "only 1 attempt: SD and alpha need more")
    total_mean = _mean(totals)
    variance = sum((t - total_mean) ** 2 for t in totals) / (s - 1)
    sd = math.sqrt(variance) * scale
    alpha = error_ratio = standard_error = None
    note = ""
    if s < 3:
        note = "2 attempts: Cronbach's alpha needs at least 3"
    elif p < 2:
        note = "one item only: Cronbach's alpha needs at least 2"
    elif variance <= _EPSILON:
        note = "every attempt has the same total, so alpha is undefined"
    else:
        alpha = p / (p - 1) * (1 - sum(item_variances) / variance)
        if alpha <= 1:
            error_ratio = 100 * math.sqrt(1 - alpha)
            standard_error = error_ratio * sd / 100
    return QuizStatistics(s, mean, median, sd, alpha, error_ratio, standard_error, note)


# --------------------------------------------------------------------------- answers in words


def _letter(index: int) -> str:
    return chr(ord("A") + index) if 0 <= index < 26 else str(index + 1)


@dataclass(frozen=True)
class Choice:
    """One thing a student chose: an option, a value class or one match."""

    label: str
    correct: bool
    misconception: str = ""
    value: str = ""  # for "other" answers: what was actually typed (normalised)


def _is_index(value: Any, size: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size


def classify(info: ItemInfo, record: Mapping[str, Any], lang: str = "en") -> list[Choice]:
    """What an answer record chose, in words; one entry per ticked option or per matched pair."""
    item, answer = info.model, record.get("answer")
    if item is None:
        return [Choice(json.dumps(answer, ensure_ascii=False)[:60], record.get("status") == "correct")]
    if isinstance(item, SingleChoice):
        if not _is_index(answer, len(item.options)):
            return [Choice("(unreadable answer)", False)]
        option = item.options[answer]
        return [
            Choice(
                f"{_letter(answer)}. {option.text.get(lang)}",
                option.correct,
                "" if option.correct else option.misconception or "",
            )
        ]
    if isinstance(item, MultipleChoice):
        picks = answer if isinstance(answer, list) else []
        chosen = [item.options[i] for i in picks if _is_index(i, len(item.options))]
        if not chosen:
            return [Choice("(unreadable answer)", False)]
        return [
            Choice(
                f"{_letter(item.options.index(o))}. {o.text.get(lang)}",
                o.correct,
                "" if o.correct else o.misconception or "",
            )
            for o in chosen
        ]
    if isinstance(item, TrueFalse):
        if not isinstance(answer, bool):
            return [Choice("(unreadable answer)", False)]
        label = {True: {"en": "True", "de": "Wahr"}, False: {"en": "False", "de": "Falsch"}}
        right = answer == item.answer
        return [Choice(label[answer].get(lang, label[answer]["en"]), right, "" if right else item.misconception)]
    if isinstance(item, Numeric):
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return [Choice("(unreadable answer)", False)]
        if item.accepts(answer):
            return [Choice("accepted value", True)]
        for trap in item.traps:
            if abs(answer - trap.value) <= trap.tolerance + 1e-12:
                return [Choice(f"{trap.value:g}", False, trap.misconception)]
        if item.percent and item.accepts(answer * 100):
            return [Choice("a share where a percentage was asked", False, SHARE_NOT_PERCENT)]
        return [Choice("another number", False, item.misconception, f"{answer:g}")]
    if isinstance(item, ShortText):
        if not isinstance(answer, str):
            return [Choice("(unreadable answer)", False)]
        if record.get("status") == "correct":
            return [Choice("accepted answer", True)]
        given = normalise_text(answer)
        for trap in item.traps:
            if given == normalise_text(trap.answer):
                return [Choice(trap.answer, False, trap.misconception)]
        return [Choice("another answer", False, item.misconception, given[:40])]
    if isinstance(item, Matching):
        rights = item.right_options
        picks = answer if isinstance(answer, list) and len(answer) == len(item.pairs) else None
        if picks is None:
            return [Choice("(unreadable answer)", False)]
        choices = []
        for pair, pick in zip(item.pairs, picks, strict=True):
            left = pair.left.get(lang)
            if not _is_index(pick, len(rights)):
                choices.append(Choice(f"{left} → (no match)", False))
            else:
                right = rights[pick] == pair.right
                choices.append(Choice(f"{left} → {rights[pick].get(lang)}", right, "" if right else pair.misconception))
        return choices
    return [Choice(json.dumps(answer, ensure_ascii=False)[:60], record.get("status") == "correct")]


def possible_choices(info: ItemInfo, lang: str = "en") -> list[Choice]:
    """The choices an item offers, so that options nobody picked still show up with 0."""
    item = info.model
    if isinstance(item, (SingleChoice, MultipleChoice)):
        return [
            Choice(f"{_letter(i)}. {o.text.get(lang)}", o.correct, "" if o.correct else o.misconception or "")
            for i, o in enumerate(item.options)
        ]
    if isinstance(item, TrueFalse):
        return classify(info, {"answer": True}, lang) + classify(info, {"answer": False}, lang)
    if isinstance(item, Numeric):
        return [Choice("accepted value", True)] + [Choice(f"{t.value:g}", False, t.misconception) for t in item.traps]
    if isinstance(item, ShortText):
        return [Choice("accepted answer", True)] + [Choice(t.answer, False, t.misconception) for t in item.traps]
    if isinstance(item, Matching):
        return [Choice(f"{p.left.get(lang)} → {p.right.get(lang)}", True) for p in item.pairs]
    return []


# --------------------------------------------------------------------------- the analysis


@dataclass
class Analysis:
    """Every table of the report, plus what the reader must know to trust it."""

    attempts: Attempts
    missing: Missing
    min_n: int
    files: list[FileStatus]
    lesson_titles: dict[str, str]
    items: pd.DataFrame
    quizzes: pd.DataFrame
    options: pd.DataFrame
    misconceptions: pd.DataFrame
    students: pd.DataFrame
    unknown_items: dict[str, int] = field(default_factory=dict)

    @property
    def used_files(self) -> list[FileStatus]:
        return [f for f in self.files if f.status == "used"]

    @property
    def skipped_files(self) -> list[FileStatus]:
        return [f for f in self.files if f.status == "skipped"]


ITEM_COLUMNS = [
    "lesson",
    "position",
    "item",
    "type",
    "points",
    "answered",
    "n",
    "facility",
    "sd",
    "discrimination_index",
    "discriminative_efficiency",
    "dubious",
    "facility_all_answers",
    "note",
]
QUIZ_COLUMNS = [
    "lesson",
    "title",
    "items",
    "max_points",
    "students_started",
    "n",
    "mean",
    "median",
    "sd",
    "cronbach_alpha",
    "error_ratio",
    "standard_error",
    "note",
]
OPTION_COLUMNS = ["lesson", "item", "choice", "correct", "misconception", "count", "share", "answered", "typed"]
MISCONCEPTION_COLUMNS = [
    "misconception",
    "lessons",
    "students",
    "could_show",
    "share",
    "answers",
    "opportunities",
    "items",
    "description",
]
STUDENT_COLUMNS = ["student", "lesson", "answered", "items", "score", "max_points", "percent"]


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _judge(stats: ItemStatistics, min_n: int) -> tuple[str, str]:
    """Moodle's dubious rule, withheld where too few attempts make it a coin toss."""
    if stats.efficiency is None:
        return "no", ""
    if stats.n < min_n:
        return "not judged", f"n = {stats.n} is below {min_n}: not judged"
    if stats.efficiency < DUBIOUS_EFFICIENCY:
        why = f"discriminative efficiency {stats.efficiency:.1f} % is below {DUBIOUS_EFFICIENCY:g} %"
        if stats.discrimination is not None and stats.discrimination < 0:
            why += "; stronger students score lower on it: check the key and the wording"
        return "yes", why
    return "no", ""


def _lesson_tables(
    lesson: str,
    title: str,
    infos: list[ItemInfo],
    chosen: Mapping[str, Mapping[str, Answer]],
    missing: Missing,
    min_n: int,
) -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    """One lesson's quiz as Moodle sees a quiz: item rows, the quiz row and per-student rows."""
    infos = sorted(infos, key=lambda i: i.position)
    ids = [i.id for i in infos]
    started = sorted(s for s, answers in chosen.items() if any(i in answers for i in ids))
    if missing == "skip":
        sample = [s for s in started if all(i in chosen[s] for i in ids)]
    else:
        sample = started
    marks = {
        s: [chosen[s][i].fraction * info.points if i in chosen[s] else 0.0 for i, info in zip(ids, infos, strict=True)]
        for s in sample
    }
    totals = [sum(marks[s]) for s in sample]
    variances = []
    item_rows = []
    for column, info in enumerate(infos):
        item_marks = [marks[s][column] for s in sample]
        rest = [total - mark for total, mark in zip(totals, item_marks, strict=True)]
        stats = item_statistics(item_marks, rest, info.points)
        if len(item_marks) > 1:
            mean = _mean(item_marks)
            variances.append(sum((m - mean) ** 2 for m in item_marks) / (len(item_marks) - 1))
        dubious, why = _judge(stats, min_n)
        answered = [chosen[s][info.id].fraction for s in started if info.id in chosen[s]]
        note = "; ".join(x for x in (stats.note, why) if x)
        if stats.n == 0 and missing == "skip" and started:
            note = (
                f"no student answered every item of {lesson}; {len(started)} answered some "
                "(see facility_all_answers, or use --missing zero)"
            )
        item_rows.append(
            {
                "lesson": lesson,
                "position": info.position,
                "item": info.id,
                "type": info.type,
                "points": info.points,
                "answered": len(answered),
                "n": stats.n,
                "facility": _round(stats.facility),
                "sd": _round(stats.sd),
                "discrimination_index": _round(stats.discrimination),
                "discriminative_efficiency": _round(stats.efficiency),
                "dubious": dubious,
                "facility_all_answers": _round(100 * _mean(answered)) if answered else None,
                "note": note,
            }
        )
    max_total = sum(i.points for i in infos)
    quiz = quiz_statistics(totals, variances if len(variances) == len(infos) else [], max_total)
    quiz_note = quiz.note
    if not started:
        quiz_note = "no student answered any item of this lesson"
    elif quiz.n == 0:
        quiz_note = (
            f"none of the {len(started)} students who started answered every item; "
            "use --missing zero to count unanswered items as 0"
        )
    elif quiz.n < min_n:
        quiz_note = "; ".join(
            x for x in (quiz_note, f"only {quiz.n} attempts: read these numbers as hints, not evidence") if x
        )
    quiz_row = {
        "lesson": lesson,
        "title": title,
        "items": len(infos),
        "max_points": max_total,
        "students_started": len(started),
        "n": quiz.n,
        "mean": _round(quiz.mean),
        "median": _round(quiz.median),
        "sd": _round(quiz.sd),
        "cronbach_alpha": _round(quiz.alpha, 3),
        "error_ratio": _round(quiz.error_ratio),
        "standard_error": _round(quiz.standard_error),
        "note": quiz_note,
    }
    student_rows = []
    points = {i.id: i.points for i in infos}
    for student in started:
        got = [chosen[student][i] for i in ids if i in chosen[student]]
        score = sum(a.fraction * points[a.item] for a in got)
        student_rows.append(
            {
                "student": student,
                "lesson": lesson,
                "answered": len(got),
                "items": len(ids),
                "score": round(score, 4),
                "max_points": max_total,
                "percent": round(100 * score / max_total, 2),
            }
        )
    return item_rows, quiz_row, student_rows


def analyse(
    submissions: Sequence[Submission],
    files: Sequence[FileStatus] | None = None,
    *,
    banks: Iterable[Bank] | None = None,
    attempts: Attempts = "first",
    missing: Missing = "skip",
    min_n: int = MIN_N_TO_JUDGE,
    lang: str = "en",
) -> Analysis:
    """Compute all tables of the item analysis.

    `missing="skip"`: a lesson's quiz statistics use the students who answered every item of that
    lesson (an unanswered item is not a wrong answer: the student may not have got there yet).
    `missing="zero"`: every student who answered anything in a lesson counts, unanswered items as
    0 marks, as Moodle does for a submitted attempt.
    """
    if missing not in ("skip", "zero"):
        raise ValueError(f"missing must be 'skip' or 'zero', not {missing!r}")
    bank_list = list(banks) if banks is not None else None
    catalogue = catalogue_from_banks(bank_list) if bank_list is not None else catalogue_from_records(submissions)
    titles = {b.lesson: b.title.get(lang) for b in bank_list or []}
    descriptions: dict[str, dict[str, str]] = defaultdict(dict)
    for bank in bank_list or []:
        for slug, text in bank.misconceptions.items():
            descriptions[slug][bank.lesson] = text.get(lang)
    chosen = choose_answers(submissions, attempts)
    unknown: Counter[str] = Counter()
    for answers in chosen.values():
        for item_id in list(answers):
            if item_id not in catalogue:
                unknown[item_id] += 1
                del answers[item_id]

    lessons: dict[str, list[ItemInfo]] = defaultdict(list)
    for info in catalogue.values():
        lessons[info.lesson].append(info)
    item_rows, quiz_rows, student_rows = [], [], []
    for lesson in sorted(lessons):
        items, quiz, students = _lesson_tables(lesson, titles.get(lesson, ""), lessons[lesson], chosen, missing, min_n)
        item_rows += items
        quiz_rows.append(quiz)
        student_rows += students

    option_rows = _option_rows(catalogue, chosen, lang)
    misconception_rows = _misconception_rows(catalogue, chosen, descriptions, min_n)
    return Analysis(
        attempts=attempts,
        missing=missing,
        min_n=min_n,
        files=list(files or []),
        lesson_titles=titles,
        items=pd.DataFrame(item_rows, columns=ITEM_COLUMNS),
        quizzes=pd.DataFrame(quiz_rows, columns=QUIZ_COLUMNS),
        options=pd.DataFrame(option_rows, columns=OPTION_COLUMNS),
        misconceptions=pd.DataFrame(misconception_rows, columns=MISCONCEPTION_COLUMNS),
        students=pd.DataFrame(student_rows, columns=STUDENT_COLUMNS),
        unknown_items=dict(unknown),
    )


def _option_rows(
    catalogue: Mapping[str, ItemInfo], chosen: Mapping[str, Mapping[str, Answer]], lang: str
) -> list[dict[str, Any]]:
    """Distractor analysis: how often each option (or value, or match) was chosen."""
    rows = []
    for info in catalogue.values():
        answers = [a[info.id] for a in chosen.values() if info.id in a]
        counts: Counter[Choice] = Counter()
        typed: dict[Choice, Counter[str]] = defaultdict(Counter)
        for answer in answers:
            for choice in classify(info, answer.record, lang):
                key = Choice(choice.label, choice.correct, choice.misconception)
                counts[key] += 1
                if choice.value:
                    typed[key][choice.value] += 1
        listed = possible_choices(info, lang)
        for choice in listed + sorted((c for c in counts if c not in listed), key=lambda c: (-counts[c], c.label)):
            examples = ", ".join(f"{v} ({n})" for v, n in typed[choice].most_common(3))
            rows.append(
                {
                    "lesson": info.lesson,
                    "item": info.id,
                    "choice": choice.label,
                    "correct": choice.correct,
                    "misconception": choice.misconception,
                    "count": counts[choice],
                    "answered": len(answers),
                    "share": round(100 * counts[choice] / len(answers), 2) if answers else None,
                    "typed": examples,
                }
            )
    return rows


def _misconception_rows(
    catalogue: Mapping[str, ItemInfo],
    chosen: Mapping[str, Mapping[str, Answer]],
    descriptions: Mapping[str, Mapping[str, str]],
    min_n: int = MIN_N_TO_JUDGE,
) -> list[dict[str, Any]]:
    """How many students showed each misconception, out of those who had the chance.

    Ranked by that share, because students reach later lessons in smaller numbers: a raw count
    would favour the early lessons. Misconceptions fewer than `min_n` students could show come
    last, since a share of 2 out of 3 says little.
    """
    holders: dict[str, set[str]] = defaultdict(set)
    shown: Counter[str] = Counter()
    items_shown: dict[str, set[str]] = defaultdict(set)
    could: dict[str, set[str]] = defaultdict(set)
    opportunities: Counter[str] = Counter()
    for student, answers in chosen.items():
        for item_id, answer in answers.items():
            found = [m for m in answer.record.get("misconceptions") or [] if isinstance(m, str)]
            for slug in revealable(catalogue[item_id]) | set(found):
                could[slug].add(student)
                opportunities[slug] += 1
            for slug in set(found):
                holders[slug].add(student)
                shown[slug] += 1
                items_shown[slug].add(item_id)
    rows = []
    for slug in set(holders) | set(descriptions):
        lessons = sorted(descriptions.get(slug, {}) or {catalogue[i].lesson for i in items_shown[slug]})
        description = next(iter(descriptions.get(slug, {}).values()), "")
        if slug == SHARE_NOT_PERCENT and not description:
            description = "Typed a share (0 to 1) where a percentage (0 to 100) was asked."
        rows.append(
            {
                "misconception": slug,
                "lessons": ", ".join(lessons),
                "students": len(holders[slug]),
                "could_show": len(could[slug]),
                "share": round(100 * len(holders[slug]) / len(could[slug]), 2) if could[slug] else None,
                "answers": shown[slug],
                "opportunities": opportunities[slug],
                "items": ", ".join(sorted(items_shown[slug])),
                "description": description,
            }
        )
    rows.sort(
        key=lambda r: (r["could_show"] < min_n, -(r["share"] or 0.0), -r["students"], -r["answers"], r["misconception"])
    )
    return rows


def analyse_files(
    paths: Iterable[Path | str],
    *,
    banks: Iterable[Bank] | None = None,
    attempts: Attempts = "first",
    missing: Missing = "skip",
    min_n: int = MIN_N_TO_JUDGE,
    lang: str = "en",
) -> Analysis:
    """Read the exports and analyse them in one call."""
    submissions, files = read_submissions(paths)
    return analyse(submissions, files, banks=banks, attempts=attempts, missing=missing, min_n=min_n, lang=lang)
