"""Checks that teach: compare a student's value with what a task wants; say in words what differs.

An exercise cell ends with a check such as ``check("shares", shares, kind=pd.Series, hidden=2)``.
In a student session a failed check prints feedback and the notebook goes on, so Run All never
stops at the first mistake. Under grading ($TEACHKIT_GRADING=1) a failed check raises an
AssertionError with the same words, which is what nbgrader and `teachkit grade` score.

`compare(value, expected)` is the pure core: it returns the problems as sentences, no printing.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

GRADING_ENV = "TEACHKIT_GRADING"
LOG_ENV = "TEACHKIT_CHECK_LOG"
MAX_LISTED = 3  # rows, values or labels named in one message: enough to find the mistake
NOT_ANSWERED = Ellipsis  # the stub `answer = ...` of a generated exercise

_MISSING = object()

# Called with (outcome, value, expected, rtol, atol, hint) after every check: the grader's clean
# check process records results here instead of trusting anything a student's kernel wrote.
OBSERVERS: list[Any] = []


class CheckFailed(AssertionError):
    """A check found a difference; raised only under grading."""


class NotAnswered(CheckFailed):
    """The answer is still the `...` stub; raised only under grading."""


@dataclass
class Outcome:
    """What one check found; `problems` is empty when it passed."""

    label: str
    answered: bool
    problems: list[str] = field(default_factory=list)
    hidden: int = 0

    @property
    def passed(self) -> bool:
        return self.answered and not self.problems

    def message(self) -> str:
        from .messages import in_language

        words = in_language(OUTCOME_WORDS)
        if not self.answered:
            text = f"… {self.label}: {words['unanswered']}"
        elif self.problems:
            text = f"✘ {self.label}: {words['wrong']}\n" + "\n".join(f"  - {p}" for p in self.problems)
        else:
            text = f"✔ {self.label}: {words['right']}"
        if self.hidden:
            text += "\n  " + words["hidden_one" if self.hidden == 1 else "hidden_many"].format(n=self.hidden)
        return text


OUTCOME_WORDS = {
    "en": {
        "unanswered": "not answered yet. Replace the `...` with your answer and run the cell again.",
        "wrong": "not quite.",
        "right": "looks right.",
        "hidden_one": "(1 hidden check will run at grading: passing here does not yet mean full marks.)",
        "hidden_many": "({n} hidden checks will run at grading: passing here does not yet mean full marks.)",
    },
    "de": {
        "unanswered": (
            "noch nicht beantwortet. Ersetzen Sie `...` durch Ihre Antwort und führen Sie die Zelle erneut aus."
        ),
        "wrong": "noch nicht richtig.",
        "right": "sieht richtig aus.",
        "hidden_one": (
            "(Bei der Bewertung läuft noch 1 verdeckte Prüfung: Bestehen hier heißt noch nicht volle Punktzahl.)"
        ),
        "hidden_many": (
            "(Bei der Bewertung laufen noch {n} verdeckte Prüfungen: Bestehen hier heißt noch nicht volle Punktzahl.)"
        ),
    },
}
"""The frame of a check's message in each language; the details (what differs) are in English for now."""


def grading() -> bool:
    """True when a grader runs the notebook: failed checks then raise instead of printing."""
    return os.environ.get(GRADING_ENV, "").strip().lower() in ("1", "true", "yes")


# ---------------------------------------------------------------- describing values


def describe_type(value: Any) -> str:
    """A type name a student recognises: 'a pandas DataFrame', 'a number (float)', 'text (str)'."""
    if value is None:
        return "None (nothing: did you forget to return or assign a result?)"
    if value is NOT_ANSWERED:
        return "... (not answered yet)"
    if isinstance(value, pd.DataFrame):
        return "a pandas DataFrame"
    if isinstance(value, pd.Series):
        return "a pandas Series"
    if isinstance(value, (bool, np.bool_)):
        return "a truth value (bool)"
    if isinstance(value, (int, np.integer)):
        return "a whole number (int)"
    if isinstance(value, (float, np.floating)):
        return "a number (float)"
    if isinstance(value, str):
        return "text (str)"
    if isinstance(value, (list, tuple, set, dict)):
        return f"a {type(value).__name__}"
    return f"a {type(value).__module__}.{type(value).__name__}"


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {
        pd.DataFrame: "a pandas DataFrame",
        pd.Series: "a pandas Series",
        float: "a number (float)",
        int: "a whole number (int)",
        str: "text (str)",
        bool: "a truth value (bool)",
        list: "a list",
        dict: "a dict",
        tuple: "a tuple",
        set: "a set",
    }
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _matches_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    for k in kinds:
        if k is float and _is_number(value):
            return True  # 3 is an acceptable float answer; numpy numbers count too
        if k is int and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return True
        if k is bool and isinstance(value, (bool, np.bool_)):
            return True
        if k not in (float, int, bool) and isinstance(value, k):
            return True
    return False


