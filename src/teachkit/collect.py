"""From Moodle's "Download all submissions" zip to the folder `grade` reads, under pseudonyms.

Instructor-only. `collect_download` writes ``OUT/<pseudonym>/<set>-exercises.ipynb`` for each
participant, keeps pseudonym ↔ participant id in the key file (outside OUT), and reports each thing
it did not collect, one line each, naming the archive member and what to do. It never writes
outside OUT (a member whose name climbs out, ``../``, stops the whole collect before anything is
written) and never replaces a collected notebook with different content unless `force` is given, in
which case the old file is kept beside it as a backup.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .moodle import SubmissionEntry, parse_submission_name
from .participants import BLIND_LABEL, read_key

EXERCISE_SUFFIX = "-exercises.ipynb"
_IGNORED = ("__MACOSX/", ".DS_Store", "Thumbs.db")


class CollectError(ValueError):
    """The whole collect cannot go on; nothing was written. The message says what to do."""


@dataclass
class Collected:
    written: list[str] = field(default_factory=list)  # pseudonyms whose notebook was written
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return name.startswith(("/", "\\")) or ".." in path.parts or (len(name) > 1 and name[1] == ":")


def _notebook_set(data: bytes) -> tuple[str | None, str | None]:
    """(set the notebook names in its metadata, or None; a problem, or None when it is readable)."""
    try:
        notebook = json.loads(data.decode("utf-8"))
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            raise ValueError("no cells")
    except (UnicodeDecodeError, ValueError) as problem:
        return None, f"not a readable notebook ({type(problem).__name__})"
    named = (notebook.get("metadata") or {}).get("teachkit", {}).get("set")
    return (str(named) if named else None), None


def _belongs(entry: SubmissionEntry, named: str | None, set_name: str) -> bool | None:
    """True/False when the notebook says which set it is; by its file name otherwise."""
    if named:
        return named == set_name
    base = PurePosixPath(entry.filename).name
    if set_name in base:
        return True
    return None if not base.endswith(EXERCISE_SUFFIX) else False


def collect_download(
    archive: Path | str, set_name: str, out: Path | str, key_path: Path | str, *, force: bool = False
) -> Collected:
    """Collect one set's submissions from a Moodle download; see the module docstring."""
    archive, out, key_path = Path(archive), Path(out), Path(key_path)
    _check_key_place(key_path, out)
    key = read_key(key_path)
    try:
        bundle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, FileNotFoundError, IsADirectoryError) as problem:
        raise CollectError(
            f"{archive}: not a zip archive ({problem}); download it again with 'Download all submissions'."
        ) from problem
    result = Collected()
    with bundle:
        members = [m for m in bundle.infolist() if not m.is_dir()]
        unsafe = [m.filename for m in members if _unsafe(m.filename)]
        if unsafe:
            raise CollectError(
                f"{archive}: member {unsafe[0]!r} would be written outside the target folder; nothing was "
                "collected. Download the archive from Moodle again and do not edit it."
            )
        per_participant: dict[str, list[SubmissionEntry]] = {}
        labels: dict[str, set[str]] = {}
        for member in members:
            if any(part in member.filename for part in _IGNORED):
                continue
            entry = parse_submission_name(member.filename)
            if entry is None:
                result.problems.append(
                    f"{archive}: {member.filename!r} is not named like Moodle's download "
                    "(Name_ID_assignsubmission_file…); not collected. Is this the right archive?"
                )
                continue
            per_participant.setdefault(entry.participant, []).append(entry)
            labels.setdefault(entry.participant, set()).add(entry.label)
        if not per_participant:
            raise CollectError(
                f"{archive}: no file in it is named like Moodle's 'Download all submissions'; "
                "nothing was collected. Check that this is the assignment's download."
            )
        plans: list[tuple[str, str, SubmissionEntry, bytes]] = []
        for participant in sorted(per_participant, key=int):
            names = labels[participant]
            if len(names) > 1:
                result.problems.append(
                    f"{archive}: participant id {participant} appears under {len(names)} different names; "
                    "not collected. Download the archive again; Moodle gives each participant one id."
                )
                continue
            chosen = _choose(archive, participant, per_participant[participant], bundle, set_name, result)
            if chosen:
                label = next(iter(names))
                plans.append((participant, label, *chosen))
    blind = sum(1 for _, label, _, _ in plans if label == BLIND_LABEL)
    for participant, label, entry, data in plans:
        pseudonym, how = key.assign(set_name, participant, label)
        if how.startswith("new (name shared)"):
            result.notes.append(
                f"participant {participant}: shares a name with someone already in {key_path}; "
                f"gave a new pseudonym {pseudonym!r}. Check the key if this is the same person."
            )
        _write(out / pseudonym / f"{set_name}{EXERCISE_SUFFIX}", data, pseudonym, entry, force, result)
    if blind:
        result.notes.append(
            f"{blind} participant(s) came under blind marking (no names): their pseudonyms cannot be "
            "matched with earlier sets and are new for this set."
        )
    key.save()
    return result


