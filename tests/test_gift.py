"""GIFT export: every shipped item survives a round trip through a Moodle-faithful reader."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from gift_parser import (
    Question,
    multichoice_score,
    numerical_match,
    parse_gift,
    shortanswer_match,
)

from teachkit.cli import main
from teachkit.gift import GiftError, escape, export_gift
from teachkit.quiz.bank import read_banks
from teachkit.quiz.model import (
    Bank,
    Matching,
    MultipleChoice,
    Numeric,
    ShortText,
    SingleChoice,
    TrueFalse,
    normalise_text,
    score_answer,
)

LANGS = ("en", "de")
NASTY = "a~b=c#d{e}f:g\\h -> i %j% \\n k\nnew line"


def shown(text: str) -> str:
    """What Moodle should display for a bank text: '->' is the one thing GIFT cannot escape."""
    return text.replace("->", "→").strip()


def shipped_banks() -> list[Bank]:
    return list(read_banks().values())


def by_name(gift: str) -> dict[str, Question]:
    questions = parse_gift(gift)
    names = [q.name for q in questions]
    assert len(names) == len(set(names)), "question names must be unique"
    return {q.name: q for q in questions}


def expected_question(item, lang: str) -> str:
    text = item.question.get(lang)
    if isinstance(item, Numeric):
        extra = [item.unit.get(lang)] if item.unit else []
        if item.percent:
            extra.append({"en": "in %, type the number only", "de": "in %, nur die Zahl eingeben"}[lang])
        if extra:
            text += f" ({'; '.join(extra)})"
    return shown(text)


def expected_general_feedback(item, lang: str) -> str:
    text = item.explanation.get(lang)
    if isinstance(item, Matching):
        notes = [f"- {p.left.get(lang)}: {p.feedback.get(lang)}" for p in item.pairs]
        text += "\n\n" + "\n".join(notes)
    return shown(text)


def assert_same(item, bank: Bank, question: Question, lang: str) -> None:
    """Compare one item of a bank with what Moodle would import for it."""
    where = f"{item.id} ({lang})"
    assert question.category == f"$course$/top/{bank.lesson}", where
    assert question.text_format == "markdown", where
    assert question.text == expected_question(item, lang), where
    assert question.general_feedback == expected_general_feedback(item, lang), where
    if isinstance(item, SingleChoice):
        assert (question.qtype, question.single) == ("multichoice", True), where
        assert [a.text for a in question.answers] == [shown(o.text.get(lang)) for o in item.options]
        assert [a.fraction for a in question.answers] == [1.0 if o.correct else 0.0 for o in item.options], where
        assert [a.feedback for a in question.answers] == [
            shown(o.feedback.get(lang)) if o.feedback else "" for o in item.options
        ], where
    elif isinstance(item, MultipleChoice):
        k = sum(o.correct for o in item.options)
        assert (question.qtype, question.single) == ("multichoice", False), where
        assert [a.text for a in question.answers] == [shown(o.text.get(lang)) for o in item.options]
        for option, answer in zip(item.options, question.answers, strict=True):
            assert answer.fraction == pytest.approx((1 if option.correct else -1) / k, abs=1e-6)
            assert answer.feedback == (shown(option.feedback.get(lang)) if option.feedback else "")
        positive = sum(a.fraction for a in question.answers if a.fraction > 0)
        assert positive == pytest.approx(1.0, abs=1e-6), f"{where}: weights must sum to 100 %"
    elif isinstance(item, TrueFalse):
        assert question.qtype == "truefalse", where
        assert question.correct_answer is item.answer, where
        wrong = question.feedback_false if item.answer else question.feedback_true
        assert wrong == shown(item.feedback.get(lang)), where
    elif isinstance(item, Numeric):
        assert question.qtype == "numerical", where
        first = question.answers[0]
        assert first.fraction == 1.0, where
        if item.range is not None:
            low, high = item.range
            assert float(first.text) == pytest.approx((low + high) / 2)
            assert first.tolerance == pytest.approx((high - low) / 2)
        else:
            assert float(first.text) == pytest.approx(item.value)
            assert first.tolerance == pytest.approx(max(item.tolerance, abs(item.value) * item.relative_tolerance))
        traps = question.answers[1 : 1 + len(item.traps)]
        assert [(float(a.text), a.tolerance, a.fraction, a.feedback) for a in traps] == [
            (pytest.approx(t.value), pytest.approx(t.tolerance), 0.0, shown(t.feedback.get(lang))) for t in item.traps
        ], where
        other = question.answers[-1]
        assert (other.text, other.fraction, other.feedback) == ("*", 0.0, shown(item.feedback.get(lang)))
    elif isinstance(item, ShortText):
        assert question.qtype == "shortanswer", where
        # Moodle reads '*' as a wildcard, so a literal asterisk is written '\\*'.
        right = [a.text.replace("\\*", "*") for a in question.answers if a.fraction == 1.0]
        assert [a for a in item.accepted if a in right] == list(item.accepted), where
        assert all(normalise_text(a) in {r.casefold() for r in right} for a in item.accepted)
        wrong = [
            (a.text.replace("\\*", "*") if a.text != "*" else a.text, a.feedback)
            for a in question.answers
            if a.fraction == 0.0
        ]
        assert wrong == [(t.answer, shown(t.feedback.get(lang))) for t in item.traps] + [
            ("*", shown(item.feedback.get(lang)))
        ], where
    elif isinstance(item, Matching):
        assert question.qtype == "match", where
        pairs = [(shown(p.left.get(lang)), shown(p.right.get(lang))) for p in item.pairs]
        extra = [("", shown(d.get(lang))) for d in item.distractors]
        assert question.subquestions == pairs + extra, where
    else:  # a new item type must get a GIFT form and a comparison here
        pytest.fail(f"{where}: no comparison written for type {item.type}")


@pytest.mark.parametrize("lang", LANGS)
def test_every_shipped_item_round_trips(lang: str) -> None:
    banks = shipped_banks()
    questions = by_name(export_gift(banks, lang))
    items = [(bank, item) for bank in banks for item in bank.items]
    assert len(items) >= 2
    assert sorted(questions) == sorted(item.id for _, item in items)
    for bank, item in items:
        assert_same(item, bank, questions[item.id], lang)


def _inputs(item) -> list:
    """Answers worth trying on both sides: the right one, every trap, and something else."""
    if isinstance(item, Numeric):
        centre = item.value if item.range is None else sum(item.range) / 2
        values = [centre] + [t.value for t in item.traps] + [centre * 3 + 1234.5]
        return values + ([centre / 100] if item.percent else [])
    if isinstance(item, ShortText):
        return (
            list(item.accepted)
            + [normalise_text(a) for a in item.accepted]
            + [t.answer for t in item.traps]
            + ["zzz qqq"]
        )
    return []


@pytest.mark.parametrize("lang", LANGS)
def test_moodle_would_grade_every_shipped_item_as_the_course_does(lang: str) -> None:
    banks = shipped_banks()
    questions = by_name(export_gift(banks, lang))
    for item in (item for bank in banks for item in bank.items):
        question = questions[item.id]
        if isinstance(item, (SingleChoice, MultipleChoice)):
            sizes = [1] if isinstance(item, SingleChoice) else range(1, len(item.options) + 1)
            for size in sizes:
                for chosen in itertools.combinations(range(len(item.options)), size):
                    ours = score_answer(
                        item, list(chosen) if size > 1 or isinstance(item, MultipleChoice) else chosen[0], lang
                    )
                    assert multichoice_score(question, set(chosen)) == pytest.approx(
                        ours.score / ours.max_score, abs=1e-4
                    ), (item.id, chosen)
        elif isinstance(item, Numeric):
            for value in _inputs(item):
                ours = score_answer(item, value, lang)
                theirs = numerical_match(question, value)
                assert theirs is not None, (item.id, value)
                assert theirs.fraction == ours.score / ours.max_score, (item.id, value)
                if ours.feedback:
                    assert theirs.feedback == shown(ours.feedback[0]), (item.id, value)
        elif isinstance(item, ShortText):
            for text in _inputs(item):
                ours = score_answer(item, text, lang)
                theirs = shortanswer_match(question, text)
                assert theirs is not None, (item.id, text)
                assert theirs.fraction == ours.score / ours.max_score, (item.id, text)
                if ours.feedback:
                    assert theirs.feedback == shown(ours.feedback[0]), (item.id, text)


def _nasty_bank() -> Bank:
    def t(label: str) -> dict:
        return {"en": f"{label} {NASTY}", "de": f"{label} DE {NASTY}"}

    return Bank.model_validate(
        {
            "lesson": "99-nasty",
            "title": t("title"),
            "misconceptions": {"m-one": t("m1"), "m-two": t("m2")},
            "items": [
                {
                    "id": "sc",
                    "type": "single_choice",
                    "level": "apply",
                    "question": t("q"),
                    "explanation": t("x"),
                    "see": "99-nasty#A",
                    "options": [
                        {"text": t("right"), "correct": True, "feedback": t("yes")},
                        {"text": t("wrong"), "feedback": t("no"), "misconception": "m-one"},
                    ],
                },
                {
                    "id": "mc",
                    "type": "multiple_choice",
                    "level": "apply",
                    "question": t("q"),
                    "explanation": t("x"),
                    "see": "99-nasty#A",
                    "options": [
                        {"text": t("r1"), "correct": True},
                        {"text": t("r2"), "correct": True},
                        {"text": t("r3"), "correct": True},
                        {"text": t("w1"), "feedback": t("no"), "misconception": "m-two"},
                    ],
                },
                {
                    "id": "tf",
                    "type": "true_false",
                    "level": "apply",
                    "question": t("q"),
                    "explanation": t("x"),
                    "see": "99-nasty#A",
                    "answer": True,
                    "feedback": t("no"),
                    "misconception": "m-one",
                },
                {
                    "id": "num",
                    "type": "numeric",
                    "level": "apply",
                    "question": t("q"),
                    "explanation": t("x"),
                    "see": "99-nasty#A",
                    "value": -12.5,
                    "relative_tolerance": 0.1,
                    "tolerance": 0.5,
                    "percent": True,
                    "unit": t("unit"),
                    "traps": [{"value": -125, "tolerance": 1, "feedback": t("trap"), "misconception": "m-two"}],
                    "feedback": t("other"),
                    "misconception": "m-one",
                },
                {
                    "id": "rng",
                    "type": "numeric",
                    "level": "apply",
                    "question": t("q"),
                    "explanation": t("x"),
                    "see": "99-nasty#A",
                    "range": [-3, 0.25],
                    "feedback": t("other"),
                    "misconception": "m-one",
                },
                {
                    "id": "st",
                    "type": "short_text",
                    "level": "apply",
                    "question": t("q"),
                    "explanation": t("x"),
                    "see": "99-nasty#A",
                    "accepted": ["Fachkräfte*mangel: {x}", "Straße"],
                    "fuzzy": 0.9,
                    "points": 2,
                    "traps": [{"answer": "a=b", "feedback": t("trap"), "misconception": "m-two"}],
                    "feedback": t("other"),
                    "misconception": "m-one",
                },
                {
                    "id": "match",
                    "type": "matching",
                    "level": "apply",
                    "question": t("q"),
                    "explanation": t("x"),
                    "see": "99-nasty#A",
                    "distractors": [t("distractor")],
                    "pairs": [
                        {"left": t("l1"), "right": t("r1"), "feedback": t("f1"), "misconception": "m-one"},
                        {"left": t("l2"), "right": t("r2"), "feedback": t("f2"), "misconception": "m-two"},
                    ],
                },
            ],
        }
    )


@pytest.mark.parametrize("lang", LANGS)
def test_special_characters_in_every_field_survive(lang: str) -> None:
    bank = _nasty_bank()
    gift = export_gift([bank], lang)
    questions = by_name(gift)
    assert sorted(questions) == sorted(item.id for item in bank.items)
    for item in bank.items:
        assert_same(item, bank, questions[item.id], lang)
    assert "// note: worth 2 points here" in gift
    assert "near misses" in gift
    literal = shortanswer_match(questions["st"], "Fachkräfte*mangel: {x}")
    assert literal is not None and literal.fraction == 1.0
    assert shortanswer_match(questions["st"], "Fachkräfte-XYZ-mangel: {x}").fraction == 0.0


def test_escape_doubles_backslashes_before_escaping() -> None:
    assert escape("a\\:b") == "a\\\\\\:b"
    assert escape("x -> y") == "x → y"
    assert escape("line\nbreak") == "line\\nbreak"


def test_more_correct_options_than_moodle_can_weigh_is_refused() -> None:
    options = [{"text": {"en": f"o{i}", "de": f"o{i}"}, "correct": True} for i in range(11)]
    options.append({"text": {"en": "w", "de": "w"}, "feedback": {"en": "f", "de": "f"}, "misconception": "m"})
    bank = Bank.model_validate(
        {
            "lesson": "98-big",
            "title": {"en": "t", "de": "t"},
            "misconceptions": {"m": {"en": "m", "de": "m"}},
            "items": [
                {
                    "id": "big",
                    "type": "multiple_choice",
                    "level": "apply",
                    "question": {"en": "q", "de": "q"},
                    "explanation": {"en": "x", "de": "x"},
                    "see": "98-big#A",
                    "options": options,
                }
            ],
        }
    )
    with pytest.raises(GiftError, match="'big': 11 correct options"):
        export_gift([bank])


@pytest.mark.parametrize("lang", LANGS)
def test_cli_writes_a_gift_file(tmp_path: Path, lang: str, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / f"quizzes-{lang}.gift.txt"
    assert main(["export-gift", "--lang", lang, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert len(parse_gift(text)) == sum(len(b.items) for b in shipped_banks())
    assert str(out) in capsys.readouterr().out
