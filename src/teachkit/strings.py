"""Text that code puts on screen, in the course language: `tr("…")` and numbers with the right decimal mark.

A lesson writes its chart titles, axis labels, source lines and printed sentences once, in English,
inside `tr()`: ``ax.set_title(tr("Fewer than a third reached their goals"))``. `python -m teachkit
translate extract` collects these strings into the notebook's `.po` file (msgctxt `code:<cell id>`),
and `translate build` compiles every translated one into `translations/<lang>/code-strings.json`,
which `tr` reads. The English text is the key, so the German notebook's code is the English code,
unchanged. A string without a translation shows in English: a chart is never left without a label.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from .course import course_root, language

CATALOGUE = "code-strings.json"
"""The compiled strings of one language: translations/<lang>/code-strings.json, {English: translation}."""

DECIMAL_MARK = {"en": ".", "de": ","}
THOUSANDS_MARK = {"en": ",", "de": "."}


def catalogue_path(lang: str, root: Path | None = None) -> Path:
    return (root or course_root()) / "translations" / lang / CATALOGUE


@lru_cache(maxsize=8)
def _catalogue(path: Path, mtime: float) -> dict[str, str]:
    """The strings of one compiled catalogue; cached per file version (mtime is part of the key)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.get("strings", {}).items()} if isinstance(data, dict) else {}


def translations(lang: str, root: Path | None = None) -> dict[str, str]:
    """Every compiled code string of `lang` ({} for English or when nothing is compiled yet)."""
    if lang == "en":
        return {}
    path = catalogue_path(lang, root)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    return _catalogue(path, mtime)


def tr(text: str, /, **fields: object) -> str:
    """`text` in the course language, with {fields} filled in (numbers with the language's decimal mark).

    Write the English text as a literal so `translate extract` finds it: ``tr("Share of firms")``,
    ``tr("{n} firms", n=12)``. Unknown strings come back in English.
    """
    lang = language()
    chosen = translations(lang).get(text, text) if lang != "en" else text
    if not fields:
        return chosen
    shown = {k: decimal_text(v, lang) if isinstance(v, float) else v for k, v in fields.items()}
    return chosen.format(**shown)


def swap_marks(text: str, lang: str | None = None) -> str:
    """'1,234.5' written the way `lang` writes numbers ('1.234,5' in German)."""
    lang = lang or language()
    decimal, thousands = DECIMAL_MARK.get(lang, "."), THOUSANDS_MARK.get(lang, ",")
    if decimal == ".":
        return text
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def decimal_text(value: object, lang: str | None = None, digits: int = 2) -> str:
    """A number as a reader of `lang` writes it: at most `digits` decimals, trailing zeros dropped.

    Used for German tables (pandas' display.float_format) and for numbers in tr() sentences.
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}f}" if isinstance(value, float) else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return swap_marks(text, lang)


MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}  # fmt: skip


def month_text(when: object, lang: str | None = None) -> str:
    """A month as a reader of `lang` names it: 'December 2016', 'Dezember 2016' (strftime('%B') speaks the locale's)."""
    month, year = getattr(when, "month", None), getattr(when, "year", None)
    if not isinstance(month, int) or not isinstance(year, int):
        raise TypeError(f"month_text() needs a date or timestamp, not {type(when).__name__}")
    return f"{MONTHS.get(lang or language(), MONTHS['en'])[month - 1]} {year}"
