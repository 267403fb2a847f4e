"""Run notebooks the way the tests do, so committed outputs match what nbval will see."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute_in_place(path: Path | str, timeout: int = 600) -> float:
    """Execute a notebook top to bottom in its own folder and save it; returns the seconds taken.

    Saved answers are pointed at an empty temporary file first, so a student's (or an author's)
    own responses can never end up in a committed output.
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as scratch:
        saved = os.environ.get("TEACHKIT_RESPONSES")
        os.environ["TEACHKIT_RESPONSES"] = str(Path(scratch) / "responses.json")
        try:
            start = time.perf_counter()
            NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                record_timing=False,
                resources={"metadata": {"path": str(path.parent)}},
            ).execute()
            seconds = time.perf_counter() - start
        finally:
            if saved is None:
                os.environ.pop("TEACHKIT_RESPONSES", None)
            else:
                os.environ["TEACHKIT_RESPONSES"] = saved
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:  # timestamps left by earlier runs or by JupyterLab's "record timing"
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    return seconds
