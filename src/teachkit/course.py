"""Course-wide settings: where the course lives, which language to show, and notebook defaults.

Every other module asks this one for the course root and the language, so there is exactly
one place that decides them.
"""

from __future__ import annotations

import os
from pathlib import Path

LANGUAGES = ("en", "de")
_ROOT_MARKERS = ("quizzes", "data")

_state: dict[str, object] = {"lang": None}

# Okabe & Ito (2008): distinguishable with the common forms of colour-blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


class CourseNotFoundError(RuntimeError):
    """Raised when no course folder (one with quizzes/ and data/) can be found."""


def course_root(start: Path | str | None = None) -> Path:
    """Return the course folder: $TEACHKIT_COURSE_ROOT, else the nearest parent with quizzes/ and data/.

    Notebooks run with their own folder as working directory, so walking up from there finds the
    course whether a notebook sits in notebooks/, exercises/ or solutions/.
    """
    env = os.environ.get("TEACHKIT_COURSE_ROOT")
    if env:
        root = Path(env).expanduser().resolve()
        if not _is_course(root):
            raise CourseNotFoundError(
                f"TEACHKIT_COURSE_ROOT is set to {root}, but that folder has no quizzes/ and data/. "
                "Point it at the course folder or unset it."
            )
        return root
    candidates = [Path(start or Path.cwd()).resolve()]
    candidates.append(Path(__file__).resolve().parent)  # an editable install sits inside the course
    for begin in candidates:
        for folder in (begin, *begin.parents):
            if _is_course(folder):
                return folder
    raise CourseNotFoundError(
        "Could not find the course folder (one that contains quizzes/ and data/). "
        "Open the notebook from inside the course folder, or set TEACHKIT_COURSE_ROOT."
    )


def _is_course(folder: Path) -> bool:
    return all((folder / name).is_dir() for name in _ROOT_MARKERS)


def language() -> str:
    """The language for everything a student reads: setup(lang=...), else $TEACHKIT_LANG, else 'en'."""
    chosen = _state["lang"] or os.environ.get("TEACHKIT_LANG", "en")
    chosen = str(chosen).strip().lower()[:2]
    return chosen if chosen in LANGUAGES else "en"


def set_language(lang: str | None) -> None:
    """Switch the language for quizzes shown from now on; None goes back to $TEACHKIT_LANG."""
    if lang is not None and str(lang).strip().lower()[:2] not in LANGUAGES:
        raise ValueError(f"Unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}.")
    _state["lang"] = None if lang is None else str(lang).strip().lower()[:2]


def setup(lang: str | None = None, seed: int = 2018) -> None:
    """Prepare a lesson notebook: language, pandas display, plot style and a fixed random seed.

    Call it once, in the setup cell. It prints nothing, so committed outputs stay stable.
    """
    if lang is not None:
        set_language(lang)
    import numpy as np
    import pandas as pd

    np.random.seed(seed)
    pd.set_option("display.max_rows", 30)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 100)
    pd.set_option("display.precision", 2)
    try:
        import matplotlib as mpl
    except ImportError:  # plotting is optional for the engine
        return
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "font.size": 10,
            "svg.hashsalt": "teachkit",
            "figure.constrained_layout.use": True,
        }
    )
    _save_figures_as_laid_out()


def _save_figures_as_laid_out() -> None:
    """Let Jupyter's inline backend save each figure as laid out, without bbox_inches="tight".

    A tight bounding box makes matplotlib draw every figure twice, once to measure it and once to
    save it. Constrained layout (set in setup()) already fits each chart and its source note into
    the canvas, so one draw is enough. Outside IPython there is nothing to configure.
    """
    try:
        from IPython import get_ipython
        from matplotlib_inline.config import InlineBackend
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    inline = InlineBackend.instance(parent=shell)
    inline.print_figure_kwargs = {**inline.print_figure_kwargs, "bbox_inches": None}
