"""Scoring of every item type, including the inputs students really type."""

from __future__ import annotations

import pytest

from teachkit.quiz.model import (
    InvalidAnswer,
    Matching,
    MultipleChoice,
    Numeric,
    ShortText,
    SingleChoice,
    TrueFalse,
    normalise_text,
    parse_number,
    score_answer,
)


def t(en: str, de: str | None = None) -> dict:
    return {"en": en, "de": de or f"{en} (de)"}


BASE = {"question": t("Q?"), "explanation": t("Because."), "see": "01-digital-natives#Data"}


def single() -> SingleChoice:
    return SingleChoice.model_validate(
        {
            **BASE,
            "id": "s",
            "type": "single_choice",
            "level": "apply",
            "options": [
                {"text": t("Right", "Richtig"), "correct": True},
                {"text": t("Wrong A"), "feedback": t("A is wrong"), "misconception": "m-a"},
                {"text": t("Wrong B"), "feedback": t("B is wrong"), "misconception": "m-b"},
            ],
        }
    )


def multiple() -> MultipleChoice:
    return MultipleChoice.model_validate(
        {
            **BASE,
            "id": "m",
            "type": "multiple_choice",
            "level": "apply",
            "points": 3,
            "options": [
                {"text": t("A"), "correct": True},
                {"text": t("B"), "correct": True},
                {"text": t("C"), "correct": True},
                {"text": t("D"), "feedback": t("D is wrong"), "misconception": "m-d"},
            ],
        }
    )


def numeric(**extra) -> Numeric:
    spec = {
        **BASE,
        "id": "n",
        "type": "numeric",
        "level": "apply",
        "value": 50,
        "tolerance": 0.5,
        "feedback": t("No"),
        "misconception": "m-n",
        **extra,
    }
    return Numeric.model_validate(spec)


def test_single_choice_by_index_and_by_text_in_either_language():
    item = single()
    assert score_answer(item, 0).status == "correct"
    assert score_answer(item, "right").status == "correct"
    assert score_answer(item, " Richtig ", "de").status == "correct"
    result = score_answer(item, 2)
    assert result.status == "wrong" and result.score == 0
    assert result.feedback == ("B is wrong",) and result.misconceptions == ("m-b",)


def test_single_choice_rejects_unknown_and_odd_values_without_raising():
    item = single()
    assert score_answer(item, 7).status == "invalid"
    assert score_answer(item, "Maybe").status == "invalid"
    assert score_answer(item, True).status == "invalid"
    assert score_answer(item, 1.0).status == "invalid"


def test_multiple_choice_partial_credit_rule():
    item = multiple()
    assert score_answer(item, [0, 1, 2]).score == 3
    assert score_answer(item, [0, 1]).status == "partly"
    assert score_answer(item, [0, 1]).score == pytest.approx(2)
    # one right and one wrong cancel out; never below zero
    assert score_answer(item, [0, 3]).score == 0
    assert score_answer(item, [3]).score == 0
    assert score_answer(item, [3]).misconceptions == ("m-d",)
    # order and duplicates do not matter
    assert score_answer(item, (2, 1, 0, 0)).status == "correct"
    assert "left out" in " ".join(score_answer(item, [0]).feedback)


def test_true_false_accepts_words_in_both_languages():
    item = TrueFalse.model_validate(
        {
            **BASE,
            "id": "tf",
            "type": "true_false",
            "level": "apply",
            "answer": False,
            "feedback": t("It is false"),
            "misconception": "m-tf",
        }
    )
    for value in (False, "false", "Falsch", "nein", 0):
        assert score_answer(item, value).status == "correct", value
    wrong = score_answer(item, "wahr")
    assert wrong.status == "wrong" and wrong.misconceptions == ("m-tf",)
    assert score_answer(item, "perhaps").status == "invalid"
    assert score_answer(item, 2).status == "invalid"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("0,5", 0.5),
        ("0.5", 0.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        (" 12 ", 12.0),
        ("−3", -3.0),
        ("1e3", 1000.0),
        ("1.000.000", 1e6),
        (7, 7.0),
        (2.5, 2.5),
    ],
)
def test_parse_number_reads_what_students_type(typed, expected):
    assert parse_number(typed, percent=False) == expected


@pytest.mark.parametrize("typed", ["abc", "", "1,2,3.4.5", "nan", "inf", None, True, [1], "5 €"])
def test_parse_number_rejects_non_numbers(typed):
    with pytest.raises(InvalidAnswer):
        parse_number(typed, percent=False)


