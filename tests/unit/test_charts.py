"""Charts are laid out once by constrained layout, with the source note inside the canvas."""

from __future__ import annotations

import ast

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from teachkit import charts, course  # noqa: E402


@pytest.fixture
def figure():
    saved = dict(matplotlib.rcParams)
    course.setup()
    fig, ax = plt.subplots()
    ax.barh(["a label long enough to need room", "b"], [3, 5])
    ax.set(title="A title far too long to fit on one line of this chart, so it has to wrap", xlabel="x (units)")
    yield fig, ax
    plt.close(fig)
    matplotlib.rcParams.update(saved)


def test_setup_turns_on_constrained_layout(figure):
    fig, _ = figure
    assert fig.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"


def test_source_note_and_title_stay_inside_the_canvas_without_a_tight_bbox(figure):
    fig, ax = figure
    charts.add_source(ax, "Source: " + "a long source line " * 12)
    fig.canvas.draw()  # one draw, as the inline backend does without bbox_inches="tight"
    canvas = fig.bbox
    note = fig._teachkit_source_note.get_window_extent()
    title = ax._left_title.get_window_extent()
    axis = ax.get_tightbbox()
    assert canvas.x0 <= note.x0 and note.x1 <= canvas.x1 and canvas.y0 <= note.y0
    assert note.y1 <= axis.y0, "the note must sit under the axis labels, not on them"
    assert title.x1 <= canvas.x1 and title.y1 <= canvas.y1


def test_the_figure_grows_by_the_note_so_the_chart_keeps_its_size(figure):
    fig, ax = figure
    height = fig.get_figheight()
    charts.add_source(ax, "Source one.")
    one_line = fig.get_figheight() - height
    charts.add_source(ax, "Source two.")
    assert one_line > 0
    assert fig.get_figheight() - height > one_line  # two lines need a taller strip, counted once


def test_a_second_source_goes_under_the_first(figure):
    fig, ax = figure
    charts.add_source(ax, "Source one.")
    charts.add_source(ax, "Source two.")
    assert fig._teachkit_source_note.get_text() == "Source one.\nSource two."
    fig.canvas.draw()
    assert fig.bbox.y0 <= fig._teachkit_source_note.get_window_extent().y0


def test_without_constrained_layout_the_note_sits_below_the_figure_as_before():
    fig, ax = plt.subplots(layout="none")
    charts.add_source(ax, "Source.")
    assert fig._teachkit_source_note.get_position() == (0.01, -0.01)
    plt.close(fig)


_COUNT_RENDERS = """
from matplotlib.figure import Figure
renders = []
_draw = Figure.draw
def _counted(figure, renderer):
    if "draw_path" not in vars(renderer):  # a layout pass disables the renderer's draw_* methods
        renders.append(figure)
    return _draw(figure, renderer)
Figure.draw = _counted
"""


def _renders_per_figure(setup_imports: str) -> list[int]:
    """Run setup and three charts in a real kernel; how often each chart was rendered."""
    import nbformat
    from nbclient import NotebookClient

    chart = 'ax = pd.Series([1, 3, 2], index=[2019, 2020, 2021]).plot(title="t")\ncharts.add_source(ax, "Source: x")'
    cells = [
        f"{setup_imports}\nimport pandas as pd\nfrom teachkit import charts, setup\nsetup()",
        _COUNT_RENDERS,
        chart,
        chart,
        chart,
        "import collections\nprint(sorted(collections.Counter(map(id, renders)).values()))",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    images = [o for c in notebook.cells[2:5] for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3, "every chart cell shows its chart"
    return ast.literal_eval(notebook.cells[-1].outputs[0]["text"])


def test_in_jupyter_each_chart_is_rendered_once():
    assert _renders_per_figure("import matplotlib.pyplot as plt") == [1, 1, 1]


def test_each_chart_is_rendered_once_when_pandas_imports_pyplot_at_the_first_chart():
    # lessons 11 and 12 import matplotlib (through teachkit.charts) but not pyplot in their setup cell
    assert _renders_per_figure("import matplotlib") == [1, 1, 1]
