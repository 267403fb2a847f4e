"""Translation units: one gettext `.po` file per English notebook, one entry per markdown cell.

Layout (binding for translators): `translations/<lang>/<stem>.po` for `notebooks/<stem>.ipynb` and
`solutions/<stem>.ipynb`. An entry's `msgctxt` is the cell's nbformat id, its `msgid` the cell's
English source exactly, its `msgstr` the translation; `#.` says which cell it is. Text that code
puts on screen is marked in code cells as `tr("…")` and extracted with `msgctxt` `code:<cell id>`.
When the English text changes, `extract` keeps the translation, marks it `fuzzy` and keeps the
English it was made from as `#| msgid`, so the translator sees exactly what changed.

Pure logic over files; polib is an instructor tool (requirements-dev.txt), never a student's.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..authoring.exercise_set import MARKERS, solution_paths
from ..course import course_root
from ..lessons import lesson_paths

LANGS = ("de",)
"""Languages a course can be translated into (English is always the source)."""

CODE_CONTEXT = "code:"
TR_NAMES = ("tr",)
"""Calls whose first (literal) argument is a translatable string shown on screen."""

WRAP = 78
FUZZY = "fuzzy"
HEADER_COMMENT = (
    "{language} translation of {source}.\n"
    'One entry per markdown cell (msgctxt = cell id) and per tr("…") string in code (msgctxt = code:<cell id>).\n'
    "Edit only msgstr; `python -m teachkit translate extract` updates msgid and marks changed units fuzzy.\n"
    "How to translate: docs/authoring-guide.md, section 10."
)
LANGUAGE_NAMES = {"de": "German"}


def _polib() -> Any:
    try:
        import polib
    except ImportError as problem:  # an instructor tool, not a student dependency
        raise RuntimeError("Translation files need polib: pip install -r requirements-dev.txt") from problem
    return polib


# ------------------------------------------------------------------ where things are


def source_notebooks(root: Path | None = None) -> list[Path]:
    """The English notebooks that are translated: every lesson and every solution notebook."""
    root = root or course_root()
    return [*lesson_paths(root), *solution_paths(root)]


def po_path(source: Path, lang: str = "de", root: Path | None = None) -> Path:
    """translations/<lang>/<stem>.po for an English notebook."""
    root = root or course_root(source.parent)
    return root / "translations" / lang / f"{source.stem}.po"


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ------------------------------------------------------------------ units in a notebook


@dataclass(frozen=True)
class SourceUnit:
    """One translatable text of an English notebook."""

    context: str  # cell id, or code:<cell id>
    msgid: str
    comment: str


def cell_source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def preview(text: str, width: int = 60) -> str:
    """The first non-empty line, shortened: enough for a translator to find the cell."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def code_strings(source: str) -> list[str]:
    """The literal first arguments of tr(...) calls in a code cell, in order, each once."""
    try:
        tree = ast.parse("\n".join(ln for ln in source.splitlines() if not re.match(r"^\s*[!%]", ln)))
    except SyntaxError:
        return []
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        if name in TR_NAMES and isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
            found.append((first.lineno, first.col_offset, first.value))
    seen: dict[str, None] = {}
    for _, _, text in sorted(found):
        seen.setdefault(text, None)
    return list(seen)


def notebook_units(notebook: Any) -> list[SourceUnit]:
    """Every unit of a notebook in cell order: markdown cells, then the tr() strings of code cells."""
    units = []
    for index, cell in enumerate(notebook.cells, 1):
        source = cell_source(cell)
        cell_id = cell.get("id")
        if not cell_id:
            continue
        if cell.cell_type == "markdown" and source.strip():
            units.append(SourceUnit(cell_id, source, f"cell {index} (markdown): {preview(source)}"))
        elif cell.cell_type == "code":
            for text in code_strings(source):
                units.append(
                    SourceUnit(f"{CODE_CONTEXT}{cell_id}", text, f"cell {index} (code): tr({preview(text)!r})")
                )
    return units


