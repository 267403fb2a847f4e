"""The widgets of lessons 08 and 09, driven headlessly the way a student's clicks drive them."""

from __future__ import annotations

from course_tools.diffusion import bass_time_to_share
from course_tools.diffusion_view import BassExplorer, bass_summary
from course_tools.skills import AREAS
from course_tools.skills_view import SelfAssessment

TARGET = {area: 3 for area in AREAS}
TEAM = {area: 2 for area in AREAS}


def test_self_assessment_button_writes_the_result_in_words():
    view = SelfAssessment(TEAM, TARGET)
    assert view.summary.value == ""  # nothing is shown before the click
    view.sliders["safety"].value = 1
    view.button.click()
    assert "Largest gap: safety (2 levels below the target)." in view.summary.value
    assert 'role="status"' in view.summary.value


def test_self_assessment_plain_text_is_short_and_stable():
    bundle = SelfAssessment(TEAM, TARGET)._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Self-assessment with 7 sliders")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_bass_summary_states_the_milestones():
    text = bass_summary(0.03, 0.38)
    assert "half after 6.6 years" in text
    assert "10 % → 90 %: 9.5 years" in text


def test_bass_explorer_updates_its_sentence_when_a_slider_moves():
    view = BassExplorer()
    assert "Move a slider" in view.summary.value
    view.q_slider.value = 0.6
    expected = f"half after {bass_time_to_share(0.5, 0.03, 0.6):.1f} years"
    assert expected in view.summary.value
    assert "Move a slider" not in view.summary.value
    assert view._repr_mimebundle_()["text/plain"].startswith("Bass explorer (p = 0.030, q = 0.60)")


def test_bass_explorer_speaks_german(monkeypatch):
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    view = BassExplorer()
    assert "die Hälfte" in view.summary.value
    assert view.p_slider.description == "p (Innovation)"
