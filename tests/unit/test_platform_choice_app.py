"""Lesson 05's slider app, driven headlessly: a slider move re-ranks; nothing is printed."""

from __future__ import annotations

from course_tools import platform_choice as pc
from course_tools.platform_choice_app import PlatformChoiceApp, ranking_image


def test_moving_the_effort_slider_changes_first_place(capsys):
    app = PlatformChoiceApp(pc.example_ratings(), lang="en")
    assert "First place: Instagram" in app.summary.value
    assert app.table.value.index("Instagram") < app.table.value.index("Facebook")
    first_chart = bytes(app.chart.value)
    assert first_chart.startswith(b"\x89PNG")
    app.sliders["effort"].value = 4
    assert "First place: Facebook" in app.summary.value
    assert app.table.value.index("Facebook") < app.table.value.index("Instagram")
    assert bytes(app.chart.value) != first_chart
    assert capsys.readouterr().out == ""


def test_a_tie_is_said_in_words():
    app = PlatformChoiceApp(pc.example_ratings(), lang="en")
    app.set_weights({"effort": 3})
    assert "Facebook = Instagram (tie)" in app.summary.value


def test_all_sliders_at_zero_asks_for_a_weight_instead_of_failing():
    app = PlatformChoiceApp(pc.example_ratings(), lang="de")
    app.set_weights(dict.fromkeys(pc.CRITERIA, 0))
    assert "mindestens einen Regler" in app.summary.value


def test_the_saved_text_of_the_cell_is_short_and_stable():
    app = PlatformChoiceApp(pc.example_ratings(), lang="en")
    app.sliders["audience_fit"].value = 0
    text = app._repr_mimebundle_()["text/plain"]
    assert text.endswith("first place goes to Instagram.")  # the start, not the current state
    assert "IntSlider" not in text


def test_the_static_chart_and_the_apps_first_chart_are_the_same_picture():
    ratings = pc.example_ratings()
    ranked = pc.rank_platforms(ratings, pc.DEFAULT_WEIGHTS)
    still = ranking_image(ranked, lang="en")
    app = PlatformChoiceApp(ratings, lang="en")
    assert still.data == bytes(app.chart.value)
    assert still._repr_png_() is not None
