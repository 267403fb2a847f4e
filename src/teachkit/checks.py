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

from .course import language
from .messages import in_language
from .strings import swap_marks

GRADING_ENV = "TEACHKIT_GRADING"
LOG_ENV = "TEACHKIT_CHECK_LOG"
MAX_LISTED = 3  # rows, values or labels named in one message: enough to find the mistake
NOT_ANSWERED = Ellipsis  # the stub `answer = ...` of a generated exercise

_MISSING = object()

# Called with (outcome, value, expected, rtol, atol, hint) after every check, the hint already in the
# current language: the grader's clean check process records results here instead of trusting
# anything a student's kernel wrote.
OBSERVERS: list[Any] = []


Hint = str | Mapping[str, str]
"""A check's hint: one text shown as written, or texts by language ({"en": …, "de": …})."""


class HintError(TypeError):
    """A hint mapping an author wrote wrongly; raised at the check, whatever the answer."""


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
"""The frame of a check's message in each language; the detail lines (what differs) are in DETAILS."""

DETAILS: dict[str, dict[str, str]] = {
    # -- what a value is: describe_type and _kind_name (nominative in German: "… ist eine Liste")
    "type_none": {
        "en": "None (nothing: did you forget to return or assign a result?)",
        "de": "None (nichts: Haben Sie vergessen, das Ergebnis zurückzugeben oder zuzuweisen?)",
    },
    "type_stub": {"en": "... (not answered yet)", "de": "... (noch nicht beantwortet)"},
    "type_frame": {"en": "a pandas DataFrame", "de": "ein pandas DataFrame"},
    "type_series": {"en": "a pandas Series", "de": "eine pandas Series"},
    "type_bool": {"en": "a truth value (bool)", "de": "ein Wahrheitswert (bool)"},
    "type_int": {"en": "a whole number (int)", "de": "eine ganze Zahl (int)"},
    "type_float": {"en": "a number (float)", "de": "eine Zahl (float)"},
    "type_str": {"en": "text (str)", "de": "ein Text (str)"},
    "type_list": {"en": "a list", "de": "eine Liste (list)"},
    "type_tuple": {"en": "a tuple", "de": "ein Tupel (tuple)"},
    "type_set": {"en": "a set", "de": "eine Menge (set)"},
    "type_dict": {"en": "a dict", "de": "ein Dictionary (dict)"},
    "type_other": {"en": "a {name}", "de": "ein Objekt vom Typ {name}"},
    "or": {"en": " or ", "de": " oder "},
    "and_more": {"en": " and {n} more", "de": " und {n} weitere"},
    # -- the two sentences every comparison is built from
    "got_expected": {"en": "got {got}, expected {want}.", "de": "Erwartet wurde {want}, Ihr Ergebnis ist {got}."},
    "got_expected_hint": {
        "en": "got {got}, expected {want}: {hint}",
        "de": "Erwartet wurde {want}, Ihr Ergebnis ist {got}. {hint}",
    },
    "expected_got": {"en": "expected {want}, got {got}.", "de": "Erwartet wurde {want}, Ihr Ergebnis ist {got}."},
    "expected_nan": {
        "en": "expected a missing value (NaN), got {got}.",
        "de": "Erwartet wurde ein fehlender Wert (NaN), Ihr Ergebnis ist {got}.",
    },
    "expected_bool": {
        "en": "expected True or False, got {got}.",
        "de": "Erwartet wurde True oder False, Ihr Ergebnis ist {got}.",
    },
    "other_text": {"en": "got {got}, expected a different text.", "de": "Erwartet wurde ein anderer Text als {got}."},
    "not_answered": {"en": "not answered yet.", "de": "Noch nicht beantwortet."},
    "hint": {"en": "Hint: {hint}", "de": "Hinweis: {hint}"},
    # -- systematic slips with numbers: _numbers_hint
    "hint_percent": {
        "en": "your numbers are 100 times too small: the task wants percentages (0–100), "
        "you gave shares (0–1). Multiply by 100.",
        "de": "Ihre Zahlen sind 100-mal zu klein: Gefragt sind Prozentwerte (0–100), "
        "Sie haben Anteile (0–1) angegeben. Multiplizieren Sie mit 100.",
    },
    "hint_share": {
        "en": "your numbers are 100 times too large: the task wants shares (0–1), "
        "you gave percentages (0–100). Divide by 100.",
        "de": "Ihre Zahlen sind 100-mal zu groß: Gefragt sind Anteile (0–1), "
        "Sie haben Prozentwerte (0–100) angegeben. Teilen Sie durch 100.",
    },
    "hint_rounded_0": {
        "en": "your numbers look rounded to whole numbers: keep full precision and round only when you "
        "present the result.",
        "de": "Ihre Zahlen sind offenbar auf ganze Zahlen gerundet: Rechnen Sie ungerundet weiter und runden "
        "Sie erst, wenn Sie das Ergebnis darstellen.",
    },
    "hint_rounded_1": {
        "en": "your numbers look rounded to 1 decimal place: keep full precision and round only when you "
        "present the result.",
        "de": "Ihre Zahlen sind offenbar auf eine Nachkommastelle gerundet: Rechnen Sie ungerundet weiter "
        "und runden Sie erst, wenn Sie das Ergebnis darstellen.",
    },
    "hint_rounded_n": {
        "en": "your numbers look rounded to {decimals} decimal places: keep full precision and round only "
        "when you present the result.",
        "de": "Ihre Zahlen sind offenbar auf {decimals} Nachkommastellen gerundet: Rechnen Sie ungerundet "
        "weiter und runden Sie erst, wenn Sie das Ergebnis darstellen.",
    },
    "hint_round_0": {
        "en": "round your result to a whole number, as the task asks.",
        "de": "Runden Sie Ihr Ergebnis auf eine ganze Zahl, wie es die Aufgabe verlangt.",
    },
    "hint_round_1": {
        "en": "round your result to 1 decimal place, as the task asks.",
        "de": "Runden Sie Ihr Ergebnis auf eine Nachkommastelle, wie es die Aufgabe verlangt.",
    },
    "hint_round_n": {
        "en": "round your result to {decimals} decimal places, as the task asks.",
        "de": "Runden Sie Ihr Ergebnis auf {decimals} Nachkommastellen, wie es die Aufgabe verlangt.",
    },
    "hint_sign": {
        "en": "your numbers have the wrong sign: check which value you subtract from which.",
        "de": "Ihre Zahlen haben das falsche Vorzeichen: Prüfen Sie, welchen Wert Sie von welchem abziehen.",
    },
    # -- tables: _compare_index, _compare_column, _compare_series, _compare_frame, inspect
    "unnamed_index": {"en": "unnamed (0, 1, 2, …)", "de": "unbenannt (0, 1, 2, …)"},
    "index_named": {
        "en": "the row index should be {want}, but yours is {got}: use .set_index({code}) or groupby on that column.",
        "de": "Der Index sollte {want} sein, Ihr Index ist aber {got}: Verwenden Sie .set_index({code}) "
        "oder groupby nach dieser Spalte.",
    },
    "index_plain": {
        "en": "the row index should be the plain row numbers 0, 1, 2, …, but yours is {got}: use .reset_index().",
        "de": "Der Index sollte aus den einfachen Zeilennummern 0, 1, 2, … bestehen, Ihr Index ist aber {got}: "
        "Verwenden Sie .reset_index().",
    },
    "index_should_be": {
        "en": "the index should be {want}, but yours is {got}.",
        "de": "Der Index sollte {want} sein, Ihr Index ist aber {got}.",
    },
    "missing_labels_1": {
        "en": "missing row label(s): {labels}.",
        "de": "Es fehlt die Zeile mit dem Index {labels}.",
    },
    "missing_labels_n": {
        "en": "missing row label(s): {labels}.",
        "de": "Es fehlen die Zeilen mit dem Index {labels}.",
    },
    "extra_labels_1": {
        "en": "unexpected row label(s): {labels}.",
        "de": "Die Zeile mit dem Index {labels} gehört nicht dazu.",
    },
    "extra_labels_n": {
        "en": "unexpected row label(s): {labels}.",
        "de": "Die Zeilen mit dem Index {labels} gehören nicht dazu.",
    },
    "rows_order": {
        "en": "the rows are in a different order: expected {labels} first. "
        "Sort them (sort_index() or sort_values()) as the task asks.",
        "de": "Die Zeilen stehen in einer anderen Reihenfolge als erwartet (zuerst {labels}). "
        "Sortieren Sie sie (sort_index() oder sort_values()), wie es die Aufgabe verlangt.",
    },
    "labels_repeat": {
        "en": "some row labels appear a different number of times (expected {want} rows, got {got}).",
        "de": "Einige Indexwerte kommen unterschiedlich oft vor (erwartet wurden {want} Zeilen, "
        "Ihr Ergebnis hat {got}).",
    },
    "unnamed_column": {"en": "'values'", "de": "ohne Namen"},
    "column_not_numbers": {
        "en": "column {name} should hold numbers but holds {dtype} values: "
        "convert with pd.to_numeric() or check which column you picked.",
        "de": "Die Spalte {name} sollte Zahlen enthalten, enthält aber Werte vom Typ {dtype}: "
        "Wandeln Sie sie mit pd.to_numeric() um oder prüfen Sie, welche Spalte Sie gewählt haben.",
    },
    "column_differs": {
        "en": "column {name} differs in {n} of {total} rows — {where}{more}.",
        "de": "Die Spalte {name} weicht in {n} von {total} Zeilen ab – {where}{more}.",
    },
    "row_differs": {
        "en": "row {row}: got {got}, expected {want}",
        "de": "Zeile {row}: erwartet {want}, Ihr Wert {got}",
    },
    "more_rows_1": {"en": " (and 1 more row)", "de": " (und 1 weitere Zeile)"},
    "more_rows_n": {"en": " (and {n} more rows)", "de": " (und {n} weitere Zeilen)"},
    "column_hint": {"en": " Hint: {hint}", "de": " Hinweis: {hint}"},
    "series_is_frame": {
        "en": "expected a pandas Series, got a DataFrame with one column: take the column with df[{column}].",
        "de": "Erwartet wurde eine pandas Series, Ihr Ergebnis ist ein DataFrame mit einer Spalte: "
        "Wählen Sie die Spalte mit df[{column}] aus.",
    },
    "frame_is_series": {
        "en": "expected a pandas DataFrame (a table), got a Series (one column): use "
        "double brackets df[['a', 'b']], .to_frame() or .reset_index().",
        "de": "Erwartet wurde ein pandas DataFrame (eine Tabelle), Ihr Ergebnis ist eine Series (eine Spalte): "
        "Verwenden Sie doppelte eckige Klammern df[['a', 'b']], .to_frame() oder .reset_index().",
    },
    "missing_columns_1": {"en": "missing column(s): {columns}.", "de": "Es fehlt die Spalte {columns}."},
    "missing_columns_n": {"en": "missing column(s): {columns}.", "de": "Es fehlen die Spalten {columns}."},
    "missing_columns_in_index_1": {
        "en": "missing column(s): {columns} (it is in your index: use .reset_index()).",
        "de": "Es fehlt die Spalte {columns} (sie steht in Ihrem Index: Verwenden Sie .reset_index()).",
    },
    "missing_columns_in_index_n": {
        "en": "missing column(s): {columns} (it is in your index: use .reset_index()).",
        "de": "Es fehlen die Spalten {columns} (sie stehen in Ihrem Index: Verwenden Sie .reset_index()).",
    },
    "extra_columns_1": {
        "en": "extra column(s): {columns}: keep only the columns the task asks for.",
        "de": "Die Spalte {columns} ist überflüssig: Behalten Sie nur die Spalten, die die Aufgabe verlangt.",
    },
    "extra_columns_n": {
        "en": "extra column(s): {columns}: keep only the columns the task asks for.",
        "de": "Die Spalten {columns} sind überflüssig: Behalten Sie nur die Spalten, die die Aufgabe verlangt.",
    },
    "extra_columns_for_index_1": {
        "en": "extra column(s): {columns} (it belongs in the index: use .set_index()).",
        "de": "Die Spalte {columns} gehört in den Index: Verwenden Sie .set_index().",
    },
    "extra_columns_for_index_n": {
        "en": "extra column(s): {columns} (it belongs in the index: use .set_index()).",
        "de": "Die Spalten {columns} gehören in den Index: Verwenden Sie .set_index().",
    },
    "want_rows": {
        "en": "expected {want} rows, got {got}.",
        "de": "Erwartet wurden {want} Zeilen, Ihr Ergebnis hat {got}.",
    },
    "kind_take_column": {
        "en": " Take the column with df[{column}].",
        "de": " Wählen Sie die Spalte mit df[{column}] aus.",
    },
    "kind_to_frame": {
        "en": " Use .to_frame() or .reset_index() to make it a table.",
        "de": " Machen Sie mit .to_frame() oder .reset_index() eine Tabelle daraus.",
    },
    "kind_quotes": {
        "en": " Remove the quotation marks: a number is written without them.",
        "de": " Entfernen Sie die Anführungszeichen: Eine Zahl wird ohne sie geschrieben.",
    },
    # -- collections: _compare_collection
    "set_missing_1": {"en": "missing: {items}.", "de": "Es fehlt {items}."},
    "set_missing_n": {"en": "missing: {items}.", "de": "Es fehlen {items}."},
    "set_extra_1": {"en": "not expected: {items}.", "de": "{items} gehört nicht dazu."},
    "set_extra_n": {"en": "not expected: {items}.", "de": "{items} gehören nicht dazu."},
    "missing_keys_1": {"en": "missing key(s): {keys}.", "de": "Es fehlt der Schlüssel {keys}."},
    "missing_keys_n": {"en": "missing key(s): {keys}.", "de": "Es fehlen die Schlüssel {keys}."},
    "extra_keys_1": {"en": "unexpected key(s): {keys}.", "de": "Der Schlüssel {keys} ist nicht vorgesehen."},
    "extra_keys_n": {"en": "unexpected key(s): {keys}.", "de": "Die Schlüssel {keys} sind nicht vorgesehen."},
    "at_key": {"en": "key {key}: {problem}", "de": "Schlüssel {key}: {problem}"},
    "at_element": {"en": "element {i}: {problem}", "de": "Element {i}: {problem}"},
    "want_elements": {
        "en": "expected {want} elements, got {got}.",
        "de": "Erwartet wurden {want} Elemente, Ihr Ergebnis hat {got}.",
    },
    "elements_wrong_order": {
        "en": "the right elements in the wrong order: sort them as the task asks.",
        "de": "Die richtigen Elemente, aber in falscher Reihenfolge: Sortieren Sie sie, wie es die Aufgabe verlangt.",
    },
    # -- hidden checks: hidden_problems (never the expected value, only what kind of thing is wrong)
    "hidden_type": {
        "en": "wrong type: expected {want}, got {got}.",
        "de": "Falscher Typ: Erwartet wurde {want}, Ihr Ergebnis ist {got}.",
    },
    "hidden_type_only": {"en": "wrong type: expected {want}.", "de": "Falscher Typ: Erwartet wurde {want}."},
    "hidden_fewer_rows": {
        "en": "missing rows: {n} fewer than expected.",
        "de": "Es fehlen Zeilen: {n} weniger als erwartet.",
    },
    "hidden_more_rows": {
        "en": "too many rows: {n} more than expected.",
        "de": "Zu viele Zeilen: {n} mehr als erwartet.",
    },
    "hidden_columns": {
        "en": "the columns are not the expected ones, or not in the expected order.",
        "de": "Die Spalten sind nicht die erwarteten oder stehen nicht in der erwarteten Reihenfolge.",
    },
    "hidden_index": {"en": "the index is not the expected one.", "de": "Der Index ist nicht der erwartete."},
    "hidden_rows_order": {
        "en": "the right rows in a different order: sort them as the task asks.",
        "de": "Die richtigen Zeilen, aber in anderer Reihenfolge: Sortieren Sie sie, wie es die Aufgabe verlangt.",
    },
    "hidden_labels": {
        "en": "some row labels are not the expected ones.",
        "de": "Einige Indexwerte sind nicht die erwarteten.",
    },
    "hidden_values": {
        "en": "some values differ from the expected ones.",
        "de": "Einige Werte weichen von den erwarteten ab.",
    },
    "hidden_nan": {
        "en": "a missing value (NaN) where a number was expected, or the other way round.",
        "de": "Ein fehlender Wert (NaN), wo eine Zahl erwartet wurde, oder umgekehrt.",
    },
    "hidden_too_small": {"en": "too small.", "de": "Zu klein."},
    "hidden_too_large": {"en": "too large.", "de": "Zu groß."},
    "hidden_text": {"en": "a different text than expected.", "de": "Ein anderer Text als erwartet."},
    "hidden_fewer_elements": {
        "en": "missing elements: {n} fewer than expected.",
        "de": "Es fehlen Elemente: {n} weniger als erwartet.",
    },
    "hidden_more_elements": {
        "en": "too many elements: {n} more than expected.",
        "de": "Zu viele Elemente: {n} mehr als erwartet.",
    },
    "hidden_elements_order": {
        "en": "the right elements in a different order: sort them as the task asks.",
        "de": "Die richtigen Elemente, aber in anderer Reihenfolge: Sortieren Sie sie, wie es die Aufgabe verlangt.",
    },
    "hidden_elements": {
        "en": "some elements differ from the expected ones.",
        "de": "Einige Elemente weichen von den erwarteten ab.",
    },
    "hidden_value": {"en": "not the expected value.", "de": "Nicht der erwartete Wert."},
    "hidden_structure": {
        "en": "the type, columns, index or length is not the expected one.",
        "de": "Typ, Spalten, Index oder Länge sind nicht wie erwartet.",
    },
    # -- under grading: the text of the exception
    "graded_not_answered": {
        "en": "{label}: not answered (the answer is still `...`).",
        "de": "{label}: nicht beantwortet (die Antwort ist noch `...`).",
    },
}
"""Every detail line a check can write, in each language: templates with named {fields}.

German lines are whole sentences (capital letter, Sie-form); a number a student reads arrives in a
field already written with the language's decimal mark (`_fmt`), while labels, keys and code stay
Python (`_code`), so that what is shown can be typed back.
"""


