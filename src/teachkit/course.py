"""Course-wide settings: where the course lives, which language to show, and notebook defaults.

Every other module asks this one for the course root and the language, so there is exactly
one place that decides them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LANGUAGES = ("en", "de")
EDITION_FOLDERS = ("notebooks", "solutions", "exercises")
"""A notebook in `<one of these>/<lang>/` belongs to that language's edition (e.g. notebooks/de/)."""
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


def edition_language(folder: Path | str | None = None) -> str | None:
    """The language of the edition a notebook folder belongs to: 'de' for notebooks/de/, else None.

    Notebooks run with their own folder as working directory, so a German notebook speaks German
    wherever it is opened, without an environment variable and with its code copied unchanged.
    """
    try:
        where = Path(folder) if folder is not None else Path.cwd()
    except OSError:  # the working directory was deleted
        return None
    if where.name in LANGUAGES and where.parent.name in EDITION_FOLDERS:
        return where.name
    return None


def language() -> str:
    """The language for everything a student reads: setup(lang=...), else the edition the notebook
    belongs to (notebooks/de/ → 'de'), else $TEACHKIT_LANG, else 'en'."""
    chosen = _state["lang"] or edition_language() or os.environ.get("TEACHKIT_LANG", "en")
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
    from .strings import decimal_text

    # German tables show decimal commas; English ones keep pandas' own format.
    pd.set_option("display.float_format", decimal_text if language() != "en" else None)
    pd.set_option("display.max_rows", 30)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 100)
    pd.set_option("display.precision", 2)
    if "matplotlib" in sys.modules:  # the setup cell imported it: this lesson draws charts
        style_charts()


def style_charts() -> None:
    """The course's chart look, and figures drawn once in Jupyter.

    setup() calls this when the setup cell has imported matplotlib; a notebook that imports it
    later calls it itself. Lessons without charts never pay for importing matplotlib.
    """
    import matplotlib as mpl

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
    _draw_figures_once()


def _draw_figures_once() -> None:
    """Let Jupyter's inline backend render each figure once, when it saves it for the notebook.

    Two things render a figure more than once by default: a tight bounding box (drawn once to
    measure, once to save), and pyplot's hook that redraws every changed figure after each cell,
    just before the inline backend draws it again to save it. Constrained layout (set in
    style_charts()) already fits each chart and its source note into the canvas, so the figure is
    saved as laid out, and the redraw hook is disconnected (again if pyplot is imported later,
    e.g. by pandas' first plot). Outside IPython there is nothing to configure.
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

    def disconnect_redraw_hook(*_: object) -> None:
        if "matplotlib.pyplot" not in sys.modules:
            return  # pandas imports pyplot at its first plot; try again after that cell
        import matplotlib.pyplot as plt

        if plt.get_backend().startswith("module://matplotlib_inline"):
            plt.uninstall_repl_displayhook()
        shell.events.unregister("post_run_cell", disconnect_redraw_hook)

    for registered in list(shell.events.callbacks["post_run_cell"]):  # setup() run twice: one hook
        if getattr(registered, "__name__", "") == disconnect_redraw_hook.__name__:
            shell.events.unregister("post_run_cell", registered)
    shell.events.register("post_run_cell", disconnect_redraw_hook)
