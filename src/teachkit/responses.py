"""The answer log: every checked answer, kept on the student's own machine.

Each write takes a lock, rewrites the whole file to a temporary file in the same folder and
swaps it in with `os.replace`, so a kernel killed mid-write leaves the previous, readable file.
A file that cannot be read is moved aside (never deleted) and a fresh log begins.
Nothing here talks to the network.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .course import course_root

FORMAT = "teachkit-responses"
EXPORT_FORMAT = "teachkit-responses-export"
VERSION = 1


class ResponsesWarning(UserWarning):
    """Shown when the responses file had to be moved aside."""


def default_path() -> Path:
    """$TEACHKIT_RESPONSES if set, else responses.json in the course folder."""
    env = os.environ.get("TEACHKIT_RESPONSES")
    return Path(env).expanduser() if env else course_root() / "responses.json"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `path` so two kernels never interleave their writes."""
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+b") as handle:
        if os.name == "nt":  # pragma: no cover - exercised on Windows only
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside `path`, flush it to disk, then swap it in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the name is needed after closing, to replace or unlink
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


class ResponseLog:
    """The responses file of one student: append records, read them back, export them."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_path()

    def _read_unlocked(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            data = json.loads(text)
            records = data["records"]
            if data.get("format") != FORMAT or not isinstance(records, list):
                raise ValueError("not a teachkit responses file")
            if not all(isinstance(r, dict) and isinstance(r.get("item"), str) for r in records):
                raise ValueError("a record without an item id")
        except (ValueError, KeyError, TypeError, AttributeError) as problem:
            self._move_aside(problem)
            return []
        return records

    def _move_aside(self, problem: Exception) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        aside = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}.json")
        os.replace(self.path, aside)
        warnings.warn(
            f"Your responses file {self.path.name} could not be read ({problem}). It was moved to "
            f"{aside.name} so nothing is lost, and a fresh log starts now. Show {aside.name} to "
            "your instructor if you need the old answers.",
            ResponsesWarning,
            stacklevel=3,
        )

    def records(self) -> list[dict[str, Any]]:
        """All records, oldest first."""
        if not self.path.exists():
            return []
        with _locked(self.path):
            return self._read_unlocked()

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        """Add one record; fills in 'attempt' (per item) and 'time'. Returns the stored record."""
        if not isinstance(record.get("item"), str):
            raise ValueError("a response record needs an 'item' id")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path):
            records = self._read_unlocked()
            stored = dict(record)
            stored["attempt"] = 1 + sum(r.get("item") == record["item"] for r in records)
            stored.setdefault("time", now_iso())
            records.append(stored)
            write_json_atomic(self.path, {"format": FORMAT, "version": VERSION, "records": records})
        return stored

    def last(self, item_id: str) -> dict[str, Any] | None:
        """The most recent record for an item, or None."""
        for record in reversed(self.records()):
            if record.get("item") == item_id:
                return record
        return None

    def export(self, name: str, out: Path | str) -> int:
        """Write the one file a student hands in, under a self-chosen pseudonym. Returns the count."""
        name = check_pseudonym(name)
        records = self.records()
        payload = {
            "format": EXPORT_FORMAT,
            "version": VERSION,
            "student": name,
            "exported": now_iso(),
            "records": records,
        }
        write_json_atomic(Path(out), payload)
        return len(records)


def check_pseudonym(name: str) -> str:
    """A pseudonym is 1–40 letters, digits, '-', '_' or '.', so it is safe as a file name too."""
    name = (name or "").strip()
    if not re.fullmatch(r"[\w.-]{1,40}", name):
        raise ValueError(
            f"{name!r} cannot be used as a pseudonym: use 1–40 letters, digits, '-', '_' or '.', "
            "for example 'blue-falcon-17'. Do not use your real name unless your instructor asks."
        )
    return name