def read_notebook(path: Path) -> Any:
    notebook = nbformat.read(path, as_version=4)
    missing = [i for i, c in enumerate(notebook.cells, 1) if not c.get("id")]
    if missing:
        raise ValueError(
            f"{path}: cell(s) {missing} have no id (nbformat < 4.5); open and save the notebook in JupyterLab "
            "or run `python -m teachkit execute` on it so every cell gets one."
        )
    return notebook


# ------------------------------------------------------------------ extract


@dataclass
class ExtractResult:
    po: Path
    written: bool = False
    added: int = 0
    fuzzy: list[str] = field(default_factory=list)  # contexts newly marked fuzzy
    obsolete: list[str] = field(default_factory=list)  # "context: preview" of units whose cell is gone
    units: int = 0


def _header(po: Any, source_rel: str, lang: str, stem: str) -> None:
    po.header = HEADER_COMMENT.format(language=LANGUAGE_NAMES.get(lang, lang), source=source_rel)
    meta = dict(po.metadata)
    meta.update(
        {
            "Project-Id-Version": stem,
            "Language": lang,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    for volatile in ("POT-Creation-Date",):
        meta.pop(volatile, None)
    po.metadata = meta


def load_po(path: Path) -> Any:
    """Read a .po file; a ValueError names the file and what is wrong with it."""
    polib = _polib()
    try:
        return polib.pofile(str(path), wrapwidth=WRAP, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError) as problem:
        raise ValueError(
            f"{path}: not a readable .po file ({problem}). Fix the syntax (msgfmt --check-format {path})."
        ) from problem


def unit_key(context: str, msgid: str) -> str:
    """A markdown unit is its cell; a code unit is its cell and its string (a cell may have several)."""
    return f"{context}\x04{msgid}" if context.startswith(CODE_CONTEXT) else context


def _carry_over(entry: Any, previous: Any, result: ExtractResult) -> None:
    """Keep the translation of `previous`; mark it fuzzy when the English it was made from differs."""
    entry.tcomment = previous.tcomment
    if not previous.msgstr:
        return
    entry.msgstr = previous.msgstr
    basis = previous.previous_msgid if FUZZY in previous.flags and previous.previous_msgid else previous.msgid
    if basis != entry.msgid:
        entry.flags = [FUZZY]
        entry.previous_msgid = basis
        if FUZZY not in previous.flags or previous.msgid != entry.msgid:
            result.fuzzy.append(entry.msgctxt)


def updated_catalogue(
    units: list[SourceUnit], old: Any | None, source_rel: str, lang: str, stem: str
) -> tuple[Any, ExtractResult]:
    """The catalogue for `units`, carrying over translations from `old` (pure: writes nothing)."""
    polib = _polib()
    po = polib.POFile(wrapwidth=WRAP)
    if old is not None:
        po.metadata = dict(old.metadata)
    _header(po, source_rel, lang, stem)
    result = ExtractResult(Path())
    current = {unit_key(e.msgctxt or "", e.msgid): e for e in (old or []) if not e.obsolete}
    obsolete_before = [e for e in (old or []) if e.obsolete]
    wanted = {unit_key(u.context, u.msgid) for u in units}
    unmatched = {k: e for k, e in current.items() if k not in wanted}
    # A changed tr() string is a new key in the same cell: pair it with the cell's vanished string.
    vanished_code: dict[str, list[str]] = {}
    for key, e in unmatched.items():
        if e.msgctxt.startswith(CODE_CONTEXT):
            vanished_code.setdefault(e.msgctxt, []).append(key)
    new_code: dict[str, list[SourceUnit]] = {}
    for u in units:
        if u.context.startswith(CODE_CONTEXT) and unit_key(u.context, u.msgid) not in current:
            new_code.setdefault(u.context, []).append(u)
    paired: dict[str, Any] = {}
    for context, keys in vanished_code.items():
        fresh = new_code.get(context, [])
        if len(fresh) == len(keys):
            for unit, key in zip(fresh, keys, strict=True):
                paired[unit_key(unit.context, unit.msgid)] = unmatched.pop(key)
    by_text = {e.msgid: e for e in [*obsolete_before, *unmatched.values()] if e.msgstr and FUZZY not in e.flags}
    for unit in units:
        key = unit_key(unit.context, unit.msgid)
        previous = current.get(key) or paired.get(key)
        entry = polib.POEntry(msgctxt=unit.context, msgid=unit.msgid, msgstr="", comment=unit.comment)
        if previous is None:
            reused = by_text.get(unit.msgid)
            if reused is not None:  # the same English text under a new cell id
                entry.msgstr = reused.msgstr
            result.added += 1
        elif previous.msgid == unit.msgid:
            entry.msgstr = previous.msgstr
            entry.flags = list(previous.flags)
            entry.previous_msgid = previous.previous_msgid
            entry.tcomment = previous.tcomment
        else:
            _carry_over(entry, previous, result)
        po.append(entry)
    reused_texts = {u.msgid for u in units}
    for entry in unmatched.values():
        result.obsolete.append(f"{entry.msgctxt}: {preview(entry.msgid)}")
        if entry.msgstr and entry.msgid not in reused_texts:
            entry.obsolete = True
            entry.occurrences = []
            entry.comment = ""
            po.append(entry)
    for entry in obsolete_before:
        if entry.msgid not in reused_texts:
            po.append(entry)
    result.units = len(units)
    return po, result


def extract(source: Path, lang: str = "de", root: Path | None = None) -> ExtractResult:
    """Create or update the .po file of one English notebook; writes only when something changed."""
    root = root or course_root(source.parent)
    target = po_path(source, lang, root)
    old = load_po(target) if target.exists() else None
    units = notebook_units(read_notebook(source))
    po, result = updated_catalogue(units, old, relative(source, root), lang, source.stem)
    result.po = target
    text = str(po) + "\n"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        result.written = True
    return result


# ------------------------------------------------------------------ status and stale units


@dataclass
class Status:
    name: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0

    @property
    def complete(self) -> bool:
        return self.total == self.translated

    def percent(self, count: int) -> float:
        return 100.0 * count / self.total if self.total else 100.0


def entry_state(entry: Any) -> str:
    """'fuzzy', 'missing' or 'translated'."""
    if FUZZY in entry.flags:
        return "fuzzy"
    return "translated" if entry.msgstr.strip() else "missing"


def status(source: Path, lang: str = "de", root: Path | None = None) -> Status:
    """Counts for one notebook against its current English text (units not yet extracted count as missing)."""
    root = root or course_root(source.parent)
    units = notebook_units(read_notebook(source))
    target = po_path(source, lang, root)
    entries = (
        {unit_key(e.msgctxt or "", e.msgid): e for e in load_po(target) if not e.obsolete} if target.exists() else {}
    )
    markdown = {e.msgctxt: e for e in entries.values() if not (e.msgctxt or "").startswith(CODE_CONTEXT)}
    result = Status(source.stem, total=len(units))
    for unit in units:
        entry = entries.get(unit_key(unit.context, unit.msgid))
        if entry is not None and entry.msgid != unit.msgid:
            state = "fuzzy" if entry.msgstr else "missing"  # the English changed and extract has not run yet
        elif entry is not None:
            state = entry_state(entry)
        elif unit.context in markdown and markdown[unit.context].msgstr:
            state = "fuzzy"  # the English changed and extract has not run yet
        else:
            state = "missing"
        setattr(result, state, getattr(result, state) + 1)
    return result


@dataclass(frozen=True)
class Stale:
    """A translated unit whose English changed since the translation was made."""

    po: str
    notebook: str
    context: str
    comment: str
    previous: str
    current: str

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.previous.splitlines(),
            self.current.splitlines(),
            fromfile="English when translated",
            tofile="English now",
            lineterm="",
        )
        return "\n".join(lines)


def stale_units(source: Path, lang: str = "de", root: Path | None = None) -> list[Stale]:
    """Every unit of a notebook whose translation no longer matches its English cell.

    A fuzzy entry is stale; so is a translated entry whose msgid differs from the cell now (the
    English was edited and `extract` not yet run).
    """
    root = root or course_root(source.parent)
    target = po_path(source, lang, root)
    if not target.exists():
        return []
    units = {u.context: u for u in notebook_units(read_notebook(source)) if not u.context.startswith(CODE_CONTEXT)}
    found = []
    for entry in load_po(target):
        if entry.obsolete or not entry.msgstr:
            continue
        unit = units.get(entry.msgctxt)
        if FUZZY in entry.flags:
            previous, current = entry.previous_msgid or "", unit.msgid if unit else entry.msgid
        elif unit is not None and unit.msgid != entry.msgid:
            previous, current = entry.msgid, unit.msgid
        else:
            continue
        found.append(
            Stale(relative(target, root), relative(source, root), entry.msgctxt, entry.comment, previous, current)
        )
    return found


# ------------------------------------------------------------------ a translator's check of one file


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_HEADING_LINE = re.compile(r"^#{1,6}\s", re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)")


def entry_problems(entry: Any) -> Iterator[str]:
    """What makes a translation unusable in the built notebook (markers, placeholders, headings)."""
    if not entry.msgstr or entry.obsolete:
        return
    for marker in MARKERS:
        if entry.msgid.count(marker) != entry.msgstr.count(marker):
            yield f"the nbgrader marker '### {marker}' must stay exactly as in the English text"
    if entry.msgctxt.startswith(CODE_CONTEXT):
        if sorted(_PLACEHOLDER.findall(entry.msgid)) != sorted(_PLACEHOLDER.findall(entry.msgstr)):
            yield "keep the {placeholders} of the English text unchanged (code fills them in)"
        return
    if len(_HEADING_LINE.findall(entry.msgid)) != len(_HEADING_LINE.findall(entry.msgstr)):
        yield "keep one translated heading for each English heading (# …), so links and quiz pointers find them"
    images = [t for t in _LINK_TARGET.findall(entry.msgid) if not t.startswith(("http", "#"))]
    for target in images:
        if target not in entry.msgstr:
            yield f"the local link or image {target!r} must stay in the translation"


def check_po(source: Path, lang: str = "de", root: Path | None = None) -> list[str]:
    """Problems of one .po file a translator can fix, each naming file, cell and what to do."""
    root = root or course_root(source.parent)
    target = po_path(source, lang, root)
    name = relative(target, root)
    if not target.exists():
        return [f"{name}: missing; run `python -m teachkit translate extract`"]
    try:
        po = load_po(target)
    except ValueError as problem:
        return [str(problem)]
    problems = []
    if po.metadata.get("Language") != lang:
        problems.append(f"{name}: header 'Language' must be {lang!r}")
    all_units = notebook_units(read_notebook(source))
    units = {u.context: u for u in all_units}
    keys = {unit_key(u.context, u.msgid) for u in all_units}
    seen: set[tuple[str, str]] = set()
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{name}, {entry.msgctxt} ({entry.comment.splitlines()[0] if entry.comment else 'no comment'})"
        key = (entry.msgctxt or "", entry.msgid)
        if key in seen:
            problems.append(f"{where}: the unit appears twice; delete one")
        seen.add(key)
        if entry.msgctxt not in units:
            problems.append(f"{where}: no such cell in {relative(source, root)}; run `translate extract`")
        elif unit_key(entry.msgctxt, entry.msgid) not in keys and FUZZY not in entry.flags:
            problems.append(f"{where}: the English text (msgid) differs from the notebook; run `translate extract`")
        for problem in entry_problems(entry):
            problems.append(f"{where}: {problem}")
    return problems