def say(key: str, lang: str | None = None, /, **fields: object) -> str:
    """The detail line `key` of DETAILS in `lang` (default: the course language), fields filled in."""
    return in_language(DETAILS[key], lang).format(**fields)


def _counted(key: str, items: Sequence[Any]) -> str:
    """The singular (`key_1`) or plural (`key_n`) form of a line that names `items`."""
    return f"{key}_1" if len(items) == 1 else f"{key}_n"


def hint_text(hint: Hint | None, label: str, lang: str | None = None) -> str | None:
    """The hint to show in `lang` (default: the course language); a mapping without `lang` gives English.

    A hint is checked on every call, not only when the answer is wrong, so a malformed mapping
    stops the author's own run of the solution notebook rather than a student's failed attempt.
    """
    if hint is None or isinstance(hint, str):
        return hint
    if (
        not isinstance(hint, Mapping)
        or "en" not in hint
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in hint.items())
    ):
        raise HintError(
            f"check {label!r}: hint must be a text or a mapping of language to text with an English entry, "
            f'e.g. hint={{"en": "Divide by all rows.", "de": "Teilen Sie durch alle Zeilen."}}; got {hint!r}.'
        )
    return in_language(hint, lang)


def grading() -> bool:
    """True when a grader runs the notebook: failed checks then raise instead of printing."""
    return os.environ.get(GRADING_ENV, "").strip().lower() in ("1", "true", "yes")