def _choose(
    archive: Path,
    participant: str,
    entries: list[SubmissionEntry],
    bundle: zipfile.ZipFile,
    set_name: str,
    result: Collected,
) -> tuple[SubmissionEntry, bytes] | None:
    """The one notebook of this set from one participant's files; every other file is reported."""
    where = f"{archive}: participant {participant}"
    mine: list[tuple[SubmissionEntry, bytes]] = []
    for entry in entries:
        base = PurePosixPath(entry.filename).name
        if entry.plugin != ("assignsubmission", "file") or not base.endswith(".ipynb"):
            result.problems.append(
                f"{where}: {entry.filename!r} is not a notebook; not collected (look at it yourself)."
            )
            continue
        data = bundle.read(entry.name)
        named, problem = _notebook_set(data)
        if problem:
            result.problems.append(
                f"{where}: {entry.filename!r} is {problem}; not collected. Ask for the notebook again."
            )
            continue
        belongs = _belongs(entry, named, set_name)
        if belongs is False:
            result.problems.append(
                f"{where}: {entry.filename!r} is a notebook of another set ({named or 'by its name'}); "
                f"not collected. Ask for {set_name}{EXERCISE_SUFFIX}."
            )
            continue
        mine.append((entry, data))
    if not mine:
        if not any(p.startswith(where) for p in result.problems):
            result.problems.append(f"{where}: no notebook submitted; ask for {set_name}{EXERCISE_SUFFIX}.")
        else:
            result.problems.append(f"{where}: no notebook of set {set_name} to grade.")
        return None
    if len(mine) > 1:
        files = ", ".join(repr(e.filename) for e, _ in mine)
        result.problems.append(
            f"{where}: several notebooks ({files}); none collected. Ask which one counts, or put it in place by hand."
        )
        return None
    return mine[0]


def _write(target: Path, data: bytes, pseudonym: str, entry: SubmissionEntry, force: bool, result: Collected) -> None:
    if target.exists():
        if target.read_bytes() == data:
            result.unchanged.append(pseudonym)
            return
        if not force:
            result.problems.append(
                f"{target}: already collected with other content; kept. Add --force to replace it (a backup is kept)."
            )
            return
        backup = target.with_name(f"{target.name}.backup-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(target, backup)
        result.backups.append(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    result.written.append(pseudonym)


def _check_key_place(key_path: Path, out: Path) -> None:
    """The key re-identifies students: it must not sit where graders or the grader look."""
    key_r, out_r = key_path.resolve(), out.resolve()
    if key_r.is_relative_to(out_r):
        raise CollectError(
            f"{key_path}: the key file must not lie inside {out} (it links pseudonyms to Moodle ids); "
            "keep it elsewhere, e.g. --key participant-key.csv in the course folder."
        )
