"""What Moodle's assignment module writes and reads, established from Moodle's own source.

Instructor-only (not in the student bundle). Pure functions: names in, parsed names out; CSV text in,
CSV text out. Everything here was read from moodle/moodle:

- **Download all submissions** (`mod/assign/classes/downloader.php`, class `downloader`, methods
  `get_student_prefix` and `load_submissionplugin_filelist`; before Moodle 4.1 the same code sat in
  `mod/assign/locallib.php`, `assign::download_submissions`). The prefix of a participant is
  ``clean_filename(str_replace('_', ' ', fullname) . '_' . get_uniqueid_for_user(userid))``; with
  blind marking the full name is the string ``participant`` ("Participant"). With the preference
  ``assign_downloadasfolders`` (default 1) each file lands at
  ``clean_filename(prefix . '_' . subtype . '_' . type) . filepath . filename``, i.e.
  ``Anna Müller_123456_assignsubmission_file/01-x-exercises.ipynb``; without it (flat) at
  ``clean_filename(prefix . '_' . subtype . '_' . type . '_' . filename)``. Moodle before 4.1 added
  a trailing ``_`` to the folder name. ``clean_filename`` is ``clean_param(PARAM_FILE)``
  (`lib/moodlelib.php`), which deletes control characters and ``& < > " ` | ' : \\ /`` — so
  "O'Brien" arrives as "OBrien", while umlauts and spaces stay.
- The participant id is per assignment (table ``assign_user_mapping``, `assign::get_uniqueid_for_user`),
  so the same person has another id in the next assignment.
- **Offline grading worksheet**, written by `mod/assign/gradingtable.php` when downloading (column
  ``recordid`` holds ``hiddenuser`` . participant id, then ``grade`` and ``maxgrade``), and read by
  `mod/assign/feedback/offline/importgradeslib.php`
  (`assignfeedback_offline_grade_importer::init` and `next`): the importer finds its columns by the
  header strings ``recordid`` ("Identifier"), ``grade`` ("Grade") and ``lastmodifiedgrade``
  ("Last modified (grade)") and, for each enabled feedback plugin, its editor field's description
  ("Feedback comments"). It takes the participant id as the identifier with the length of the
  string ``hiddenuser`` ("Participant ") cut from its front, and ignores rows it cannot match.
- **Upload multiple feedback files in a zip** (`mod/assign/feedback/file/importziplib.php`,
  `assignfeedback_file_zip_importer::is_valid_filename_for_import`): a path part split at ``_`` into
  at least four pieces ``fullname_participantid_plugintype_pluginname`` names the participant and
  the plugin; what follows is the feedback file's name.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

SUBMISSION_FILE = ("assignsubmission", "file")
FEEDBACK_FILE = ("assignfeedback", "file")
HIDDEN_USER = "Participant "
"""Moodle's English `hiddenuser` string: the worksheet's identifiers are "Participant 123456"."""

ID_COLUMN = "Identifier"
GRADE_COLUMN = "Grade"
MODIFIED_COLUMN = "Last modified (grade)"
FEEDBACK_COLUMN = "Feedback comments"
MAX_GRADE_COLUMN = "Maximum Grade"
"""`maxgrade` in mod/assign/lang/en/assign.php; its case has changed between versions, so compared case-blind."""
_CLEAN = re.compile(r"[\x00-\x1f\x7f&<>\"`|':\\/]")


class MoodleError(ValueError):
    """A Moodle file that cannot be used; the message names the file and what to do."""


def clean_filename(text: str) -> str:
    """Moodle's clean_filename (PARAM_FILE): drop control characters and & < > " ` | ' : \\ /."""
    text = _CLEAN.sub("", text)
    return "" if text in (".", "..") else text


@dataclass(frozen=True)
class SubmissionEntry:
    """One file of a "Download all submissions" archive, taken apart."""

    label: str  # the full name, or "Participant" under blind marking
    participant: str  # Moodle's participant id for this assignment (digits)
    plugin: tuple[str, str]  # ("assignsubmission", "file"), ("assignsubmission", "onlinetext") …
    filename: str  # the file's own path inside the participant's submission
    name: str  # the archive member's full name


def parse_submission_name(name: str) -> SubmissionEntry | None:
    """Take an archive member's name apart, in either layout; None when it is not Moodle's scheme."""
    if "/" in name:
        head, _, rest = name.partition("/")
        parts = head.split("_", 4)
        if len(parts) < 4 or (len(parts) == 5 and parts[4] != ""):  # a trailing "_" before Moodle 4.1
            return None
        filename = rest
    else:
        parts = name.split("_", 4)
        if len(parts) < 5:
            return None
        filename = parts[4]
    label, participant, subtype, plugin = parts[:4]
    if not participant.isdigit() or not subtype.startswith("assign") or not filename:
        return None
    return SubmissionEntry(label, participant, (subtype, plugin), filename, name)


def submission_name(fullname: str, participant: str | int, filename: str, *, folders: bool = True) -> str:
    """The name Moodle gives a submitted file (the inverse of parse_submission_name)."""
    prefix = clean_filename(fullname.replace("_", " ") + "_" + str(participant))
    subtype, plugin = SUBMISSION_FILE
    if folders:
        return f"{clean_filename(f'{prefix}_{subtype}_{plugin}')}/{filename}"
    return clean_filename(f"{prefix}_{subtype}_{plugin}_{filename}")


def feedback_file_name(participant: str, filename: str) -> str:
    """Where a feedback file goes in the zip for "Upload multiple feedback files in a zip"."""
    subtype, plugin = FEEDBACK_FILE
    return f"Participant_{participant}_{subtype}_{plugin}/{filename}"


def name_fingerprint_text(label: str) -> str:
    """A full name as compared across downloads: Unicode-normalised, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", label).casefold().split())


