"""Repository hygiene: the pre-commit hooks pass, and the README's lesson table is the derived one.

The test runs the real `pre-commit run --all-files` with the hooks of .pre-commit-config.yaml, so
what CI checks and what a commit checks are the same list by construction.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from teachkit.cli import build_parser
from teachkit.lessons import LESSONS_END, LESSONS_START, lesson_table

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".pre-commit-config.yaml"
REQUIRED_HOOKS = {"ruff-check", "ruff-format", "lesson-lint", "check-banks", "exercises-in-sync", "notebook-outputs"}


def hooks() -> dict[str, dict]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def cli_commands() -> set[str]:
    parser = build_parser()
    return {name for a in parser._actions if isinstance(a, argparse._SubParsersAction) for name in a.choices}


def test_precommit_config_has_every_required_hook_and_none_downloads_or_edits() -> None:
    found = hooks()
    assert set(found) >= REQUIRED_HOOKS, f"missing hooks: {REQUIRED_HOOKS - set(found)}"
    for hook_id, hook in found.items():
        assert hook["language"] == "system", f"{hook_id}: use the project's own tools, not a downloaded env"
    assert "--check" in found["ruff-format"]["entry"]  # tests run the hooks: they must never rewrite files
    assert "--check" in found["exercises-in-sync"]["entry"]


def test_every_teachkit_hook_names_a_real_command() -> None:
    commands = cli_commands() | {"build-exercises"}  # built on another branch; see the SKIP below
    for hook_id, hook in hooks().items():
        words = hook["entry"].split()
        if words[:3] == ["python", "-m", "teachkit"]:
            assert words[3] in commands, f"hook {hook_id} calls unknown command {words[3]!r}"


def test_precommit_hooks_pass_on_the_repository(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit needs one")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }
    if "build-exercises" not in cli_commands():
        env["SKIP"] = "exercises-in-sync"  # until the exercise builder is part of this branch
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--config", str(CONFIG)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Failed" not in run.stdout


def test_readme_lesson_table_is_the_one_derived_from_the_notebooks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if LESSONS_START not in readme:
        pytest.skip(f"README.md has no {LESSONS_START} … {LESSONS_END} markers yet")
    current = readme.split(LESSONS_START, 1)[1].split(LESSONS_END, 1)[0].strip()
    assert current == lesson_table(ROOT), (
        "the README's lesson table is stale: run `python -m teachkit lesson-table --write`"
    )


def test_german_readme_lesson_table_lists_the_built_german_lessons() -> None:
    readme = (ROOT / "README.de.md").read_text(encoding="utf-8")
    current = readme.split(LESSONS_START, 1)[1].split(LESSONS_END, 1)[0].strip()
    assert current == lesson_table(ROOT, "de"), (
        "README.de.md's lesson table is stale: run `python -m teachkit lesson-table --lang de --write`"
    )


def test_both_readmes_start_with_a_language_switch() -> None:
    english = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0]
    german = (ROOT / "README.de.md").read_text(encoding="utf-8").splitlines()[0]
    assert "[Deutsch](README.de.md)" in english and "[English](README.md)" in german