# ---------------------------------------------------------------- describing values

_TYPE_KEYS: dict[type, str] = {
    pd.DataFrame: "type_frame",
    pd.Series: "type_series",
    float: "type_float",
    int: "type_int",
    str: "type_str",
    bool: "type_bool",
    list: "type_list",
    dict: "type_dict",
    tuple: "type_tuple",
    set: "type_set",
}


def describe_type(value: Any, lang: str | None = None) -> str:
    """A type name a student recognises: 'a pandas DataFrame', 'a number (float)', 'text (str)'."""
    lang = lang or language()
    if value is None:
        return say("type_none", lang)
    if value is NOT_ANSWERED:
        return say("type_stub", lang)
    if isinstance(value, pd.DataFrame):
        return say("type_frame", lang)
    if isinstance(value, pd.Series):
        return say("type_series", lang)
    if isinstance(value, (bool, np.bool_)):
        return say("type_bool", lang)
    if isinstance(value, (int, np.integer)):
        return say("type_int", lang)
    if isinstance(value, (float, np.floating)):
        return say("type_float", lang)
    if isinstance(value, str):
        return say("type_str", lang)
    if isinstance(value, (list, tuple, set, dict)):
        return say(_TYPE_KEYS.get(type(value), "type_other"), lang, name=type(value).__name__)
    return say("type_other", lang, name=f"{type(value).__module__}.{type(value).__name__}")


