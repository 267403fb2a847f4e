"""Property test: any value of any type, answered to any shipped item, gives a result and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teachkit.quiz.model import Result, score_answer
from teachkit.quiz.session import catalogue

ITEMS = [entry.item for entry in catalogue().values()]

leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text()
    | st.binary()
    | st.just(...)
    | st.complex_numbers()
    | st.decimals()
)
values = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=5) | st.integers(), children, max_size=4)
        | st.tuples(children, children)
        | st.frozensets(st.integers(), max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=st.sampled_from(ITEMS), value=values, lang=st.sampled_from(["en", "de"]))
def test_any_value_gives_a_result(item, value, lang):
    result = score_answer(item, value, lang)
    assert isinstance(result, Result)
    assert result.status in {"correct", "partly", "wrong", "invalid", "unanswered"}
    assert 0 <= result.score <= result.max_score
    assert result.verdict


@settings(max_examples=200, deadline=None)
@given(item=st.sampled_from(ITEMS), data=st.data())
def test_option_texts_and_indices_are_always_understood(item, data):
    options = getattr(item, "options", None)
    if not options:
        return
    index = data.draw(st.integers(0, len(options) - 1))
    by_index = score_answer(item, [index] if item.type == "multiple_choice" else index)
    text = options[index].text.de
    by_text = score_answer(item, [text] if item.type == "multiple_choice" else text)
    assert by_index.status == by_text.status and by_index.score == by_text.score
