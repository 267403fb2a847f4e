"""Build a language edition from the English notebooks plus their `.po` files, and check it is current.

`notebooks/NN-slug.ipynb` → `notebooks/<lang>/NN-slug.ipynb`; `solutions/NN-slug-solutions.ipynb` →
`solutions/<lang>/…-solutions.ipynb` → `exercises/<lang>/NN-slug-exercises.ipynb` (the same nbgrader
cells and grade ids, and the same set id, so the grader treats both editions alike). Markdown cells
are replaced by their translation, code cells are copied unchanged, and the result is executed in
its folder, where `teachkit.course.language()` is the edition's language.

Each built notebook records a fingerprint of what it was built from (English cells and the
translation units), so `lint` can tell a German notebook that is out of date without running it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..strings import CATALOGUE
from .units import (
    CODE_CONTEXT,
    FUZZY,
    cell_source,
    load_po,
    po_path,
    read_notebook,
    relative,
    source_notebooks,
    unit_key,
)

UNTRANSLATED_NOTE = {
    "de": "> ⚠ *Noch nicht übersetzt: Dieser Abschnitt steht noch auf Englisch.*",
}
"""Appended to a cell that kept its English text under --allow-incomplete, so nobody mistakes it for done."""

EDITION_KEY = "edition"  # notebook.metadata.teachkit.edition = {lang, source, fingerprint, incomplete}


class BuildRefused(RuntimeError):
    """A notebook cannot be built from its translation; the message names each notebook and cell."""


@dataclass
class Built:
    source: str
    target: str
    changed: bool = False
    seconds: float = 0.0
    exercise: str = ""
    skipped: str = ""
    problem: str = ""

    def line(self) -> str:
        if self.skipped:
            return f"{self.target}: skipped ({self.skipped})"
        if self.problem:
            return f"{self.target}: FAILED: {self.problem}"
        what = "written" if self.changed else "up to date"
        timing = f" and executed in {self.seconds:.1f} s" if self.seconds else ""
        extra = f"; {self.exercise}" if self.exercise else ""
        return f"{self.target}: {what}{timing}{extra}"


# ------------------------------------------------------------------ paths


def edition_path(source: Path, lang: str, root: Path) -> Path:
    """notebooks/X.ipynb → notebooks/<lang>/X.ipynb (the same for solutions/)."""
    return root / relative(source, root).split("/")[0] / lang / source.name


def edition_sources(root: Path) -> list[Path]:
    return source_notebooks(root)


# ------------------------------------------------------------------ fingerprint and translation


def _units(source: Path, lang: str, root: Path) -> dict[str, Any]:
    target = po_path(source, lang, root)
    if not target.exists():
        return {}
    return {unit_key(e.msgctxt or "", e.msgid): e for e in load_po(target) if not e.obsolete}


def fingerprint(notebook: Any, units: dict[str, Any], lang: str) -> str:
    """A digest of everything a built notebook depends on: the English cells and the translation units."""
    cells = []
    for cell in notebook.cells:
        meta = {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "collapsed", "scrolled")}
        cells.append([cell.get("id"), cell.cell_type, cell_source(cell), meta])
    teachkit_meta = notebook.metadata.get("teachkit", {})
    entries = sorted([k, e.msgstr, FUZZY in e.flags] for k, e in units.items())
    payload = json.dumps([lang, cells, teachkit_meta, entries], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


_LINK = re.compile(r"(\]\(\s*<?|src=[\"']|`)(\.\./[^)\s>\"'`]+)")  # links, images and `paths`
_EDITION_TARGET = re.compile(r"^\.\./(notebooks|exercises|solutions)/([^/#?]+\.ipynb)(.*)$")


def rebase_links(markdown: str, lang: str) -> str:
    """Links and `code` paths that leave the notebook's folder ('../exercises/x.ipynb') go one level
    further up from notebooks/<lang>/, and a link to a notebook of the course goes to the same edition."""

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        edition = _EDITION_TARGET.match(target)
        if edition:
            folder, name, rest = edition.groups()
            return f"{match.group(1)}../../{folder}/{lang}/{name}{rest}"
        return f"{match.group(1)}../{target}"

    return _LINK.sub(fix, markdown)


@dataclass
class Translated:
    notebook: Any
    missing: list[str] = field(default_factory=list)  # "cell N (id X): missing|fuzzy"


def translate_notebook(source: Path, lang: str, root: Path, allow_incomplete: bool = False) -> Translated:
    """The edition's notebook (not yet executed), and every unit that had no usable translation."""
    english = read_notebook(source)
    units = _units(source, lang, root)
    notebook = copy.deepcopy(english)
    result = Translated(notebook)
    incomplete = []
    for index, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
            for text in _code_strings(cell):
                entry = units.get(unit_key(f"{CODE_CONTEXT}{cell.id}", text))
                if entry is None or not entry.msgstr or FUZZY in entry.flags:
                    state = "fuzzy" if entry is not None and entry.msgstr else "missing"
                    result.missing.append(f"cell {index} (code {cell.id}): {state} tr({text!r})")
            continue
        if cell.cell_type != "markdown" or not cell_source(cell).strip():
            continue
        entry = units.get(cell.id)
        usable = entry is not None and entry.msgid == cell_source(cell) and entry.msgstr and FUZZY not in entry.flags
        if usable:
            cell.source = rebase_links(entry.msgstr, lang)
            continue
        state = "fuzzy" if entry is not None and entry.msgstr else "missing"
        result.missing.append(f"cell {index} (id {cell.id}): {state}")
        incomplete.append(cell.id)
        cell.source = rebase_links(cell_source(cell), lang) + "\n\n" + UNTRANSLATED_NOTE.get(lang, "> ⚠ (English)")
    meta = notebook.metadata.setdefault("teachkit", {})
    meta[EDITION_KEY] = {
        "lang": lang,
        "source": relative(source, root),
        "fingerprint": fingerprint(english, units, lang),
        "incomplete": incomplete if allow_incomplete else [],
    }
    notebook.metadata.pop("widgets", None)
    return result