def _kind_name(kind: type | tuple[type, ...], lang: str) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return say("or", lang).join(say(_TYPE_KEYS[k], lang) if k in _TYPE_KEYS else k.__name__ for k in kinds)


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


def _listed(items: Sequence[Any], lang: str) -> str:
    """A few labels, keys or elements as Python writes them ('a', 2016), then how many more there are."""
    shown = ", ".join(_code(i) for i in list(items)[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (say("and_more", lang, n=more) if more > 0 else "")


def _plain(value: Any) -> Any:
    """numpy scalars print as np.float64(3.0) since numpy 2; students should see 3.0."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def _code(value: Any) -> str:
    """A label, key or element the way it is written in code: the same in every language."""
    return repr(_plain(value))


def _fmt(value: Any, lang: str) -> str:
    """A value to read: a float with six significant digits and the language's decimal mark."""
    value = _plain(value)
    if isinstance(value, float):
        return swap_marks(f"{value:.6g}", lang)
    return repr(value)


# ---------------------------------------------------------------- comparing numbers


def _numbers_hint(got: np.ndarray, want: np.ndarray, rtol: float, atol: float, lang: str) -> str | None:
    """Name a systematic slip: a factor of 100 (share vs percent), rounding, or a sign."""
    if got.size == 0 or not (np.isfinite(got).all() and np.isfinite(want).all()):
        return None
    if np.allclose(got * 100, want, rtol=rtol, atol=atol):
        return say("hint_percent", lang)
    if np.allclose(got / 100, want, rtol=rtol, atol=atol):
        return say("hint_share", lang)
    for decimals in range(3, -1, -1):
        places = str(min(decimals, 1)) if decimals < 2 else "n"
        if np.allclose(got, np.round(want, decimals), rtol=0, atol=1e-9):
            return say(f"hint_rounded_{places}", lang, decimals=decimals)
        if np.allclose(np.round(got, decimals), want, rtol=0, atol=1e-9):
            return say(f"hint_round_{places}", lang, decimals=decimals)
    if np.allclose(-got, want, rtol=rtol, atol=atol):
        return say("hint_sign", lang)
    return None


def _compare_number(value: Any, expected: Any, rtol: float, atol: float, lang: str) -> list[str]:
    if isinstance(value, (bool, np.bool_)) or not _is_number(value):
        return [say("expected_got", lang, want=_kind_name(float, lang), got=describe_type(value, lang))]
    got, want = float(value), float(expected)
    if math.isnan(want):
        return [] if math.isnan(got) else [say("expected_nan", lang, got=_fmt(got, lang))]
    if math.isclose(got, want, rel_tol=rtol, abs_tol=atol):
        return []
    hint = _numbers_hint(np.array([got]), np.array([want]), rtol, atol, lang)
    shown = {"got": _fmt(got, lang), "want": _fmt(want, lang)}
    return [say("got_expected_hint", lang, hint=hint, **shown) if hint else say("got_expected", lang, **shown)]


# ---------------------------------------------------------------- comparing tables


def _compare_index(got: pd.Index, want: pd.Index, lang: str) -> list[str]:
    problems: list[str] = []
    if list(got.names) != list(want.names):
        wanted = [n for n in want.names if n is not None]
        have = [n for n in got.names if n is not None]
        if wanted:
            problems.append(
                say(
                    "index_named",
                    lang,
                    want=_listed(wanted, lang),
                    got=_listed(have, lang) or say("unnamed_index", lang),
                    code=_code(wanted[0] if len(wanted) == 1 else wanted),
                )
            )
        else:
            problems.append(say("index_plain", lang, got=_listed(have, lang)))
        return problems
    got_labels, want_labels = list(got), list(want)
    if got_labels == want_labels:
        return problems
    missing = [k for k in want_labels if k not in set(got_labels)]
    extra = [k for k in got_labels if k not in set(want_labels)]
    if missing:
        problems.append(say(_counted("missing_labels", missing), lang, labels=_listed(missing, lang)))
    if extra:
        problems.append(say(_counted("extra_labels", extra), lang, labels=_listed(extra, lang)))
    if not missing and not extra:
        if sorted(map(str, got_labels)) == sorted(map(str, want_labels)) and len(got_labels) == len(want_labels):
            problems.append(say("rows_order", lang, labels=_listed(want_labels, lang)))
        else:
            problems.append(say("labels_repeat", lang, want=len(want_labels), got=len(got_labels)))
    return problems


def _same_item(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) or bool(pd.isna(a) and pd.isna(b))
    except (TypeError, ValueError):  # lists or arrays inside cells
        return False


def _compare_column(got: pd.Series, want: pd.Series, name: Any, rtol: float, atol: float, lang: str) -> list[str]:
    """Compare two aligned columns value by value and name the first differing rows."""
    shown_name = say("unnamed_column", lang) if name is None else _code(name)
    if pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
        if not pd.api.types.is_numeric_dtype(got) or pd.api.types.is_bool_dtype(got):
            return [say("column_not_numbers", lang, name=shown_name, dtype=got.dtype)]
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
    where = "; ".join(
        say("row_differs", lang, row=_code(labels[i]), got=_fmt(g[i], lang), want=_fmt(w[i], lang))
        for i in rows[:MAX_LISTED]
    )
    left = len(rows) - MAX_LISTED
    more = "" if left <= 0 else say("more_rows_1" if left == 1 else "more_rows_n", lang, n=left)
    text = say("column_differs", lang, name=shown_name, n=len(rows), total=len(same), where=where, more=more)
    if g.dtype.kind == "f":
        hint = _numbers_hint(g[rows], w[rows], rtol, atol, lang)
        if hint:
            text += say("column_hint", lang, hint=hint)
    return [text]


def _compare_series(value: Any, expected: pd.Series, rtol: float, atol: float, lang: str) -> list[str]:
    if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
        return [say("series_is_frame", lang, column=_code(value.columns[0]))]
    if not isinstance(value, pd.Series):
        return [say("expected_got", lang, want=_kind_name(pd.Series, lang), got=describe_type(value, lang))]
    problems = _compare_index(value.index, expected.index, lang)
    if problems:
        return problems
    return _compare_column(value, expected, expected.name, rtol, atol, lang)


def _compare_frame(value: Any, expected: pd.DataFrame, rtol: float, atol: float, lang: str) -> list[str]:
    if isinstance(value, pd.Series):
        return [say("frame_is_series", lang)]
    if not isinstance(value, pd.DataFrame):
        return [say("expected_got", lang, want=_kind_name(pd.DataFrame, lang), got=describe_type(value, lang))]
    problems: list[str] = []
    want_cols, got_cols = list(expected.columns), list(value.columns)
    missing = [c for c in want_cols if c not in got_cols]
    extra = [c for c in got_cols if c not in want_cols]
    if missing:
        moved = any(c in list(value.index.names) for c in missing)
        key = "missing_columns_in_index" if moved else "missing_columns"
        problems.append(say(_counted(key, missing), lang, columns=_listed(missing, lang)))
    if extra:
        moved = any(c in list(expected.index.names) for c in extra)
        key = "extra_columns_for_index" if moved else "extra_columns"
        problems.append(say(_counted(key, extra), lang, columns=_listed(extra, lang)))
    if problems:
        return problems
    problems += _compare_index(value.index, expected.index, lang)
    if problems:
        return problems
    for col in want_cols:
        problems += _compare_column(value[col], expected[col], col, rtol, atol, lang)
    return problems


def _compare_collection(value: Any, expected: Any, rtol: float, atol: float, lang: str) -> list[str]:
    if isinstance(expected, (set, frozenset)):
        if not isinstance(value, (set, frozenset, list, tuple)):
            return [say("expected_got", lang, want=_kind_name(set, lang), got=describe_type(value, lang))]
        got = set(value)
        missing, extra = sorted(expected - got, key=str), sorted(got - expected, key=str)
        out = []
        if missing:
            out.append(say(_counted("set_missing", missing), lang, items=_listed(missing, lang)))
        if extra:
            out.append(say(_counted("set_extra", extra), lang, items=_listed(extra, lang)))
        return out
    if isinstance(expected, Mapping):
        if not isinstance(value, Mapping):
            return [say("expected_got", lang, want=_kind_name(dict, lang), got=describe_type(value, lang))]
        out = []
        missing = [k for k in expected if k not in value]
        extra = [k for k in value if k not in expected]
        if missing:
            out.append(say(_counted("missing_keys", missing), lang, keys=_listed(missing, lang)))
        if extra:
            out.append(say(_counted("extra_keys", extra), lang, keys=_listed(extra, lang)))
        for key in expected:
            if key in value:
                out += [
                    say("at_key", lang, key=_code(key), problem=p)
                    for p in compare(value[key], expected[key], rtol=rtol, atol=atol, lang=lang)
                ]
        return out
    if not isinstance(value, (list, tuple)):
        return [say("expected_got", lang, want=describe_type(expected, lang), got=describe_type(value, lang))]
    if len(value) != len(expected):
        return [say("want_elements", lang, want=len(expected), got=len(value))]
    if sorted(map(repr, value)) == sorted(map(repr, expected)) and list(value) != list(expected):
        return [say("elements_wrong_order", lang)]
    out = []
    for i, (g, w) in enumerate(zip(value, expected, strict=True)):
        out += [say("at_element", lang, i=i, problem=p) for p in compare(g, w, rtol=rtol, atol=atol, lang=lang)]
    return out[:MAX_LISTED]


def compare(value: Any, expected: Any, *, rtol: float = 1e-6, atol: float = 1e-9, lang: str | None = None) -> list[str]:
    """Return what differs between `value` and `expected`, in sentences; [] when they agree.

    The sentences are in `lang`, by default the course language.
    """
    lang = lang or language()
    if value is NOT_ANSWERED:
        return [say("not_answered", lang)]
    if isinstance(expected, pd.DataFrame):
        return _compare_frame(value, expected, rtol, atol, lang)
    if isinstance(expected, pd.Series):
        return _compare_series(value, expected, rtol, atol, lang)
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(value, (bool, np.bool_)):
            return [say("expected_bool", lang, got=describe_type(value, lang))]
        if bool(value) == bool(expected):
            return []
        return [say("got_expected", lang, got=bool(value), want=bool(expected))]
    if _is_number(expected):
        return _compare_number(value, expected, rtol, atol, lang)
    if isinstance(expected, str):
        if not isinstance(value, str):
            return [say("expected_got", lang, want=_kind_name(str, lang), got=describe_type(value, lang))]
        if value.strip().casefold() == expected.strip().casefold():
            return []
        return [say("other_text", lang, got=repr(value))]
    if isinstance(expected, (list, tuple, set, frozenset, Mapping)):
        return _compare_collection(value, expected, rtol, atol, lang)
    if expected is None:
        return [] if value is None else [say("expected_got", lang, want="None", got=describe_type(value, lang))]
    try:
        same = bool(value == expected)
    except Exception:  # objects whose == is not a truth value
        same = False
    return [] if same else [say("got_expected", lang, got=_fmt(value, lang), want=_fmt(expected, lang))]


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
    lang: str | None = None,
) -> list[str]:
    """All problems with `value`: its kind and shape first, then its values against `expected`.

    The structural arguments let a public check help a student without revealing the answer.
    """
    lang = lang or language()
    if value is NOT_ANSWERED:
        return [say("not_answered", lang)]
    if kind is not None and not _matches_kind(value, kind):
        extra = ""
        if isinstance(value, pd.DataFrame) and kind is pd.Series and value.shape[1] == 1:
            extra = say("kind_take_column", lang, column=_code(value.columns[0]))
        elif isinstance(value, pd.Series) and kind is pd.DataFrame:
            extra = say("kind_to_frame", lang)
        elif isinstance(value, str) and kind in (float, int):
            extra = say("kind_quotes", lang)
        return [say("expected_got", lang, want=_kind_name(kind, lang), got=describe_type(value, lang)) + extra]
    problems: list[str] = []
    if columns is not None and isinstance(value, pd.DataFrame):
        missing = [c for c in columns if c not in value.columns]
        extra_cols = [c for c in value.columns if c not in columns]
        if missing:
            problems.append(say(_counted("missing_columns", missing), lang, columns=_listed(missing, lang)))
        if extra_cols:
            problems.append(say(_counted("extra_columns", extra_cols), lang, columns=_listed(extra_cols, lang)))
    if index is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        wanted = [index] if isinstance(index, str) else list(index)
        got = [n for n in value.index.names if n is not None]
        if got != wanted:
            shown = _listed(got, lang) if got else say("unnamed_index", lang)
            problems.append(say("index_should_be", lang, want=_listed(wanted, lang), got=shown))
    if length is not None and hasattr(value, "__len__") and len(value) != length:
        key = "want_rows" if isinstance(value, (pd.DataFrame, pd.Series)) else "want_elements"
        problems.append(say(key, lang, want=length, got=len(value)))
    if problems or expected is _MISSING:
        return problems
    return compare(value, expected, rtol=rtol, atol=atol, lang=lang)


def hidden_problems(
    value: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-9, *, lang: str | None = None
) -> list[str]:
    """What is wrong with `value`, in words that do not give `expected` away (for hidden checks).

    In `lang`, by default the course language; the grader's checker passes the submission's.
    """
    lang = lang or language()
    if value is NOT_ANSWERED or expected is _MISSING:
        return [] if expected is _MISSING else [say("not_answered", lang)]
    if not compare(value, expected, rtol=rtol, atol=atol, lang=lang):
        return []
    got, want = describe_type(value, lang), describe_type(expected, lang)
    wrong_type = [say("hidden_type", lang, want=want, got=got)]
    if isinstance(expected, (pd.DataFrame, pd.Series)):
        if type(value) is not type(expected) and not isinstance(value, type(expected)):
            return wrong_type
        if len(value) < len(expected):
            return [say("hidden_fewer_rows", lang, n=len(expected) - len(value))]
        if len(value) > len(expected):
            return [say("hidden_more_rows", lang, n=len(value) - len(expected))]
        if isinstance(expected, pd.DataFrame) and list(value.columns) != list(expected.columns):
            return [say("hidden_columns", lang)]
        if list(value.index.names) != list(expected.index.names):
            return [say("hidden_index", lang)]
        if list(value.index) != list(expected.index):
            if sorted(map(str, value.index)) == sorted(map(str, expected.index)):
                return [say("hidden_rows_order", lang)]
            return [say("hidden_labels", lang)]
        return [say("hidden_values", lang)]
    if _is_number(expected) and not isinstance(expected, (bool, np.bool_)):
        if not _is_number(value) or isinstance(value, (bool, np.bool_)):
            return wrong_type
        g, w = float(value), float(expected)
        if math.isnan(g) or math.isnan(w):
            return [say("hidden_nan", lang)]
        hint = _numbers_hint(np.array([g]), np.array([w]), rtol, atol, lang)
        return [hint] if hint else [say("hidden_too_small" if g < w else "hidden_too_large", lang)]
    if isinstance(expected, str):
        return [say("hidden_text" if isinstance(value, str) else "hidden_type_only", lang, want=want)]
    if isinstance(expected, (list, tuple, set, frozenset, Mapping)):
        if not isinstance(value, (list, tuple, set, frozenset, Mapping)):
            return wrong_type
        if len(value) < len(expected):
            return [say("hidden_fewer_elements", lang, n=len(expected) - len(value))]
        if len(value) > len(expected):
            return [say("hidden_more_elements", lang, n=len(value) - len(expected))]
        if sorted(map(repr, value)) == sorted(map(repr, expected)):
            return [say("hidden_elements_order", lang)]
        return [say("hidden_elements", lang)]
    if got != want:
        return wrong_type
    return [say("hidden_value", lang)]


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
    hint: Hint | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> None:
    """Check one answer; print what is right or wrong (student) or raise when it is wrong (grading).

    `label` names the check in feedback (e.g. "shares: values"); `hidden` says how many more
    checks the grader will run on this answer, so a green public check is not taken for full marks.
    `hint` is added to a failed check's feedback: a text, or texts by language such as
    {"en": "…", "de": "…"}, of which the course language's is shown (English if it has none).
    Returns nothing, so a check on a cell's last line adds no `True` under its message.
    """
    lang = language()
    hint = hint_text(hint, label, lang)
    problems = inspect(
        value, expected, kind=kind, columns=columns, index=index, length=length, rtol=rtol, atol=atol, lang=lang
    )
    answered = value is not NOT_ANSWERED
    outcome = Outcome(label=label, answered=answered, problems=[] if not answered else problems, hidden=hidden)
    if hint and outcome.problems:
        outcome.problems.append(say("hint", lang, hint=hint))
    _log(outcome)
    for observer in OBSERVERS:
        observer(outcome, value, expected, rtol, atol, hint)
    if grading():
        if not answered:
            raise NotAnswered(say("graded_not_answered", lang, label=label))
        if outcome.problems:
            raise CheckFailed(f"{label}: " + " ".join(outcome.problems))
        return
    print(outcome.message())
