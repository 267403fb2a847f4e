"""The key file: which pseudonym stands for which Moodle participant, set by set. Never a name.

Instructor-only. One CSV row per pseudonym and set: ``pseudonym,set,participant,fingerprint`` and an
optional ``email`` column the instructor may add for the gradebook import. Moodle's participant ids
are per assignment (see moodle.py), so the key links a person across sets by a *fingerprint*: a
salted SHA-256 of the full name as Moodle wrote it, salt stored with it (the same string on every
line of one pseudonym), so that the next set's
download finds the same pseudonym without the key ever holding a name. Under blind marking there is
no name, hence no fingerprint, and every set gives new pseudonyms (collect says so).

The key file must live outside the submissions folder that graders see.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .moodle import name_fingerprint_text
from .responses import check_pseudonym

COLUMNS = ["pseudonym", "set", "participant", "fingerprint"]
OPTIONAL = ["email"]
BLIND_LABEL = "Participant"

_WORDS_A = [
    "amber",
    "azure",
    "brave",
    "calm",
    "coral",
    "crisp",
    "deep",
    "eager",
    "fair",
    "gentle",
    "golden",
    "green",
    "keen",
    "lively",
    "lucid",
    "mellow",
    "misty",
    "noble",
    "olive",
    "quiet",
    "rapid",
    "royal",
    "rustic",
    "silver",
    "steady",
    "sunny",
    "swift",
    "teal",
    "tidy",
    "vivid",
    "warm",
    "witty",
]
_WORDS_B = [
    "badger",
    "beaver",
    "crane",
    "dolphin",
    "eagle",
    "falcon",
    "finch",
    "fox",
    "hare",
    "heron",
    "ibis",
    "jay",
    "kestrel",
    "lark",
    "lynx",
    "marten",
    "otter",
    "owl",
    "panda",
    "puffin",
    "raven",
    "robin",
    "salmon",
    "seal",
    "sparrow",
    "stork",
    "swan",
    "tern",
    "thrush",
    "trout",
    "wren",
]


class KeyFileError(ValueError):
    """A key file that cannot be used; the message names the file, the line and what to do."""


@dataclass
class KeyRow:
    pseudonym: str
    set: str
    participant: str
    fingerprint: str = ""
    email: str = ""


@dataclass
class Key:
    path: Path
    rows: list[KeyRow] = field(default_factory=list)
    has_email: bool = False

    # -------------------------------------------------------------- lookups

    def pseudonym_for(self, set_name: str, participant: str) -> str | None:
        for row in self.rows:
            if row.set == set_name and row.participant == participant:
                return row.pseudonym
        return None

    def participant_for(self, set_name: str, pseudonym: str) -> str | None:
        for row in self.rows:
            if row.set == set_name and row.pseudonym == pseudonym:
                return row.participant
        return None

    def email_for(self, pseudonym: str) -> str:
        return next((r.email for r in self.rows if r.pseudonym == pseudonym and r.email), "")

    def pseudonyms(self) -> list[str]:
        return sorted({r.pseudonym for r in self.rows})

    def matching_name(self, label: str) -> list[str]:
        """Pseudonyms whose fingerprint matches this full name (several when two share a name)."""
        if not label or label == BLIND_LABEL:
            return []
        return sorted({r.pseudonym for r in self.rows if r.fingerprint and _matches(r.fingerprint, label)})

    # -------------------------------------------------------------- changes

    def assign(self, set_name: str, participant: str, label: str) -> tuple[str, str]:
        """The pseudonym for this participant of this set, and how it was found (known/reused/new)."""
        known = self.pseudonym_for(set_name, participant)
        if known:
            return known, "known"
        taken_here = {r.pseudonym for r in self.rows if r.set == set_name}
        candidates = [p for p in self.matching_name(label) if p not in taken_here]
        fingerprint = fingerprint_of(label) if label and label != BLIND_LABEL else ""
        if len(candidates) == 1:
            pseudonym, how = candidates[0], "reused"
            fingerprint = next(r.fingerprint for r in self.rows if r.pseudonym == pseudonym and r.fingerprint)
        else:
            pseudonym, how = self._new_pseudonym(), "new" if not candidates else "new (name shared)"
        self.rows.append(KeyRow(pseudonym, set_name, participant, fingerprint, self.email_for(pseudonym)))
        return pseudonym, how

    def _new_pseudonym(self) -> str:
        used = {r.pseudonym for r in self.rows}
        while True:
            name = f"{secrets.choice(_WORDS_A)}-{secrets.choice(_WORDS_B)}-{secrets.randbelow(90) + 10}"
            if name not in used:
                return name

    def save(self) -> None:
        """Write atomically: a crash leaves the old key or the new one, never half of it."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        columns = COLUMNS + (OPTIONAL if self.has_email else [])
        writer.writerow(columns)
        for row in sorted(self.rows, key=lambda r: (r.set, r.pseudonym)):
            values = [row.pseudonym, row.set, row.participant, row.fingerprint]
            writer.writerow(values + ([row.email] if self.has_email else []))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def fingerprint_of(label: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}:{name_fingerprint_text(label)}".encode()).hexdigest()[:32]
    return f"{salt}${digest}"


