"""The course website: static quiz self-checks, section anchors, and a build that refuses to
publish a broken course (no outputs, a broken link, a leak)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from teachkit.authoring.audit import secrets_of
from teachkit.quiz.static import quiz_html
from teachkit.site import (
    SiteError,
    SiteOptions,
    _fix_notebook_links,
    anchor,
    build_site,
    check_links,
    open_links,
    quiz_ids,
    section_for,
)

ROOT = Path(__file__).resolve().parents[1]


def test_quiz_ids_are_read_from_every_show_call() -> None:
    source = 'quiz.show("a-b", "c")\nx = 1\nquiz.show(\n    "d-e-f",\n)'
    assert quiz_ids(source) == ["a-b", "c", "d-e-f"]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_static_quiz_shows_question_options_and_hides_the_answer(lang: str) -> None:
    from teachkit.quiz import catalogue
    from teachkit.quiz.render import markdown_to_html

    item = next(e.item for e in catalogue().values() if e.item.type == "single_choice")
    page = quiz_html([item.id], lang)
    before, _, inside = page.partition("<details>")
    assert markdown_to_html(item.question.get(lang)) in before
    for option in item.options:
        assert markdown_to_html(option.text.get(lang)) in before
    assert "<summary>" in inside
    assert markdown_to_html(item.explanation.get(lang)) in inside
    assert markdown_to_html(item.explanation.get(lang)) not in before
    letter = "ABCDEFGH"[next(i for i, o in enumerate(item.options) if o.correct)]
    assert f"<strong>{letter}</strong>" in inside
    lesson, _, section = item.see.partition("#")
    assert f'href="{lesson}.ipynb#{section}"' in inside
    assert 'lang="de"' in page if lang == "de" else 'lang="en"' in page


def test_static_quiz_escapes_bank_text() -> None:
    from teachkit.quiz.render import markdown_to_html

    assert "<script>" not in markdown_to_html("<script>alert(1)</script>")


def test_anchor_follows_docutils_and_notebook_links_are_rewritten() -> None:
    assert anchor("The **Bass** model, in 2 steps") == "the-bass-model-in-2-steps"
    html = '<a href="08-disruption-and-diffusion.ipynb#The-Bass-model">x</a>'
    assert _fix_notebook_links(html) == '<a href="08-disruption-and-diffusion.html#the-bass-model">x</a>'


def test_section_for_skips_the_key_terms_and_summaries() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Lesson\n## Learning objectives\n- explain a Parakrise"),
        nbformat.v4.new_markdown_cell("## Key terms\nParakrise"),
        nbformat.v4.new_markdown_cell("## From complaint to crisis\nA paracrisis (Parakrise) is …"),
        nbformat.v4.new_markdown_cell("## Key points\nParakrise again"),
    ]
    assert section_for(nb, ["Parakrise"]) == "From complaint to crisis"
    assert section_for(nb, ["nowhere"]) is None


def test_open_links_point_at_the_lesson_locally_on_binder_and_on_a_hub() -> None:
    links = open_links(
        "06-x", "de", SiteOptions(repository="org/course", student_repository="org/stud", hub="hub.uni.de")
    )
    assert "http://localhost:8888/lab/tree/notebooks/de/06-x.ipynb" in links
    assert "https://mybinder.org/v2/gh/org/course/HEAD?urlpath=lab%2Ftree%2Fnotebooks%2Fde%2F06-x.ipynb" in links
    assert "https://hub.uni.de/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Forg%2Fstud" in links
    assert "lab%2Ftree%2Fstud%2Fnotebooks%2Fde%2F06-x.ipynb" in links


def test_check_links_finds_broken_links_missing_sections_and_images_without_alt(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html">ok</a><a href="gone.html">x</a><a href="b.html#nope">y</a>'
        '<a href="#here">z</a><a href="https://example.org/">ext</a>'
        '<img src="pic.png" alt="A chart of sales"><img src="pic.png"><img src="missing.png" alt="x"></p>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<h1 id="top">B</h1>', encoding="utf-8")
    (tmp_path / "pic.png").write_bytes(b"\x89PNG")
    problems = check_links(tmp_path)
    assert any("gone.html" in p for p in problems)
    assert any("b.html#nope" in p for p in problems)
    assert any("without a text alternative" in p for p in problems)
    assert any("missing.png" in p for p in problems)
    assert len(problems) == 4


def _course_copy(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    for name in ("notebooks", "exercises", "solutions", "quizzes", "data", "docs"):
        shutil.copytree(ROOT / name, course / name, ignore=shutil.ignore_patterns("de"))
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, course / name)
    return course


def test_the_course_site_builds_with_search_and_both_languages(tmp_path: Path) -> None:
    result = build_site(tmp_path / "site", root=ROOT)
    en, de = tmp_path / "site" / "en", tmp_path / "site" / "de"
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for lesson in lessons:
        assert (en / "notebooks" / f"{lesson}.html").exists()
        assert (de / "notebooks" / f"{lesson}.html").exists()
    for page in ("index", "glossary", "data", "search", "docs/instructor-guide", "docs/student-README"):
        assert (en / f"{page}.html").exists() and (de / f"{page}.html").exists()
    index = (en / "searchindex.js").read_text(encoding="utf-8")
    assert "parakris" in index and "fachkr\\u00e4ftemangel" in index
    lesson_page = (en / "notebooks" / "06-shitstorms-and-fake-news.html").read_text(encoding="utf-8")
    assert lesson_page.count("<details>") >= 5 and "application/vnd.jupyter.widget-view" not in lesson_page
    assert not list((tmp_path / "site").rglob("*-solutions*"))
    page, size = result.largest
    assert size <= 2_000_000, f"{page} weighs {size} bytes with its images"
    glossary = (en / "glossary.html").read_text(encoding="utf-8")
    assert glossary.count("notebooks/") >= len(lessons)
    meta = json.loads((tmp_path / "site" / ".teachkit-site").read_text(encoding="utf-8"))
    assert meta["languages"] == ["en", "de"]


def test_the_build_refuses_missing_outputs_broken_links_and_leaks(tmp_path: Path) -> None:
    course = _course_copy(tmp_path)
    lesson = course / "notebooks" / "01-digital-natives.ipynb"
    nb = nbformat.read(lesson, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    nb.cells.append(nbformat.v4.new_markdown_cell("See [the missing page](nowhere-at-all.ipynb)."))
    nbformat.write(nb, lesson)
    secret = secrets_of(course / "solutions" / "02-internal-communication-solutions.ipynb")[0].text
    exercise = course / "exercises" / "02-internal-communication-exercises.ipynb"
    ex = nbformat.read(exercise, as_version=4)
    ex.cells.append(nbformat.v4.new_markdown_cell(f"Hint:\n\n    {secret}\n"))
    nbformat.write(ex, exercise)
    with pytest.raises(SiteError) as failed:
        build_site(tmp_path / "site", root=course, options=SiteOptions(languages=("en",)))
    text = "\n".join(failed.value.problems)
    assert "01-digital-natives.ipynb: no stored outputs" in text
    assert "nowhere-at-all" in text
    assert "leak" in text and "02-internal-communication-exercises" in text


def test_the_build_will_not_overwrite_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "thesis.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(SiteError, match="not made by"):
        build_site(tmp_path / "site", root=ROOT)
    assert (tmp_path / "site" / "thesis.docx").exists()