def _code_strings(cell: Any) -> list[str]:
    from .units import code_strings

    return code_strings(cell_source(cell))


# ------------------------------------------------------------------ compiled code strings


def catalogue_text(root: Path, lang: str) -> str:
    """translations/<lang>/code-strings.json: every translated, non-fuzzy tr() string of the course."""
    strings: dict[str, str] = {}
    conflicts: dict[str, set[str]] = {}
    for source in edition_sources(root):
        for entry in _units(source, lang, root).values():
            if not (entry.msgctxt or "").startswith(CODE_CONTEXT) or not entry.msgstr or FUZZY in entry.flags:
                continue
            if strings.setdefault(entry.msgid, entry.msgstr) != entry.msgstr:
                conflicts.setdefault(entry.msgid, {strings[entry.msgid]}).add(entry.msgstr)
    if conflicts:
        listed = "; ".join(f"{k!r} → {sorted(v)}" for k, v in sorted(conflicts.items()))
        raise BuildRefused(
            f"The same English code string has different translations in different .po files: {listed}. "
            "Use one translation (code strings are looked up by their English text)."
        )
    data = {"language": lang, "strings": dict(sorted(strings.items()))}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_catalogue(root: Path, lang: str, check: bool = False) -> bool:
    """Write the compiled strings when they changed; returns whether they did (or would, with check)."""
    path = root / "translations" / lang / CATALOGUE
    text = catalogue_text(root, lang)
    changed = not path.exists() or path.read_text(encoding="utf-8") != text
    if changed and not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return changed


# ------------------------------------------------------------------ build


def built_fingerprint(path: Path) -> str | None:
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception:  # unreadable: treat as not built
        return None
    return notebook.metadata.get("teachkit", {}).get(EDITION_KEY, {}).get("fingerprint")


def current_fingerprint(source: Path, lang: str, root: Path) -> str:
    return fingerprint(read_notebook(source), _units(source, lang, root), lang)


def _execute(path: Path, lang: str, timeout: int) -> float:
    from ..notebooks import execute_in_place

    saved = os.environ.get("TEACHKIT_LANG")
    os.environ["TEACHKIT_LANG"] = lang
    try:
        return execute_in_place(path, timeout=timeout)
    finally:
        if saved is None:
            os.environ.pop("TEACHKIT_LANG", None)
        else:
            os.environ["TEACHKIT_LANG"] = saved


def _exercise(solution: Path, lang: str, check: bool) -> tuple[str, bool]:
    """Write exercises/<lang>/…-exercises.ipynb from a built solution notebook."""
    from ..authoring.build import exercise_text
    from ..authoring.exercise_set import read_set

    exercise_set = read_set(solution)
    text = exercise_text(exercise_set, lang=lang)
    target = exercise_set.exercise_path
    changed = not target.exists() or target.read_text(encoding="utf-8") != text
    if changed and not check:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target.as_posix(), changed