def _matches(fingerprint: str, label: str) -> bool:
    salt, _, _ = fingerprint.partition("$")
    return bool(salt) and fingerprint_of(label, salt) == fingerprint


def read_key(path: Path | str) -> Key:
    """Read and check a key file (a missing file is an empty key); KeyFileError says what to fix."""
    path = Path(path)
    key = Key(path)
    if not path.exists():
        return key
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise KeyFileError(f"{path}: no column {', '.join(missing)}; the key's header is {','.join(COLUMNS)}.")
    key.has_email = "email" in header
    by_set_participant: dict[tuple[str, str], tuple[str, int]] = {}
    by_set_pseudonym: dict[tuple[str, str], tuple[str, int]] = {}
    fingerprints: dict[str, tuple[str, int]] = {}
    for line, raw in enumerate(reader, 2):
        row = KeyRow(*(str(raw.get(c) or "").strip() for c in COLUMNS), email=str(raw.get("email") or "").strip())
        where = f"{path}, line {line}"
        try:
            check_pseudonym(row.pseudonym)
        except ValueError as problem:
            raise KeyFileError(f"{where}: {problem}") from problem
        if not row.participant.isdigit() or not row.set:
            raise KeyFileError(f"{where}: needs a set and Moodle's participant id (digits); fix or delete the line.")
        earlier = by_set_pseudonym.get((row.set, row.pseudonym))
        if earlier and earlier[0] != row.participant:
            raise KeyFileError(
                f"{where}: pseudonym {row.pseudonym!r} already stands for participant {earlier[0]} in set "
                f"{row.set} (line {earlier[1]}); give one of them another pseudonym."
            )
        earlier = by_set_participant.get((row.set, row.participant))
        if earlier and earlier[0] != row.pseudonym:
            raise KeyFileError(
                f"{where}: participant {row.participant} of set {row.set} already has pseudonym {earlier[0]!r} "
                f"(line {earlier[1]}); keep one of the two lines."
            )
        earlier = fingerprints.get(row.pseudonym)
        if row.fingerprint and earlier and earlier[0] != row.fingerprint:
            raise KeyFileError(
                f"{where}: pseudonym {row.pseudonym!r} is used for two different people (see line {earlier[1]}); "
                "give one of them another pseudonym."
            )
        by_set_pseudonym[(row.set, row.pseudonym)] = (row.participant, line)
        by_set_participant[(row.set, row.participant)] = (row.pseudonym, line)
        if row.fingerprint:
            fingerprints.setdefault(row.pseudonym, (row.fingerprint, line))
        key.rows.append(row)
    return key
