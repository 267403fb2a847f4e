"""Course root discovery, language choice and setup()."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachkit import course

ROOT = Path(__file__).resolve().parents[2]


def test_root_is_found_from_any_course_subfolder(monkeypatch):
    monkeypatch.delenv("TEACHKIT_COURSE_ROOT", raising=False)
    for folder in ("notebooks", "quizzes", "data"):
        assert course.course_root(ROOT / folder) == ROOT


def test_bad_course_root_variable_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(tmp_path))
    with pytest.raises(course.CourseNotFoundError, match="no quizzes/ and data/"):
        course.course_root()


@pytest.mark.parametrize("env, expected", [("de", "de"), ("DE", "de"), ("de_DE.UTF-8", "de"), ("fr", "en"), ("", "en")])
def test_language_from_environment(monkeypatch, env, expected):
    course.set_language(None)
    monkeypatch.setenv("TEACHKIT_LANG", env)
    assert course.language() == expected


def test_setup_language_overrides_environment_and_rejects_unknown(monkeypatch, capsys):
    monkeypatch.setenv("TEACHKIT_LANG", "en")
    try:
        course.setup(lang="de")
        assert course.language() == "de"
        with pytest.raises(ValueError, match="choose one of en, de"):
            course.setup(lang="fr")
    finally:
        course.set_language(None)
    assert capsys.readouterr() == ("", "")  # setup prints nothing: committed outputs stay stable