# ------------------------------------------------------------------ the offline grading worksheet


@dataclass
class Worksheet:
    """A downloaded grading worksheet, kept whole: header, rows, and where the columns are."""

    header: list[str]
    rows: list[list[str]]
    source: str
    id_index: int
    grade_index: int
    feedback_index: int | None
    max_index: int | None

    def participant(self, row: list[str]) -> str:
        value = row[self.id_index].strip() if self.id_index < len(row) else ""
        return value[len(HIDDEN_USER) :].strip() if value.startswith(HIDDEN_USER) else value

    def participants(self) -> list[str]:
        return [self.participant(r) for r in self.rows]


def read_worksheet(text: str, source: str) -> Worksheet:
    """Parse a worksheet; MoodleError names a missing column or a malformed identifier."""
    text = text.removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise MoodleError(f"{source}: empty file; download the grading worksheet from the assignment again.")
    header = rows[0]
    missing = [c for c in (ID_COLUMN, GRADE_COLUMN, MODIFIED_COLUMN) if c not in header]
    if missing:
        raise MoodleError(
            f"{source}: no column {', '.join(repr(c) for c in missing)}; this is not Moodle's offline grading "
            "worksheet (download it with 'Download grading worksheet', with English as your Moodle language)."
        )
    sheet = Worksheet(
        header,
        [r for r in rows[1:] if any(cell.strip() for cell in r)],
        source,
        header.index(ID_COLUMN),
        header.index(GRADE_COLUMN),
        header.index(FEEDBACK_COLUMN) if FEEDBACK_COLUMN in header else None,
        next((i for i, c in enumerate(header) if c.casefold() == MAX_GRADE_COLUMN.casefold()), None),
    )
    for number, row in enumerate(sheet.rows, 2):
        if not sheet.participant(row).isdigit():
            raise MoodleError(
                f"{source}, line {number}: identifier {row[sheet.id_index]!r} is not 'Participant NNN'; "
                "use the worksheet exactly as Moodle wrote it."
            )
    return sheet


def write_worksheet(sheet: Worksheet) -> str:
    """The worksheet as CSV again, every row and column in place (Moodle reads it as UTF-8, comma)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(sheet.header)
    writer.writerows(sheet.rows)
    return buffer.getvalue()