def build_all(
    sources: list[Path],
    lang: str,
    root: Path,
    *,
    allow_incomplete: bool = False,
    execute: bool = True,
    check: bool = False,
    timeout: int = 600,
    explicit: bool | None = None,
) -> list[Built]:
    """Build (or with check=True only compare) the edition of each English notebook.

    Notebooks named explicitly are refused when a unit is missing or fuzzy (unless allow_incomplete);
    when building the whole course, notebooks whose translation is not complete are skipped and listed.
    """
    explicit = explicit if explicit is not None else len(sources) < len(edition_sources(root))
    write_catalogue(root, lang, check=check)
    plans = []
    refusals = []
    for source in sources:
        translated = translate_notebook(source, lang, root, allow_incomplete)
        plans.append((source, translated))
        if translated.missing and explicit and not allow_incomplete:
            where = relative(source, root)
            refusals += [f"{where}, {m}" for m in translated.missing]
    if refusals:
        raise BuildRefused(
            "Not built: these units have no current translation (missing, or fuzzy because the English changed):\n  "
            + "\n  ".join(refusals)
            + "\nTranslate them in translations/"
            + f"{lang}/*.po (see `translate status`), or add --allow-incomplete to keep English there, visibly marked."
        )
    results = []
    for source, translated in plans:
        target = edition_path(source, lang, root)
        built = Built(relative(source, root), relative(target, root))
        results.append(built)
        if translated.missing and not allow_incomplete:
            built.skipped = f"{len(translated.missing)} unit(s) not translated; `translate status {source.stem}`"
            continue
        wanted = translated.notebook.metadata["teachkit"][EDITION_KEY]["fingerprint"]
        built.changed = built_fingerprint(target) != wanted
        if built.changed and not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(translated.notebook, target)
            if execute:
                started = time.perf_counter()
                try:
                    _execute(target, lang, timeout)
                except Exception as problem:  # report; the other notebooks are still built
                    text = str(problem).strip().splitlines()
                    built.problem = text[-1] if text else repr(problem)
                    continue
                built.seconds = time.perf_counter() - started
        if source.parent.name == "solutions" and target.exists():
            exercise, changed = _exercise(target, lang, check)
            state = ("stale" if check else "written") if changed else "up to date"
            built.exercise = f"{relative(Path(exercise), root)} {state}"
            built.changed = built.changed or changed
    return results


# ------------------------------------------------------------------ freshness, for lint


@dataclass(frozen=True)
class OutOfDate:
    path: str
    message: str
    fix: str


def out_of_date(root: Path, lang: str, sources: list[Path] | None = None) -> list[OutOfDate]:
    """Built notebooks that no longer match their sources, complete translations never built, and a
    stale code-strings catalogue. Runs nothing."""
    found = []
    for source in sources or edition_sources(root):
        target = edition_path(source, lang, root)
        rel = relative(target, root)
        stored = built_fingerprint(target) if target.exists() else None
        if target.exists():
            if stored != current_fingerprint(source, lang, root):
                found.append(
                    OutOfDate(
                        rel,
                        f"built from an older {relative(source, root)} or translations/{lang}/{source.stem}.po",
                        f"run `python -m teachkit translate build {source.stem}` and commit the result",
                    )
                )
            elif source.parent.name == "solutions":
                exercise, stale = _exercise(target, lang, check=True)
                if stale:
                    found.append(
                        OutOfDate(
                            relative(Path(exercise), root),
                            f"differs from what {rel} builds (or is missing)",
                            f"run `python -m teachkit translate build {source.stem}` and commit the result",
                        )
                    )
        elif po_path(source, lang, root).exists() and not translate_notebook(source, lang, root).missing:
            found.append(
                OutOfDate(
                    rel,
                    "the translation is complete but the notebook was never built",
                    f"run `python -m teachkit translate build {source.stem}` and commit the result",
                )
            )
    try:
        stale_catalogue = write_catalogue(root, lang, check=True)
    except BuildRefused as problem:
        found.append(OutOfDate(f"translations/{lang}/{CATALOGUE}", str(problem), "use one translation per string"))
    else:
        has_po = any((root / "translations" / lang).glob("*.po"))
        if stale_catalogue and has_po:
            found.append(
                OutOfDate(
                    f"translations/{lang}/{CATALOGUE}",
                    "the compiled code strings differ from the .po files",
                    "run `python -m teachkit translate build` and commit the result",
                )
            )
    return found