def test_numeric_tolerance_decimal_comma_and_percent_sign():
    plain = numeric()
    assert score_answer(plain, "50,4").status == "correct"
    assert score_answer(plain, "50,6").status == "wrong"
    percent_sign = score_answer(plain, "50 %")
    assert percent_sign.status == "invalid" and "without %" in percent_sign.feedback[0]
    percent = numeric(percent=True)
    assert score_answer(percent, "50 %").status == "correct"
    assert score_answer(percent, "50").status == "correct"


def test_numeric_percent_item_recognises_a_share():
    result = score_answer(numeric(percent=True), "0,5")
    assert result.status == "wrong"
    assert result.misconceptions == ("share-not-percent",)
    assert "share" in result.feedback[0]


def test_numeric_relative_tolerance_range_and_traps():
    relative = numeric(value=200, tolerance=0, relative_tolerance=0.05)
    assert score_answer(relative, 209).status == "correct"
    assert score_answer(relative, 211).status == "wrong"
    ranged = numeric(value=None, tolerance=0, range=(8, 12))
    assert [score_answer(ranged, v).status for v in (8, 12, 12.01)] == ["correct", "correct", "wrong"]
    trapped = numeric(traps=[{"value": 0.5, "tolerance": 0.01, "feedback": t("Share!"), "misconception": "m-share"}])
    assert score_answer(trapped, "0,505").misconceptions == ("m-share",)


def test_short_text_normalises_case_space_umlauts_and_sz():
    item = ShortText.model_validate(
        {
            **BASE,
            "id": "st",
            "type": "short_text",
            "level": "apply",
            "accepted": ["Fachkräftemangel", "skills shortage"],
            "feedback": t("No"),
            "misconception": "m-st",
            "traps": [{"answer": "Mangel", "feedback": t("Too short"), "misconception": "m-short"}],
        }
    )
    for typed in ("fachkraeftemangel", "  FACHKRÄFTEMANGEL ", "Skills-Shortage", "skills shortage."):
        assert score_answer(item, typed).status == "correct", typed
    assert score_answer(item, "mangel").misconceptions == ("m-short",)
    assert score_answer(item, "shortage of skills").status == "wrong"
    assert normalise_text("Straße") == normalise_text("STRASSE")


def test_short_text_fuzzy_threshold():
    spec = {
        **BASE,
        "id": "st",
        "type": "short_text",
        "level": "apply",
        "accepted": ["breadth of use"],
        "feedback": t("No"),
        "misconception": "m-st",
    }
    strict = ShortText.model_validate(spec)
    fuzzy = ShortText.model_validate({**spec, "fuzzy": 0.85})
    assert score_answer(strict, "bredth of use").status == "wrong"
    assert score_answer(fuzzy, "bredth of use").status == "correct"
    assert score_answer(fuzzy, "depth of news").status == "wrong"


def test_matching_by_text_index_and_dict_with_partial_credit():
    item = Matching.model_validate(
        {
            **BASE,
            "id": "mt",
            "type": "matching",
            "level": "apply",
            "points": 2,
            "pairs": [
                {"left": t("Cat"), "right": t("Meow"), "feedback": t("Cats meow"), "misconception": "m-cat"},
                {"left": t("Dog"), "right": t("Woof"), "feedback": t("Dogs woof"), "misconception": "m-dog"},
            ],
            "distractors": [t("Moo")],
        }
    )
    rights = [r.en for r in item.right_options]
    assert rights == sorted(rights, key=str.casefold)
    assert score_answer(item, ["Meow", "Woof"]).status == "correct"
    assert score_answer(item, {"Dog": "Woof", "Cat": "Meow"}).score == 2
    half = score_answer(item, ["Meow", "Moo"])
    assert half.status == "partly" and half.score == 1 and half.misconceptions == ("m-dog",)
    assert any("not matched" in f for f in score_answer(item, ["Meow", None]).feedback)
    assert score_answer(item, ["Meow"]).status == "invalid"


@pytest.mark.parametrize("empty", [None, "", "   ", [], {}, ...])
def test_empty_input_is_unanswered_not_wrong(empty):
    for item in (single(), multiple(), numeric()):
        result = score_answer(item, empty)
        assert result.status == "unanswered" and not result.counts and result.score == 0
        assert result.text() == "Nothing chosen yet."  # said once, not as verdict and again as detail


def test_result_text_in_german():
    result = score_answer(single(), 1, "de")
    assert result.verdict.startswith("✘ Noch nicht")
    assert "Warum: Because. (de)" in result.text()
