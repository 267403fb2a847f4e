"""Shared test set-up: saved answers never touch the real course folder, and never change outputs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    # Notebook kernels inherit this environment: every nbval run starts from an empty answer log,
    # so a student's or an author's saved answers can never alter a committed output.
    scratch = Path(tempfile.mkdtemp(prefix="teachkit-test-"))
    os.environ["TEACHKIT_RESPONSES"] = str(scratch / "responses.json")
    os.environ.pop("TEACHKIT_LANG", None)


@pytest.fixture
def responses_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty responses file for one test."""
    path = tmp_path / "responses.json"
    monkeypatch.setenv("TEACHKIT_RESPONSES", str(path))
    return path