def _listed(items: Sequence[Any]) -> str:
    shown = ", ".join(repr(_plain(i)) for i in list(items)[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _plain(value: Any) -> Any:
    """numpy scalars print as np.float64(3.0) since numpy 2; students should see 3.0."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def _fmt(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


# ---------------------------------------------------------------- comparing numbers


def _numbers_hint(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> str | None:
    """Name a systematic slip: a factor of 100 (share vs percent), rounding, or a sign."""
    if got.size == 0 or not (np.isfinite(got).all() and np.isfinite(want).all()):
        return None
    if np.allclose(got * 100, want, rtol=rtol, atol=atol):
        return (
            "your numbers are 100 times too small: the task wants percentages (0–100), "
            "you gave shares (0–1). Multiply by 100."
        )
    if np.allclose(got / 100, want, rtol=rtol, atol=atol):
        return (
            "your numbers are 100 times too large: the task wants shares (0–1), "
            "you gave percentages (0–100). Divide by 100."
        )
    for decimals in range(3, -1, -1):
        if np.allclose(got, np.round(want, decimals), rtol=0, atol=1e-9):
            return (
                f"your numbers look rounded to {decimals} decimal place(s): keep full "
                "precision and round only when you present the result."
            )
        if np.allclose(np.round(got, decimals), want, rtol=0, atol=1e-9):
            return f"round your result to {decimals} decimal place(s), as the task asks."
    if np.allclose(-got, want, rtol=rtol, atol=atol):
        return "your numbers have the wrong sign: check which value you subtract from which."
    return None


def _compare_number(value: Any, expected: Any, rtol: float, atol: float) -> list[str]:
    if isinstance(value, (bool, np.bool_)) or not _is_number(value):
        return [f"expected {_kind_name(float)}, got {describe_type(value)}."]
    got, want = float(value), float(expected)
    if math.isnan(want):
        return [] if math.isnan(got) else [f"expected a missing value (NaN), got {_fmt(got)}."]
    if math.isclose(got, want, rel_tol=rtol, abs_tol=atol):
        return []
    hint = _numbers_hint(np.array([got]), np.array([want]), rtol, atol)
    return [f"got {_fmt(got)}, expected {_fmt(want)}" + (f": {hint}" if hint else ".")]


# ---------------------------------------------------------------- comparing tables


def _compare_index(got: pd.Index, want: pd.Index, what: str) -> list[str]:
    problems: list[str] = []
    if list(got.names) != list(want.names):
        wanted = [n for n in want.names if n is not None]
        if wanted:
            problems.append(
                f"the {what} index should be {_listed(wanted)}, but yours is "
                f"{_listed([n for n in got.names if n is not None]) or 'unnamed (0, 1, 2, …)'}: "
                f"use .set_index({_fmt(wanted[0] if len(wanted) == 1 else wanted)}) "
                "or groupby on that column."
            )
        else:
            problems.append(
                f"the {what} index should be the plain row numbers 0, 1, 2, …, but yours is "
                f"{_listed([n for n in got.names if n is not None])}: use .reset_index()."
            )
        return problems
    got_labels, want_labels = list(got), list(want)
    if got_labels == want_labels:
        return problems
    missing = [k for k in want_labels if k not in set(got_labels)]
    extra = [k for k in got_labels if k not in set(want_labels)]
    if missing:
        problems.append(f"missing {what} label(s): {_listed(missing)}.")
    if extra:
        problems.append(f"unexpected {what} label(s): {_listed(extra)}.")
    if not missing and not extra:
        if sorted(map(str, got_labels)) == sorted(map(str, want_labels)) and len(got_labels) == len(want_labels):
            problems.append(
                f"the {what}s are in a different order: expected {_listed(want_labels)} first. "
                "Sort them (sort_index() or sort_values()) as the task asks."
            )
        else:
            problems.append(
                f"some {what} labels appear a different number of times "
                f"(expected {len(want_labels)} {what}s, got {len(got_labels)})."
            )
    return problems


def _same_item(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) or bool(pd.isna(a) and pd.isna(b))
    except (TypeError, ValueError):  # lists or arrays inside cells
        return False


def _compare_column(got: pd.Series, want: pd.Series, name: str, rtol: float, atol: float) -> list[str]:
    """Compare two aligned columns value by value and name the first differing rows."""
    if pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
        if not pd.api.types.is_numeric_dtype(got) or pd.api.types.is_bool_dtype(got):
            return [
                f"column {name!r} should hold numbers but holds {got.dtype} values: "
                "convert with pd.to_numeric() or check which column you picked."
            ]
        g = got.astype("float64").to_numpy()
        w = want.astype("float64").to_numpy()
        same = np.isclose(g, w, rtol=rtol, atol=atol) | (np.isnan(g) & np.isnan(w))
    else:
        g = got.to_numpy(dtype=object)
        w = want.to_numpy(dtype=object)
        same = np.array([_same_item(a, b) for a, b in zip(g, w, strict=True)], dtype=bool)
    if same.all():
        return []
    rows = [i for i, ok in enumerate(same) if not ok]
    labels = list(got.index)
    where = "; ".join(f"row {_fmt(labels[i])}: got {_fmt(g[i])}, expected {_fmt(w[i])}" for i in rows[:MAX_LISTED])
    more = f" (and {len(rows) - MAX_LISTED} more rows)" if len(rows) > MAX_LISTED else ""
    text = f"column {name!r} differs in {len(rows)} of {len(same)} rows — {where}{more}."
    if g.dtype.kind == "f":
        hint = _numbers_hint(g[rows], w[rows], rtol, atol)
        if hint:
            text += f" Hint: {hint}"
    return [text]


def _compare_series(value: Any, expected: pd.Series, rtol: float, atol: float) -> list[str]:
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        return [
            "expected a pandas Series, got a DataFrame with one column: "
            f"take the column with df[{_fmt(value.columns[0])}]."
        ]
    if not isinstance(value, pd.Series):
        return [f"expected a pandas Series, got {describe_type(value)}."]
    problems = _compare_index(value.index, expected.index, "row")
    if problems:
        return problems
    return _compare_column(value, expected, expected.name or "values", rtol, atol)


def _compare_frame(value: Any, expected: pd.DataFrame, rtol: float, atol: float) -> list[str]:
    if isinstance(value, pd.Series):
        return [
            "expected a pandas DataFrame (a table), got a Series (one column): use "
            "double brackets df[['a', 'b']], .to_frame() or .reset_index()."
        ]
    if not isinstance(value, pd.DataFrame):
        return [f"expected a pandas DataFrame, got {describe_type(value)}."]
    problems: list[str] = []
    want_cols, got_cols = list(expected.columns), list(value.columns)
    missing = [c for c in want_cols if c not in got_cols]
    extra = [c for c in got_cols if c not in want_cols]
    if missing:
        moved = [c for c in missing if c in list(value.index.names)]
        problems.append(
            f"missing column(s): {_listed(missing)}" + (" (it is in your index: use .reset_index())." if moved else ".")
        )
    if extra:
        moved = [c for c in extra if c in list(expected.index.names)]
        problems.append(
            f"extra column(s): {_listed(extra)}"
            + (
                " (it belongs in the index: use .set_index())."
                if moved
                else ": keep only the columns the task asks for."
            )
        )
    if problems:
        return problems
    problems += _compare_index(value.index, expected.index, "row")
    if problems:
        return problems
    for col in want_cols:
        problems += _compare_column(value[col], expected[col], col, rtol, atol)
    return problems


def _compare_collection(value: Any, expected: Any, rtol: float, atol: float) -> list[str]:
    if isinstance(expected, (set, frozenset)):
        if not isinstance(value, (set, frozenset, list, tuple)):
            return [f"expected a set, got {describe_type(value)}."]
        got = set(value)
        missing, extra = sorted(expected - got, key=str), sorted(got - expected, key=str)
        out = []
        if missing:
            out.append(f"missing: {_listed(missing)}.")
        if extra:
            out.append(f"not expected: {_listed(extra)}.")
        return out
    if isinstance(expected, Mapping):
        if not isinstance(value, Mapping):
            return [f"expected a dict, got {describe_type(value)}."]
        out = []
        missing = [k for k in expected if k not in value]
        extra = [k for k in value if k not in expected]
        if missing:
            out.append(f"missing key(s): {_listed(missing)}.")
        if extra:
            out.append(f"unexpected key(s): {_listed(extra)}.")
        for key in expected:
            if key in value:
                out += [f"key {_fmt(key)}: {p}" for p in compare(value[key], expected[key], rtol=rtol, atol=atol)]
        return out
    if not isinstance(value, (list, tuple)):
        return [f"expected {describe_type(expected)}, got {describe_type(value)}."]
    if len(value) != len(expected):
        return [f"expected {len(expected)} elements, got {len(value)}."]
    if sorted(map(repr, value)) == sorted(map(repr, expected)) and list(value) != list(expected):
        return ["the right elements in the wrong order: sort them as the task asks."]
    out = []
    for i, (g, w) in enumerate(zip(value, expected, strict=True)):
        out += [f"element {i}: {p}" for p in compare(g, w, rtol=rtol, atol=atol)]
    return out[:MAX_LISTED]


def compare(value: Any, expected: Any, *, rtol: float = 1e-6, atol: float = 1e-9) -> list[str]:
    """Return what differs between `value` and `expected`, in sentences; [] when they agree."""
    if value is NOT_ANSWERED:
        return ["not answered yet."]
    if isinstance(expected, pd.DataFrame):
        return _compare_frame(value, expected, rtol, atol)
    if isinstance(expected, pd.Series):
        return _compare_series(value, expected, rtol, atol)
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(value, (bool, np.bool_)):
            return [f"expected True or False, got {describe_type(value)}."]
        return [] if bool(value) == bool(expected) else [f"got {value}, expected {bool(expected)}."]
    if _is_number(expected):
        return _compare_number(value, expected, rtol, atol)
    if isinstance(expected, str):
        if not isinstance(value, str):
            return [f"expected text (str), got {describe_type(value)}."]
        if value.strip().casefold() == expected.strip().casefold():
            return []
        return [f"got {value!r}, expected a different text."]
    if isinstance(expected, (list, tuple, set, frozenset, Mapping)):
        return _compare_collection(value, expected, rtol, atol)
    if expected is None:
        return [] if value is None else [f"expected None, got {describe_type(value)}."]
    try:
        same = bool(value == expected)
    except Exception:  # objects whose == is not a truth value
        same = False
    return [] if same else [f"got {_fmt(value)}, expected {_fmt(expected)}."]


def inspect(
    value: Any,
    expected: Any = _MISSING,
    *,
    kind: type | tuple[type, ...] | None = None,
    columns: Sequence[str] | None = None,
    index: str | Sequence[str] | None = None,
    length: int | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> list[str]:
    """All problems with `value`: its kind and shape first, then its values against `expected`.

    The structural arguments let a public check help a student without revealing the answer.
    """
    if value is NOT_ANSWERED:
        return ["not answered yet."]
    if kind is not None and not _matches_kind(value, kind):
        extra = ""
        if isinstance(value, pd.DataFrame) and kind is pd.Series and value.shape[1] == 1:
            extra = f" Take the column with df[{_fmt(value.columns[0])}]."
        elif isinstance(value, pd.Series) and kind is pd.DataFrame:
            extra = " Use .to_frame() or .reset_index() to make it a table."
        elif isinstance(value, str) and kind in (float, int):
            extra = " Remove the quotation marks: a number is written without them."
        return [f"expected {_kind_name(kind)}, got {describe_type(value)}.{extra}"]
    problems: list[str] = []
    if columns is not None and isinstance(value, pd.DataFrame):
        missing = [c for c in columns if c not in value.columns]
        extra_cols = [c for c in value.columns if c not in columns]
        if missing:
            problems.append(f"missing column(s): {_listed(missing)}.")
        if extra_cols:
            problems.append(f"extra column(s): {_listed(extra_cols)}: keep only the columns the task asks for.")
    if index is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        wanted = [index] if isinstance(index, str) else list(index)
        got = [n for n in value.index.names if n is not None]
        if got != wanted:
            problems.append(
                f"the index should be {_listed(wanted)}, but yours is "
                f"{_listed(got) if got else 'unnamed (0, 1, 2, …)'}."
            )
    if length is not None and hasattr(value, "__len__") and len(value) != length:
        rows = "rows" if isinstance(value, (pd.DataFrame, pd.Series)) else "elements"
        problems.append(f"expected {length} {rows}, got {len(value)}.")
    if problems or expected is _MISSING:
        return problems
    return compare(value, expected, rtol=rtol, atol=atol)


def hidden_problems(value: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9) -> list[str]:
    """What is wrong with `value`, in words that do not give `expected` away (for hidden checks)."""
    if value is NOT_ANSWERED or expected is _MISSING:
        return [] if expected is _MISSING else ["not answered yet."]
    if not compare(value, expected, rtol=rtol, atol=atol):
        return []
    got, want = describe_type(value), describe_type(expected)
    if isinstance(expected, (pd.DataFrame, pd.Series)):
        if type(value) is not type(expected) and not isinstance(value, type(expected)):
            return [f"wrong type: expected {want}, got {got}."]
        if len(value) < len(expected):
            return [f"missing rows: {len(expected) - len(value)} fewer than expected."]
        if len(value) > len(expected):
            return [f"too many rows: {len(value) - len(expected)} more than expected."]
        if isinstance(expected, pd.DataFrame) and list(value.columns) != list(expected.columns):
            return ["the columns are not the expected ones, or not in the expected order."]
        if list(value.index.names) != list(expected.index.names):
            return ["the index is not the expected one."]
        if list(value.index) != list(expected.index):
            if sorted(map(str, value.index)) == sorted(map(str, expected.index)):
                return ["the right rows in a different order: sort them as the task asks."]
            return ["some row labels are not the expected ones."]
        return ["some values differ from the expected ones."]
    if _is_number(expected) and not isinstance(expected, (bool, np.bool_)):
        if not _is_number(value) or isinstance(value, (bool, np.bool_)):
            return [f"wrong type: expected {want}, got {got}."]
        g, w = float(value), float(expected)
        if math.isnan(g) or math.isnan(w):
            return ["a missing value (NaN) where a number was expected, or the other way round."]
        hint = _numbers_hint(np.array([g]), np.array([w]), rtol, atol)
        return [hint] if hint else ["too small." if g < w else "too large."]
    if isinstance(expected, str):
        return ["a different text than expected."] if isinstance(value, str) else [f"wrong type: expected {want}."]
    if isinstance(expected, (list, tuple, set, frozenset, Mapping)):
        if not isinstance(value, (list, tuple, set, frozenset, Mapping)):
            return [f"wrong type: expected {want}, got {got}."]
        if len(value) < len(expected):
            return [f"missing elements: {len(expected) - len(value)} fewer than expected."]
        if len(value) > len(expected):
            return [f"too many elements: {len(value) - len(expected)} more than expected."]
        if sorted(map(repr, value)) == sorted(map(repr, expected)):
            return ["the right elements in a different order: sort them as the task asks."]
        return ["some elements differ from the expected ones."]
    if got != want:
        return [f"wrong type: expected {want}, got {got}."]
    return ["not the expected value."]


def _log(outcome: Outcome) -> None:
    path = os.environ.get(LOG_ENV)
    if not path:
        return
    record = asdict(outcome) | {"passed": outcome.passed}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def check(
    label: str,
    value: Any,
    expected: Any = _MISSING,
    *,
    kind: type | tuple[type, ...] | None = None,
    columns: Sequence[str] | None = None,
    index: str | Sequence[str] | None = None,
    length: int | None = None,
    hidden: int = 0,
    hint: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> None:
    """Check one answer; print what is right or wrong (student) or raise when it is wrong (grading).

    `label` names the check in feedback (e.g. "shares: values"); `hidden` says how many more
    checks the grader will run on this answer, so a green public check is not taken for full marks.
    Returns nothing, so a check on a cell's last line adds no `True` under its message.
    """
    problems = inspect(value, expected, kind=kind, columns=columns, index=index, length=length, rtol=rtol, atol=atol)
    answered = value is not NOT_ANSWERED
    outcome = Outcome(label=label, answered=answered, problems=[] if not answered else problems, hidden=hidden)
    if hint and outcome.problems:
        outcome.problems.append(f"Hint: {hint}")
    _log(outcome)
    for observer in OBSERVERS:
        observer(outcome, value, expected, rtol, atol, hint)
    if grading():
        if not answered:
            raise NotAnswered(f"{label}: not answered (the answer is still `...`).")
        if outcome.problems:
            raise CheckFailed(f"{label}: " + " ".join(outcome.problems))
        return
    print(outcome.message())
