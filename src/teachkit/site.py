"""The course as a static website: `python -m teachkit site --out site/`.

Built with Sphinx, MyST-NB and the book theme (the stack under Jupyter Book 1), which works
offline. Notebooks are rendered from their committed outputs, never re-executed. Each language
gets its own tree (`en/`, `de/`) with the same page names, so the language switch keeps the page.

The build refuses to publish what would mislead a reader: a lesson without outputs, a quiz cell
without its static self-check, a broken internal link, an image without its file or alt text, or
anything the leak audit finds.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import nbformat

from .course import LANGUAGES, course_root
from .lessons import business_question, lesson_paths, time_estimate, title
from .sections import localized_see

QUIZ_CALL = re.compile(r"quiz\.show\(([^)]*)\)", re.DOTALL)
_QUOTED = re.compile(r"""["']([a-z0-9]+(?:-[a-z0-9]+)*)["']""")
_SET_TITLE = re.compile(r"""(?:set_title|suptitle)\(\s*(?:tr\()?\s*f?(["'])(.+?)\1""")

UI: dict[str, dict[str, str]] = {
    "lessons": {"en": "Lessons", "de": "Lektionen"},
    "exercises": {"en": "Exercise sets", "de": "Übungen"},
    "reference": {"en": "Reference", "de": "Nachschlagen"},
    "glossary": {"en": "Glossary", "de": "Glossar"},
    "data": {"en": "Data and sources", "de": "Daten und Quellen"},
    "lesson": {"en": "Lesson", "de": "Lektion"},
    "question": {"en": "Question", "de": "Fragestellung"},
    "time": {"en": "Time", "de": "Zeit"},
    "min": {"en": "min", "de": "Min."},
    "switch": {"en": "Deutsch", "de": "English"},
    "switch_label": {"en": "Diese Seite auf Deutsch", "de": "This page in English"},
    "open": {"en": "Open this lesson", "de": "Diese Lektion öffnen"},
    "open_local": {"en": "in JupyterLab on your computer", "de": "in JupyterLab auf Ihrem Rechner"},
    "open_binder": {"en": "on Binder", "de": "auf Binder"},
    "open_hub": {"en": "on your JupyterHub (nbgitpuller link)", "de": "auf Ihrem JupyterHub (nbgitpuller-Link)"},
    "open_note": {
        "en": "The local link works after `bash start-course.sh`; the Binder and hub links need the "
        "course's repository and hub names set when the site is built.",
        "de": "Der lokale Link funktioniert nach `bash start-course.sh --lang de`; Binder- und Hub-Link "
        "brauchen die Namen von Repository und Hub beim Bauen der Website.",
    },
    "run": {"en": "How to run the course", "de": "So starten Sie den Kurs"},
    "term_en": {"en": "English", "de": "Englisch"},
    "term_de": {"en": "German", "de": "Deutsch"},
    "meaning": {"en": "Meaning", "de": "Bedeutung"},
    "where": {"en": "Explained in", "de": "Erklärt in"},
    "not_translated": {
        "en": "",
        "de": "Diese Lektion gibt es noch nicht auf Deutsch. Hier finden Sie ihre Schlüsselbegriffe und "
        "Quizfragen auf Deutsch; den Lektionstext lesen Sie in der [englischen Fassung]({link}).",
    },
    "english_only": {
        "en": "",
        "de": "Diese Seite liegt nur auf Englisch vor.",
    },
    "quiz_heading": {"en": "Quiz", "de": "Quizfragen"},
    "key_terms": {"en": "Key terms", "de": "Schlüsselbegriffe"},
    "data_intro": {
        "en": "Every table the lessons load, with its sources and licences. Synthetic tables are marked.",
        "de": "Alle Tabellen, die die Lektionen laden, mit Quellen und Lizenzen (Beschreibungen auf Englisch). "
        "Synthetische Tabellen sind gekennzeichnet.",
    },
    "glossary_intro": {
        "en": "Every key term of the course in English and German, with the lesson section that explains it.",
        "de": "Alle Schlüsselbegriffe des Kurses auf Englisch und Deutsch, mit dem Abschnitt, der sie erklärt.",
    },
}


def ui(key: str, lang: str) -> str:
    return UI[key].get(lang) or UI[key]["en"]


class SiteError(RuntimeError):
    """The site was not built, or not published, because of the problems listed."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class SiteOptions:
    """Where the lesson links point. Placeholders stay visible until an instructor sets them."""

    repository: str = "OWNER/REPO"
    student_repository: str = "OWNER/course-students"
    hub: str = "HUB"
    branch: str = "main"
    languages: tuple[str, ...] = LANGUAGES


@dataclass
class SiteResult:
    out: Path
    pages: dict[str, int] = field(default_factory=dict)  # page path → bytes, images included
    seconds: float = 0.0

    @property
    def largest(self) -> tuple[str, int]:
        return max(self.pages.items(), key=lambda kv: kv[1]) if self.pages else ("", 0)


# --------------------------------------------------------------------------- sources


def quiz_ids(source: str) -> list[str]:
    """The item ids of every `quiz.show(...)` call in a code cell's source."""
    return [i for call in QUIZ_CALL.findall(source) for i in _QUOTED.findall(call)]


def _has_outputs(notebook: nbformat.NotebookNode) -> bool:
    return any(c.get("outputs") for c in notebook.cells if c.cell_type == "code")


def _alt_for(cell: nbformat.NotebookNode, previous_text: str) -> str:
    """A chart's text alternative: its title from the code, else the sentence that introduces it."""
    found = _SET_TITLE.search(cell.source)
    if found:
        return "Chart: " + found.group(2)
    sentence = re.split(r"(?<=[.!?:])\s", previous_text.strip().replace("\n", " "))[-1] if previous_text else ""
    sentence = re.sub(r"[*_`#>\[\]]", "", sentence).strip()
    return ("Chart: " + sentence) if sentence else "Chart from the code cell above"


_MD_NB_LINK = re.compile(r"\]\(([0-9]{2}-[a-z0-9-]+)\.ipynb#([^)\s]+)\)")


def _section_links(markdown: str, lang: str) -> str:
    """`[…](02-slug.ipynb#Questions-for-the-works-council)`, JupyterLab's anchor, → the id MyST gives that
    heading (in the page's language), so a link between lessons lands on the section on the site too."""
    from mdit_py_plugins.anchors.index import slugify

    def repl(match: re.Match[str]) -> str:
        stem, frag = match.group(1), match.group(2)
        local = localized_see(f"{stem}#{unquote(frag)}", lang).partition("#")[2]
        return f"]({stem}.ipynb#{slugify(local.replace('-', ' '))})"

    return _MD_NB_LINK.sub(repl, markdown)


def prepare_notebook(path: Path, problems: list[str], *, lesson: bool, lang: str = "en") -> nbformat.NotebookNode:
    """Check a notebook for the site and give its charts alt text; never changes the file on disk."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = _section_links(cell.source, lang)
    if lesson and not _has_outputs(notebook):
        problems.append(f"{path}: no stored outputs; run `python -m teachkit execute {path}` first.")
    previous = ""
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            previous = cell.source
            continue
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        if lesson and quiz_ids(cell.source) and not any("text/html" in o.get("data", {}) for o in outputs):
            problems.append(
                f"{path}, cell {number}: the quiz output has no static self-check (text/html); "
                f"re-execute the notebook with `python -m teachkit execute {path}`."
            )
        if any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])):
            mystnb = cell.metadata.setdefault("mystnb", {})
            mystnb.setdefault("image", {}).setdefault("alt", _alt_for(cell, previous))
    return notebook


def _write_notebook(notebook: nbformat.NotebookNode, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)


def _lesson_sources(root: Path, lang: str) -> list[tuple[str, Path | None, Path]]:
    """(stem, notebook in this language or None, English notebook) for every lesson."""
    out = []
    for english in lesson_paths(root):
        local = english if lang == "en" else root / "notebooks" / lang / english.name
        out.append((english.stem, local if local.exists() else None, english))
    return out


def _exercise_sources(root: Path, lang: str) -> list[tuple[str, Path]]:
    """(stem, notebook) of the student exercise notebooks: in this language where they exist."""
    out = []
    for english in sorted((root / "exercises").glob("*.ipynb")):
        local = english if lang == "en" else root / "exercises" / lang / english.name
        out.append((english.stem, local if local.exists() else english))
    return out


def open_links(stem: str, lang: str, options: SiteOptions, kind: str = "notebooks") -> str:
    """The "Open this lesson" box: local JupyterLab, Binder, and an nbgitpuller link for a hub."""
    folder = kind if lang == "en" else f"{kind}/{lang}"
    path = f"{folder}/{stem}.ipynb"
    local = f"http://localhost:8888/lab/tree/{path}"
    binder = f"https://mybinder.org/v2/gh/{options.repository}/HEAD?urlpath=" + quote(f"lab/tree/{path}", safe="")
    student_name = options.student_repository.split("/")[-1]
    hub = (
        f"https://{options.hub}/hub/user-redirect/git-pull?repo="
        + quote(f"https://github.com/{options.student_repository}", safe="")
        + f"&branch={quote(options.branch)}&urlpath="
        + quote(f"lab/tree/{student_name}/{path}", safe="")
    )
    return (
        f'<nav class="teachkit-open" aria-label="{html.escape(ui("open", lang))}"><p><strong>'
        f"{html.escape(ui('open', lang))}:</strong> "
        f'<a href="{html.escape(local)}">{html.escape(ui("open_local", lang))}</a> · '
        f'<a href="{html.escape(binder)}">{html.escape(ui("open_binder", lang))}</a> · '
        f'<a href="{html.escape(hub)}">{html.escape(ui("open_hub", lang))}</a></p></nav>'
    )


def _insert_after_title(notebook: nbformat.NotebookNode, markdown: str) -> None:
    cell = nbformat.v4.new_markdown_cell(markdown)
    cell["id"] = "teachkit-site-open"
    index = 1 if notebook.cells and notebook.cells[0].cell_type == "markdown" else 0
    notebook.cells.insert(index, cell)


# --------------------------------------------------------------------------- generated pages


def _headings(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, heading text) of every H2/H3 in the markdown cells."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^#{2,3}\s+(.+?)\s*#*\s*$", line)
            if match:
                found.append((index, match.group(1)))
    return found


_SUMMARY_SECTIONS = ("key point", "sources", "learning objective", "kernpunkt", "quellen", "lernziel")


def section_for(notebook: nbformat.NotebookNode, terms: list[str]) -> str | None:
    """The heading of the first section (after the key terms) whose text mentions one of `terms`."""
    heads = _headings(notebook)
    start = next((i for i, text in heads if "key term" in text.lower() or "schlüsselbegriff" in text.lower()), -1)
    wanted = [t.lower() for t in terms if t and len(t) > 2]
    for index, cell in enumerate(notebook.cells):
        if index <= start or cell.cell_type != "markdown":
            continue
        text = cell.source.lower()
        if any(term in text for term in wanted):
            before = [h for i, h in heads if i <= index]
            if before and before[-1].lower().startswith(_SUMMARY_SECTIONS):
                continue  # a summary mentions the term; the explanation is elsewhere
            return before[-1] if before else None
    return None


def anchor(heading: str) -> str:
    """The id Sphinx gives a section with this heading (docutils' own rule)."""
    from docutils.nodes import make_id

    text = re.sub(r"[*_`]", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return make_id(text)


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def glossary_page(root: Path, lang: str, notebooks: dict[str, nbformat.NotebookNode]) -> str:
    from .glossary import terms

    table = terms(root=root)
    first, second = ("term_de", "term_en") if lang == "de" else ("term_en", "term_de")
    lines = [
        f"# {ui('glossary', lang)}",
        "",
        ui("glossary_intro", lang),
        "",
        f"| {ui(first, lang)} | {ui(second, lang)} | {ui('meaning', lang)} | {ui('where', lang)} |",
        "|---|---|---|---|",
    ]
    for row in table.sort_values(first, key=lambda s: s.str.casefold()).itertuples():
        lesson = str(row.lesson)
        notebook = notebooks.get(lesson)
        link = ""
        if notebook is not None:
            names = [row.term_en, row.term_de, str(row.term_en).split(" (")[0], str(row.term_de).split(" (")[0]]
            heading = section_for(notebook, names)
            target = f"notebooks/{lesson}.ipynb" + (f"#{anchor(heading)}" if heading else "")
            label = f"{lesson[:2]}" + (f" · {_md_cell(heading)}" if heading else "")
            link = f"[{label}]({target})"
        meaning = row.definition_de if lang == "de" else row.definition_en
        lines.append(
            f"| **{_md_cell(getattr(row, first))}** | {_md_cell(getattr(row, second))} | {_md_cell(meaning)} | {link} |"
        )
    return "\n".join(lines) + "\n"


def data_page(lang: str) -> str:
    from .data import readme_text

    text = readme_text()
    body = text.split("\n", 1)[1] if text.startswith("# ") else text
    body = body.replace(
        "This file is generated from `datapackage.json` by `python -m teachkit data-readme`; "
        "edit the package, not this file.",
        "",
    )
    return f"# {ui('data', lang)}\n\n{ui('data_intro', lang)}\n{body}"


def _readme_intro(root: Path, lang: str) -> tuple[str, str]:
    """The course title and its first paragraph, from README.md (README.de.md for German)."""
    readme = root / ("README.de.md" if lang == "de" and (root / "README.de.md").exists() else "README.md")
    text = readme.read_text(encoding="utf-8")
    heading = re.search(r"^# (.+)$", text, re.MULTILINE)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    intro = next(
        (p for p in paragraphs if not p.startswith(("#", "<", "[", "!", "|", "*", ">", "```")) and len(p) > 80), ""
    )
    return (heading.group(1).strip() if heading else "Course"), intro


def landing_page(
    root: Path, lang: str, lessons: list[tuple[str, nbformat.NotebookNode, str]], options: SiteOptions
) -> str:
    course_title, intro = _readme_intro(root, lang)
    lines = [f"# {course_title}", "", intro, "", f"## {ui('lessons', lang)}", ""]
    lines += [f"| # | {ui('lesson', lang)} | {ui('question', lang)} | {ui('time', lang)} |", "|---|---|---|---|"]
    for stem, notebook, page in lessons:
        number = stem[:2]
        name = re.sub(rf"^0*{int(number)}\s*[·.:\-–—]\s*", "", title(notebook) or stem)
        minutes = time_estimate(notebook)
        shown = f"{minutes} {ui('min', lang)}" if minutes else ""
        lines.append(
            f"| {number} | [{_md_cell(name)}](notebooks/{page}) | "
            f"{_md_cell(business_question(notebook) or '')} | {shown} |"
        )
    binder = f"https://mybinder.org/v2/gh/{options.repository}/HEAD?urlpath=" + quote(
        "lab/tree/notebooks/" + ("de/" if lang == "de" else "") + "00-start-here.ipynb", safe=""
    )
    if lang == "de":
        run = [
            "- **Auf dem eigenen Rechner** (Python 3.11 oder neuer): Kurs herunterladen, im Kursordner "
            "`bash start-course.sh --lang de` ausführen; JupyterLab öffnet die Startseite.",
            f"- **Auf Binder**, ohne Installation: [den Kurs auf mybinder.org starten]({binder}). "
            "Binder-Sitzungen sind vorübergehend: exportieren Sie Ihre Antworten vor dem Schließen.",
            "- **Auf einem JupyterHub** der Hochschule: Ihre Lehrkraft gibt Ihnen einen nbgitpuller-Link, "
            "der den Kurs in Ihren Ordner holt (siehe Leitfaden für Lehrende).",
        ]
    else:
        run = [
            "- **On your laptop** (Python 3.11 or newer): get the course, then run `bash start-course.sh` "
            "in its folder; JupyterLab opens the start page.",
            f"- **On Binder**, with nothing to install: [launch the course on mybinder.org]({binder}). "
            "Binder sessions are temporary: export your answers before you close it.",
            "- **On a JupyterHub** at your university: your lecturer gives you an nbgitpuller link that "
            "puts the course into your folder (see the instructor guide).",
        ]
    lines += ["", f"## {ui('run', lang)}", "", *run, ""]
    return "\n".join(lines)


def german_placeholder(stem: str, english: nbformat.NotebookNode) -> str:
    """A German page for a lesson not yet translated: its key terms and quizzes, in German."""
    from .glossary import terms
    from .quiz.static import quiz_html

    english_page = f"../../en/notebooks/{stem}.html"
    link = f'<a href="{english_page}">englischen Fassung</a>'
    note = ui("not_translated", "de").replace("[englischen Fassung]({link})", link)
    lines = [f"# {title(english) or stem}", "", note]
    rows = terms(stem)
    if not rows.empty:
        lines += ["", f"## {ui('key_terms', 'de')}", "", "| Deutsch | Englisch | Bedeutung |", "|---|---|---|"]
        for row in rows.itertuples():
            lines.append(f"| **{_md_cell(row.term_de)}** | {_md_cell(row.term_en)} | {_md_cell(row.definition_de)} |")
    ids = [i for cell in english.cells if cell.cell_type == "code" for i in quiz_ids(cell.source)]
    if ids:
        lines += ["", f"## {ui('quiz_heading', 'de')}", "", quiz_html(ids, "de", link_prefix="../../en/notebooks/"), ""]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Sphinx

_CONF = """\
# Generated by `python -m teachkit site`; edit teachkit/site.py, not this file.
project = {project!r}
language = {lang!r}
extensions = ["myst_nb"]
html_theme = "sphinx_book_theme"
html_title = {project!r}
html_copy_source = False
html_show_sourcelink = False
html_static_path = ["_static"]
html_css_files = ["teachkit-site.css"]
templates_path = ["_templates"]
exclude_patterns = ["_build"]
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]
# A quiz cell's stored output holds a widget view, a static self-check (text/html) and plain text:
# a website has no kernel, so the self-check is what it shows.
nb_mime_priority_overrides = [
    ("html", "application/vnd.jupyter.widget-view+json", None),
    ("html", "application/vnd.jupyter.widget-state+json", None),
]
html_context = {{"teachkit_switch": {switch!r}, "teachkit_switch_label": {switch_label!r},
                 "teachkit_other": {other!r}}}
html_theme_options = {{
    "article_header_end": ["teachkit-lang.html", "article-header-buttons.html"],
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}}
"""

_LANG_TEMPLATE = """\
<a class="btn teachkit-lang" href="{{ pathto('', 1) }}../{{ teachkit_other }}/\
{{ pagename }}.html" hreflang="{{ teachkit_other }}" lang="{{ teachkit_other }}" \
title="{{ teachkit_switch_label }}" aria-label="{{ teachkit_switch_label }}">{{ teachkit_switch }}</a>
"""


_CSS_FILE = """\
.teachkit-lang { align-self: center; white-space: nowrap; font-size: 0.9rem; padding: 0.25rem 0.6rem;
  min-height: 24px; }
.teachkit-open { border-left: 4px solid var(--pst-color-primary); padding: 0.2rem 0.8rem; margin: 0.5rem 0 1rem; }
.teachkit-static-item summary { cursor: pointer; min-height: 24px; }
.teachkit-static-item summary:focus-visible { outline: 3px solid var(--pst-color-primary); outline-offset: 2px; }
"""


def _write_conf(srcdir: Path, project: str, lang: str, langs: tuple[str, ...]) -> None:
    others = [other for other in langs if other != lang]
    other = others[0] if others else lang
    (srcdir / "conf.py").write_text(
        _CONF.format(
            project=project, lang=lang, switch=ui("switch", lang), switch_label=ui("switch_label", lang), other=other
        ),
        encoding="utf-8",
    )
    static = srcdir / "_static"
    static.mkdir(exist_ok=True)
    (static / "teachkit-site.css").write_text(_CSS_FILE, encoding="utf-8")
    templates = srcdir / "_templates"
    templates.mkdir(exist_ok=True)
    (templates / "teachkit-lang.html").write_text(_LANG_TEMPLATE if others else "", encoding="utf-8")


def _run_sphinx(srcdir: Path, outdir: Path, doctrees: Path) -> list[str]:
    """Build HTML; return Sphinx's warnings (each one a problem: the site must build clean)."""
    import io

    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    nocolor()
    warnings = io.StringIO()
    with patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(
            str(srcdir),
            str(srcdir),
            str(outdir),
            str(doctrees),
            "html",
            status=None,
            warning=warnings,
            freshenv=True,
            keep_going=True,
        )
        app.build()
    return [line for line in warnings.getvalue().splitlines() if "WARNING" in line or "ERROR" in line]


# --------------------------------------------------------------------------- after the build

_HREF = re.compile(r"""<(a|img|link|script)\b[^>]*?\b(href|src)=["']([^"']+)["'][^>]*>""", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_NB_LINK = re.compile(r"""href="([A-Za-z0-9_./-]*?)([0-9]{2}-[a-z0-9-]+)\.ipynb(#[^"]*)?\"""")


def _fix_notebook_links(text: str, lang: str = "en") -> str:
    """Links a notebook's own HTML output makes to `NN-slug.ipynb#Heading` → the site's page and id
    (in a German page, an English section name leads to the same section of the German lesson)."""

    def repl(match: re.Match[str]) -> str:
        prefix, stem, frag = match.group(1), match.group(2), match.group(3) or ""
        target = f"{prefix}{stem}.html"
        if frag:
            local = localized_see(f"{stem}#{unquote(frag[1:])}", lang).partition("#")[2]
            target += "#" + anchor(local.replace("-", " "))
        return f'href="{target}"'

    return _NB_LINK.sub(repl, text)


def check_links(out: Path) -> list[str]:
    """Every internal link and image of the built site resolves, and every image has alt text."""
    problems = []
    ids_cache: dict[Path, set[str]] = {}
    for page in sorted(out.rglob("*.html")):
        if "_static" in page.relative_to(out).parts:
            continue  # the theme's own template snippets, not pages
        text = page.read_text(encoding="utf-8")
        for tag in _IMG.findall(text):
            alt = re.search(r"""\balt=["']([^"']*)["']""", tag)
            if alt is None or not alt.group(1).strip() or alt.group(1).strip().endswith((".png", ".svg", ".jpg")):
                problems.append(f"{page.relative_to(out)}: an image without a text alternative: {tag[:120]}")
        for _tag, _attr, url in _HREF.findall(text):
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            if not parts.path:
                target = page
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            if not target.exists():
                problems.append(f"{page.relative_to(out)}: broken link to {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids_cache:
                    body = target.read_text(encoding="utf-8")
                    ids_cache[target] = set(re.findall(r"""\bid=["']([^"']+)["']""", body))
                if unquote(parts.fragment) not in ids_cache[target]:
                    problems.append(f"{page.relative_to(out)}: link to a missing section {url}")
    return problems


def page_weights(out: Path) -> dict[str, int]:
    """Bytes of each page with the images it shows (what a reader downloads beyond the shared theme)."""
    weights = {}
    for page in sorted(out.rglob("*.html")):
        if "_static" in page.relative_to(out).parts:
            continue
        text = page.read_text(encoding="utf-8")
        size = len(text.encode("utf-8"))
        for tag in _IMG.findall(text):
            src = re.search(r"""\bsrc=["']([^"']+)["']""", tag)
            if src and not urlsplit(src.group(1)).scheme:
                image = (page.parent / unquote(src.group(1))).resolve()
                if image.is_file():
                    size += image.stat().st_size
        weights[str(page.relative_to(out))] = size
    return weights


# --------------------------------------------------------------------------- the build


def _assemble(root: Path, srcdir: Path, lang: str, options: SiteOptions, problems: list[str]) -> None:
    lessons: list[tuple[str, nbformat.NotebookNode, str]] = []
    in_language: dict[str, nbformat.NotebookNode] = {}
    docs: list[str] = []
    for stem, local, english in _lesson_sources(root, lang):
        if local is None:
            english_nb = nbformat.read(english, as_version=4)
            (srcdir / "notebooks").mkdir(parents=True, exist_ok=True)
            (srcdir / "notebooks" / f"{stem}.md").write_text(german_placeholder(stem, english_nb), encoding="utf-8")
            lessons.append((stem, english_nb, f"{stem}.md"))
        else:
            notebook = prepare_notebook(local, problems, lesson=True, lang=lang)
            _insert_after_title(notebook, open_links(stem, lang, options))
            _write_notebook(notebook, srcdir / "notebooks" / f"{stem}.ipynb")
            lessons.append((stem, notebook, f"{stem}.ipynb"))
            in_language[stem] = notebook
        docs.append(f"notebooks/{stem}")
    exercises = []
    for stem, path in _exercise_sources(root, lang):
        notebook = prepare_notebook(path, problems, lesson=False, lang=lang)
        _insert_after_title(notebook, open_links(stem, lang, options, kind="exercises"))
        _write_notebook(notebook, srcdir / "exercises" / f"{stem}.ipynb")
        exercises.append(f"exercises/{stem}")
    (srcdir / "glossary.md").write_text(glossary_page(root, lang, in_language), encoding="utf-8")
    (srcdir / "data.md").write_text(data_page(lang), encoding="utf-8")
    guides = []
    if (root / "docs" / "img").is_dir():  # pictures the guides show
        shutil.copytree(root / "docs" / "img", srcdir / "docs" / "img", dirs_exist_ok=True)
    for name in ("student-README", "instructor-guide"):
        source = root / "docs" / lang / f"{name}.md"
        note = ""
        if not source.exists():
            source = root / "docs" / f"{name}.md"
            note = ui("english_only", lang)
        if source.exists():
            text = source.read_text(encoding="utf-8")
            text = _rewrite_repo_links(text, source.parent.relative_to(root), root, options)
            if note:
                text = re.sub(r"^(# .+\n)", rf"\1\n*{note}*\n", text, count=1)
            (srcdir / "docs").mkdir(exist_ok=True)
            (srcdir / "docs" / f"{name}.md").write_text(text, encoding="utf-8")
            guides.append(f"docs/{name}")
    index = landing_page(root, lang, lessons, options)
    index += _toctree(ui("lessons", lang), docs) + _toctree(ui("exercises", lang), exercises)
    index += _toctree(ui("reference", lang), ["glossary", "data", *guides])
    (srcdir / "index.md").write_text(index, encoding="utf-8")


def _toctree(caption: str, docs: list[str]) -> str:
    return "\n```{toctree}\n:hidden:\n:caption: " + caption + "\n\n" + "\n".join(docs) + "\n```\n"


_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def _rewrite_repo_links(text: str, folder: Path, root: Path, options: SiteOptions) -> str:
    """Links from a guide to files that are not pages of the site point at the repository instead."""

    def repl(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        path, _, frag = target.partition("#")
        resolved = (root / folder / path).resolve()
        try:
            relative = resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            return label
        if re.fullmatch(r"(notebooks|exercises)/[0-9]{2}-[a-z0-9-]+\.ipynb", relative):
            return f"[{label}](../{relative}{'#' + frag if frag else ''})"
        if relative in ("docs/student-README.md", "docs/instructor-guide.md"):
            return f"[{label}](../{relative}{'#' + frag if frag else ''})"
        if relative == "data/README.md":
            return f"[{label}](../data.md)"
        return f"[{label}](https://github.com/{options.repository}/blob/{options.branch}/{relative})"

    return _MD_LINK.sub(repl, text)


def build_site(
    out: Path | str, *, root: Path | str | None = None, options: SiteOptions | None = None, force: bool = False
) -> SiteResult:
    """Build the whole site into `out` (one folder per language); raise SiteError listing every problem."""
    from .authoring.audit import audit_release
    from .authoring.exercise_set import solution_paths

    started = time.perf_counter()
    root = Path(root) if root is not None else course_root()
    options = options or SiteOptions()
    out = Path(out)
    if out.resolve() == root.resolve() or root.resolve().is_relative_to(out.resolve()):
        raise SiteError([f"{out} holds the course itself; choose a new folder such as site/."])
    if out.exists() and any(out.iterdir()):
        if not force and not (out / ".teachkit-site").exists():
            raise SiteError([f"{out} exists and was not made by `teachkit site`; choose another folder or empty it."])
        shutil.rmtree(out)
    problems: list[str] = []
    project, _ = _readme_intro(root, "en")
    with tempfile.TemporaryDirectory(prefix="teachkit-site-") as scratch:
        for lang in options.languages:
            srcdir = Path(scratch) / lang
            srcdir.mkdir()
            _assemble(root, srcdir, lang, options, problems)
            _write_conf(srcdir, project, lang, options.languages)
            warnings = _run_sphinx(srcdir, out / lang, Path(scratch) / f"doctrees-{lang}")
            problems += [f"Sphinx ({lang}): {w}" for w in warnings]
            leaks = audit_release(srcdir, solutions=solution_paths(root), lessons=lesson_paths(root))
            problems += [f"leak in the {lang} site's sources: {p}" for p in leaks]
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = _fix_notebook_links(text, page.relative_to(out).parts[0])
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    langs = options.languages
    (out / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={langs[0]}/index.html"><title>{html.escape(project)}</title>'
        f'</head><body><p><a href="{langs[0]}/index.html">{html.escape(project)}</a>'
        + "".join(f' · <a href="{lang}/index.html" hreflang="{lang}">{lang.upper()}</a>' for lang in langs)
        + "</p></body></html>\n",
        encoding="utf-8",
    )
    (out / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages: serve _static/ as it is
    (out / ".teachkit-site").write_text(json.dumps({"languages": list(langs)}) + "\n", encoding="utf-8")
    problems += check_links(out)
    problems += [
        f"leak in the built site: {p}"
        for p in audit_release(out, solutions=solution_paths(root), lessons=lesson_paths(root))
    ]
    if problems:
        raise SiteError(problems)
    result = SiteResult(out, pages=page_weights(out), seconds=time.perf_counter() - started)
    return result
