"""Find items across the course's banks, and submit answers: score them and log them.

The widget's Check button and the headless `quiz.answer()` both end in `submit`, so a test
or a grader exercises exactly what a student's click does.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..course import language
from ..responses import ResponseLog
from .bank import bank_paths, read_bank, read_banks
from .model import Bank, Result, score_answer

_cache: dict[str, Any] = {"key": None, "items": {}}
_banks: dict[Path, tuple[int, Bank]] = {}


@dataclass(frozen=True)
class Entry:
    """An item together with the bank it comes from."""

    bank: Bank
    item: Any


def catalogue() -> dict[str, Entry]:
    """All items of the course by id; re-read only when a bank file changes."""
    paths = bank_paths()
    key = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    if _cache["key"] != key:
        banks = read_banks(paths)
        _cache["items"] = {item.id: Entry(bank, item) for bank in banks.values() for item in bank.items}
        _cache["key"] = key
    return _cache["items"]


def _bank(path: Path) -> Bank:
    """One bank, read again only when its file changes."""
    stamp = path.stat().st_mtime_ns
    if path not in _banks or _banks[path][0] != stamp:
        _banks[path] = (stamp, read_bank(path))
    return _banks[path][1]


def _owner(item_id: str) -> Path | None:
    """The one bank file that declares `item_id`, found without parsing any bank; None if not exactly one."""
    declared = re.compile(rf"^[ \t]*(?:-[ \t]+)?id:[ \t]*(['\"]?){re.escape(item_id)}\1[ \t]*(?:#.*)?$", re.MULTILINE)
    found = [path for path in bank_paths() if declared.search(path.read_text(encoding="utf-8", errors="replace"))]
    return found[0] if len(found) == 1 else None


def entry(item_id: str) -> Entry:
    """Look up one item, with a suggestion when the id is misspelt.

    Showing a lesson's first quiz reads that lesson's bank only. Every bank is read (and ids checked
    for uniqueness across them) only when the id is not declared in exactly one bank file.
    """
    owner = _owner(str(item_id))
    if owner is not None:
        bank = _bank(owner)
        for item in bank.items:
            if item.id == item_id:
                return Entry(bank, item)
    items = catalogue()
    if item_id in items:
        return items[item_id]
    close = difflib.get_close_matches(str(item_id), list(items), n=3)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise KeyError(f"No quiz item {item_id!r} in the course's quizzes/ folder.{hint}")


def record_for(entry_: Entry, result: Result, typed: Any = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "item": result.item_id,
        "lesson": entry_.bank.lesson,
        "answer": result.answer,
        "status": result.status,
        "score": result.score,
        "max_score": result.max_score,
        "misconceptions": list(result.misconceptions),
        "lang": result.lang,
    }
    if isinstance(typed, str) and typed != result.answer:
        record["typed"] = typed
    return record


def submit(
    item_id: str, value: Any, *, log: ResponseLog | None = None, lang: str | None = None, save: bool = True
) -> Result:
    """Score `value` for `item_id` and, when it is a real attempt, append it to the responses log."""
    found = entry(item_id)
    result = score_answer(found.item, value, lang or language())
    if save and result.counts:
        (log or ResponseLog()).append(record_for(found, result, value))
    return result


def answer(item_id: str, value: Any, *, log_path: Path | str | None = None, lang: str | None = None) -> Result:
    """Answer an item without widgets (for tests, graders and scripts); logs like the Check button."""
    return submit(item_id, value, log=ResponseLog(log_path) if log_path else None, lang=lang)
