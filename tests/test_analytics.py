"""Item analysis: Moodle's formulas against a class worked by hand, and the report against a
synthetic class whose truth is known."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from teachkit.analytics import (
    analyse,
    analyse_files,
    item_statistics,
    quiz_statistics,
    read_submissions,
)
from teachkit.analytics_report import summary_markdown, write_report
from teachkit.cli import main
from teachkit.quiz.model import Bank, score_answer
from teachkit.quiz.session import Entry, record_for
from teachkit.responses import EXPORT_FORMAT, FORMAT
from teachkit.synthetic_class import simulate_class

# ----------------------------------------------------------------- the class worked by hand
#
# Five students, three one-point items (1 = right, 0 = wrong):
#
#   student  q1 q2 q3  total
#   A         1  1  1    3
#   B         1  1  0    2
#   C         1  0  1    2
#   D         0  1  0    1
#   E         0  0  0    0
#
# q1: marks 1,1,1,0,0 (mean .6, sample variance 1.2/4 = .3); rest = total − q1 = 2,1,1,1,0
#     (mean 1, variance 2/4 = .5); cov = (.4·1 + .4·0 + .4·0 − .6·0 − .6·−1)/4 = .25.
#     Discrimination = 100·.25/√(.3·.5) = 64.55 %. Sorted pairs (0,0)(0,1)(1,1)(1,1)(1,2) give
#     cov_max = (.6 + 0 + 0 + 0 + .4)/4 = .25, so efficiency = 100 %. SD = √.3 = 54.77 %.
# q2: marks 1,1,0,1,0; rest 2,1,2,0,0 (mean 1, variance 1); cov = (.4 + 0 − .6 − .4 + .6)/4 = 0,
#     so discrimination 0 % and efficiency 0 % (cov_max = 2/4 = .5).
# q3: marks 1,0,1,0,0 (mean .4, variance .3); rest 2,2,1,1,0 (mean 1.2, variance 2.8/4 = .7);
#     cov = (.48 − .32 − .12 + .08 + .48)/4 = .15, discrimination = 15/√.21 = 32.73 %;
#     cov_max = (.48 + .08 + .08 + .48 + .48)/4 = .4, efficiency = 37.5 %.
# Quiz: totals 3,2,2,1,0 out of 3: mean 1.6 (53.33 %), median 2 (66.67 %), variance 5.2/4 = 1.3,
#     SD = 1.1402 (38.01 %). Alpha = 3/2·(1 − .9/1.3) = 6/13 = .462; error ratio = 100·√(7/13)
#     = 73.38 %; standard error = √(7/13)·√1.3 = √.7 = .8367 marks = 27.89 %.

MATRIX = {"A": (1, 1, 1), "B": (1, 1, 0), "C": (1, 0, 1), "D": (0, 1, 0), "E": (0, 0, 0)}
HAND_ITEMS = {
    "q1": {"facility": 60.0, "sd": 54.77, "discrimination_index": 64.55, "discriminative_efficiency": 100.0},
    "q2": {"facility": 60.0, "sd": 54.77, "discrimination_index": 0.0, "discriminative_efficiency": 0.0},
    "q3": {"facility": 40.0, "sd": 54.77, "discrimination_index": 32.73, "discriminative_efficiency": 37.5},
}
HAND_QUIZ = {
    "mean": 53.33,
    "median": 66.67,
    "sd": 38.01,
    "cronbach_alpha": 0.462,
    "error_ratio": 73.38,
    "standard_error": 27.89,
}


def _text(label: str) -> dict[str, str]:
    return {"en": label, "de": f"{label} (de)"}


def hand_bank() -> Bank:
    return Bank.model_validate(
        {
            "lesson": "01-hand",
            "title": _text("Worked by hand"),
            "misconceptions": {slug: _text(f"holds {slug}") for slug in ("m-a", "m-b", "m-c", "m-d", "m-e")},
            "items": [
                {
                    "id": "q1",
                    "type": "single_choice",
                    "level": "apply",
                    "question": _text("Q1"),
                    "explanation": _text("X1"),
                    "see": "01-hand#One",
                    "options": [
                        {"text": _text("right"), "correct": True},
                        {"text": _text("wrong a"), "feedback": _text("no a"), "misconception": "m-a"},
                        {"text": _text("wrong b"), "feedback": _text("no b"), "misconception": "m-b"},
                    ],
                },
                {
                    "id": "q2",
                    "type": "true_false",
                    "level": "apply",
                    "question": _text("Q2"),
                    "explanation": _text("X2"),
                    "see": "01-hand#Two",
                    "answer": True,
                    "feedback": _text("no c"),
                    "misconception": "m-c",
                },
                {
                    "id": "q3",
                    "type": "numeric",
                    "level": "apply",
                    "question": _text("Q3"),
                    "explanation": _text("X3"),
                    "see": "01-hand#Three",
                    "value": 10,
                    "feedback": _text("no e"),
                    "misconception": "m-e",
                    "traps": [{"value": 100, "feedback": _text("no d"), "misconception": "m-d"}],
                },
            ],
        }
    )


# What each student typed: right answers, or the wrong ones whose misconceptions are counted.
TYPED = {
    "A": (0, True, 10),
    "B": (0, True, 100),
    "C": (0, False, 10),
    "D": (1, True, 55),
    "E": (2, False, 100),
}


def records(bank: Bank, answers: dict[str, object], attempt: int = 1) -> list[dict]:
    items = {item.id: item for item in bank.items}
    out = []
    for number, (item_id, value) in enumerate(answers.items()):
        record = record_for(Entry(bank, items[item_id]), score_answer(items[item_id], value))
        record.update(attempt=attempt, time=f"2025-10-06T09:{number:02d}:00+00:00")
        out.append(record)
    return out


def write_export(path: Path, student: str, recs: list[dict], exported: str = "2025-10-06T10:00:00+00:00") -> Path:
    path.write_text(
        json.dumps({"format": EXPORT_FORMAT, "version": 1, "student": student, "exported": exported, "records": recs}),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def hand_class(tmp_path: Path) -> tuple[Bank, Path]:
    """The worked class as export files, plus a partial student and files that must be skipped."""
    bank = hand_bank()
    folder = tmp_path / "handed-in"
    folder.mkdir()
    for name, typed in TYPED.items():
        write_export(
            folder / f"{name}.json",
            f"student-{name.lower()}",
            records(bank, dict(zip(("q1", "q2", "q3"), typed, strict=True))),
        )
    write_export(folder / "F.json", "student-f", records(bank, {"q1": 0}))  # stopped early
    (folder / "G.json").write_bytes((folder / "A.json").read_bytes())  # handed in twice
    write_export(
        folder / "H-old.json", "student-b", records(bank, {"q1": 2}), exported="2025-10-01T10:00:00+00:00"
    )  # an older export of B
    (folder / "I.json").write_text('{"format": "teachkit-responses-export", "rec', encoding="utf-8")
    (folder / "J.json").write_text(json.dumps({"format": FORMAT, "version": 1, "records": []}), encoding="utf-8")
    return bank, folder


def test_item_statistics_match_the_hand_worked_example() -> None:
    totals = [sum(row) for row in MATRIX.values()]
    for column, item_id in enumerate(("q1", "q2", "q3")):
        marks = [row[column] for row in MATRIX.values()]
        stats = item_statistics(marks, [t - m for t, m in zip(totals, marks, strict=True)], 1.0)
        hand = HAND_ITEMS[item_id]
        assert stats.n == 5
        assert stats.facility == pytest.approx(hand["facility"], abs=0.01)
        assert stats.sd == pytest.approx(hand["sd"], abs=0.01)
        assert stats.discrimination == pytest.approx(hand["discrimination_index"], abs=0.01)
        assert stats.efficiency == pytest.approx(hand["discriminative_efficiency"], abs=0.01)


def test_quiz_statistics_match_the_hand_worked_example() -> None:
    columns = list(zip(*MATRIX.values(), strict=True))
    variances = [sum((m - sum(c) / 5) ** 2 for m in c) / 4 for c in columns]
    stats = quiz_statistics([sum(row) for row in MATRIX.values()], variances, 3.0)
    assert stats.n == 5
    assert stats.mean == pytest.approx(HAND_QUIZ["mean"], abs=0.01)
    assert stats.median == pytest.approx(HAND_QUIZ["median"], abs=0.01)
    assert stats.sd == pytest.approx(HAND_QUIZ["sd"], abs=0.01)
    assert stats.alpha == pytest.approx(6 / 13)
    assert stats.error_ratio == pytest.approx(HAND_QUIZ["error_ratio"], abs=0.01)
    assert stats.standard_error == pytest.approx(100 * math.sqrt(0.7) / 3)


def test_report_tables_match_the_hand_worked_example(hand_class: tuple[Bank, Path]) -> None:
    bank, folder = hand_class
    analysis = analyse_files([folder], banks=[bank])
    items = analysis.items.set_index("item")
    for item_id, hand in HAND_ITEMS.items():
        for column, value in hand.items():
            assert items.loc[item_id, column] == pytest.approx(value, abs=0.01), (item_id, column)
    assert items.loc["q1", "answered"] == 6  # F answered q1 only ...
    assert list(items["n"]) == [5, 5, 5]  # ... so F is not among the complete attempts
    assert items.loc["q1", "facility_all_answers"] == pytest.approx(400 / 6, abs=0.01)
    assert list(items["dubious"]) == ["not judged"] * 3  # n = 5 is below 10

    quiz = analysis.quizzes.iloc[0]
    assert (quiz["students_started"], quiz["n"]) == (6, 5)
    for column, value in HAND_QUIZ.items():
        assert quiz[column] == pytest.approx(value, abs=0.01), column

    options = analysis.options[analysis.options["item"] == "q1"].set_index("choice")
    assert options["count"].to_dict() == {"A. right": 4, "B. wrong a": 1, "C. wrong b": 1}
    assert options.loc["A. right", "share"] == pytest.approx(400 / 6, abs=0.01)
    q3 = analysis.options[analysis.options["item"] == "q3"].set_index("choice")
    assert q3.loc["another number", "typed"] == "55 (1)"

    mis = analysis.misconceptions.set_index("misconception")
    # Ranked by share of those who could show it: 2/5, 2/5, 1/5, 1/6, 1/6.
    assert list(analysis.misconceptions["misconception"]) == ["m-c", "m-d", "m-e", "m-a", "m-b"]
    assert mis["students"].to_dict() == {"m-c": 2, "m-d": 2, "m-a": 1, "m-b": 1, "m-e": 1}
    assert mis.loc["m-a", "could_show"] == 6 and mis.loc["m-c", "could_show"] == 5
    assert mis.loc["m-d", "description"] == "holds m-d"


def test_dubious_follows_moodle_once_there_are_enough_attempts(hand_class) -> None:
    bank, folder = hand_class
    items = analyse_files([folder], banks=[bank], min_n=5).items.set_index("item")
    assert items.loc["q2", "dubious"] == "yes"  # efficiency 0 % < 15 %
    assert "below 15 %" in items.loc["q2", "note"]
    assert items.loc["q1", "dubious"] == "no"


def test_missing_zero_counts_partial_students_as_moodle_does(hand_class) -> None:
    bank, folder = hand_class
    analysis = analyse_files([folder], banks=[bank], missing="zero")
    items = analysis.items.set_index("item")
    assert list(items["n"]) == [6, 6, 6]
    assert items["facility"].tolist() == pytest.approx([400 / 6, 50.0, 200 / 6], abs=0.01)
    assert analysis.quizzes.iloc[0]["mean"] == pytest.approx(100 * 9 / 18, abs=0.01)


def test_bad_and_duplicate_files_are_named_and_skipped(hand_class) -> None:
    bank, folder = hand_class
    submissions, files = read_submissions([folder])
    assert sorted(s.student for s in submissions) == [f"student-{c}" for c in "abcdef"]
    reasons = {Path(f.file).name: f.reason for f in files if f.status == "skipped"}
    assert set(reasons) == {"G.json", "H-old.json", "I.json", "J.json"}
    assert reasons["G.json"].startswith("same content as") and "A.json" in reasons["G.json"]
    assert "older export of pseudonym 'student-b'" in reasons["H-old.json"]
    assert "not valid JSON (line 1" in reasons["I.json"]
    assert "export-responses --name" in reasons["J.json"]
    summary = summary_markdown(analyse(submissions, files, banks=[bank]))
    for name in reasons:
        assert name in summary


def test_odd_files_get_a_reason_each(tmp_path: Path) -> None:
    bank = hand_bank()
    good = records(bank, {"q1": 0})
    cases = {
        "version.json": {"format": EXPORT_FORMAT, "version": 9, "student": "x", "records": good},
        "name.json": {"format": EXPORT_FORMAT, "version": 1, "student": "Jane Doe!", "records": good},
        "empty.json": {"format": EXPORT_FORMAT, "version": 1, "student": "y", "records": []},
        "other.json": {"hello": "world"},
        "list.json": [1, 2],
    }
    for name, payload in cases.items():
        (tmp_path / name).write_text(json.dumps(payload), encoding="utf-8")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00junk")
    mixed = good + [{"no": "item"}, {"item": "q2", "status": "correct", "score": "x", "max_score": 1}]
    write_export(tmp_path / "mixed.json", "mixed-one", mixed)
    submissions, files = read_submissions([tmp_path, tmp_path / "missing.json"])
    reasons = {Path(f.file).name: f.reason for f in files}
    assert "version 9" in reasons["version.json"]
    assert "pseudonym 'Jane Doe!'" in reasons["name.json"]
    assert "no answered questions" in reasons["empty.json"]
    assert "not a teachkit response export" in reasons["other.json"]
    assert "no JSON object" in reasons["list.json"]
    assert "not UTF-8" in reasons["binary.json"]
    assert reasons["missing.json"] == "no such file"
    assert [s.student for s in submissions] == ["mixed-one"]
    assert "1 record(s) without an item id ignored" in reasons["mixed.json"]
    assert "1 record(s) without a readable score ignored" in reasons["mixed.json"]


def test_first_or_last_attempt(tmp_path: Path) -> None:
    bank = hand_bank()
    recs = records(bank, {"q1": 1, "q2": False}) + records(bank, {"q1": 0, "q2": True}, attempt=2)
    write_export(tmp_path / "a.json", "retrier", recs)
    first = analyse_files([tmp_path], banks=[bank]).items.set_index("item")
    last = analyse_files([tmp_path], banks=[bank], attempts="last").items.set_index("item")
    assert first.loc[["q1", "q2"], "facility_all_answers"].tolist() == [0.0, 0.0]
    assert last.loc[["q1", "q2"], "facility_all_answers"].tolist() == [100.0, 100.0]


def test_a_tiny_class_is_reported_in_words_not_nan(tmp_path: Path) -> None:
    bank = hand_bank()
    write_export(tmp_path / "one.json", "only-one", records(bank, {"q1": 0, "q2": True, "q3": 10}))
    analysis = analyse_files([tmp_path], banks=[bank])
    note = analysis.items.set_index("item").loc["q1", "note"]
    assert note == "only 1 attempt: SD and discrimination need at least 2"
    assert "only 1 attempt" in analysis.quizzes.iloc[0]["note"]
    out = tmp_path / "report"
    write_report(analysis, out)
    for name in ("items.csv", "quizzes.csv", "summary.md", "options.csv", "misconceptions.csv"):
        assert "nan" not in (out / name).read_text(encoding="utf-8").lower(), name
    assert "| 01-hand | 1 | 1 | 100.0 % | 100.0 % | — |" in (out / "summary.md").read_text()
    everyone_right = analysis.items.set_index("item")
    assert pd.isna(everyone_right.loc["q2", "discrimination_index"])


def test_an_item_everyone_gets_right_is_undefined_not_zero(tmp_path: Path) -> None:
    bank = hand_bank()
    for name, q2 in (("a", 10), ("b", 10), ("c", 55)):
        write_export(
            tmp_path / f"{name}.json", f"s-{name}", records(bank, {"q1": 0 if name != "c" else 1, "q2": True, "q3": q2})
        )
    items = analyse_files([tmp_path], banks=[bank]).items.set_index("item")
    assert pd.isna(items.loc["q2", "discrimination_index"])
    assert "cannot discriminate (undefined, not zero)" in items.loc["q2", "note"]


# ----------------------------------------------------------------- the synthetic class


def synthetic_banks() -> list[Bank]:
    """Two lessons of varied items; the misconception 'planted' is offered by four of them."""

    def choice(i: int, wrong: tuple[str, str]) -> dict:
        return {
            "id": f"c{i}",
            "type": "single_choice",
            "level": "apply",
            "question": _text(f"C{i}"),
            "explanation": _text("x"),
            "see": "02-synth#A",
            "options": [
                {"text": _text("right"), "correct": True},
                {"text": _text("w1"), "feedback": _text("f"), "misconception": wrong[0]},
                {"text": _text("w2"), "feedback": _text("f"), "misconception": wrong[1]},
            ],
        }

    wrongs = {i: ("planted" if i % 3 == 0 else f"m{i}", f"n{i}") for i in range(12)}
    lesson_a = [choice(i, wrongs[i]) for i in range(8)] + [
        {
            "id": "tf1",
            "type": "true_false",
            "level": "apply",
            "question": _text("T"),
            "explanation": _text("x"),
            "see": "02-synth#A",
            "answer": False,
            "feedback": _text("f"),
            "misconception": "tf",
        },
        {
            "id": "n1",
            "type": "numeric",
            "level": "apply",
            "question": _text("N"),
            "explanation": _text("x"),
            "see": "02-synth#A",
            "value": 42,
            "tolerance": 0.5,
            "percent": True,
            "traps": [{"value": 24, "feedback": _text("f"), "misconception": "trap"}],
            "feedback": _text("f"),
            "misconception": "num",
        },
    ]
    lesson_b = [choice(i, wrongs[i]) for i in range(8, 12)] + [
        {
            "id": "m1",
            "type": "matching",
            "level": "apply",
            "question": _text("M"),
            "explanation": _text("x"),
            "see": "03-synth#A",
            "pairs": [
                {"left": _text(f"l{j}"), "right": _text(f"r{j}"), "feedback": _text("f"), "misconception": "pair"}
                for j in range(3)
            ],
        },
        {
            "id": "s1",
            "type": "short_text",
            "level": "apply",
            "question": _text("S"),
            "explanation": _text("x"),
            "see": "03-synth#A",
            "accepted": ["Fachkräftemangel"],
            "feedback": _text("f"),
            "misconception": "text",
        },
        {
            "id": "mc1",
            "type": "multiple_choice",
            "level": "apply",
            "question": _text("MC"),
            "explanation": _text("x"),
            "see": "03-synth#A",
            "options": [
                {"text": _text("a"), "correct": True},
                {"text": _text("b"), "correct": True},
                {"text": _text("c"), "feedback": _text("f"), "misconception": "mc"},
            ],
        },
    ]
    slugs = {s for pair in wrongs.values() for s in pair} | {"tf", "num", "trap", "pair", "text", "mc"}
    banks = []
    for lesson, items in (("02-synth", lesson_a), ("03-synth", lesson_b)):
        used = {s for s in slugs if s in json.dumps(items)}
        banks.append(
            Bank.model_validate(
                {
                    "lesson": lesson,
                    "title": _text(lesson),
                    "misconceptions": {s: _text(s) for s in sorted(used)},
                    "items": items,
                }
            )
        )
    return banks


def _submissions(payloads: list[dict], folder: Path) -> Path:
    folder.mkdir()
    for payload in payloads:
        (folder / f"{payload['student']}.json").write_text(json.dumps(payload), encoding="utf-8")
    return folder


def test_report_recovers_what_was_planted(tmp_path: Path) -> None:
    banks = synthetic_banks()
    payloads, facts = simulate_class(banks, n_students=80, seed=11, misconception="planted", bad_item="c4")
    folder = _submissions(payloads, tmp_path / "class")
    analysis = analyse_files([folder], banks=banks)
    assert analysis.misconceptions.iloc[0]["misconception"] == "planted"
    items = analysis.items.set_index("item")
    assert items.loc["c4", "dubious"] == "yes"
    assert items.loc["c4", "discrimination_index"] < 0
    assert (items["n"] >= 10).all()
    # Where only difficulty decides (not the bad item, not the items holders answer from their
    # misconception), harder items must come out with lower facility.
    ordinary = items.drop(index=["c4", "c0", "c3", "c6", "c9"])
    difficulty = pd.Series(facts.difficulty).reindex(ordinary.index)
    rho = ordinary["facility"].rank().corr(difficulty.rank())
    assert rho < -0.6, rho  # 12 items: a rank correlation this strong is no accident
    assert analysis.quizzes["n"].min() >= 40  # partial students drop out of a lesson's quiz only
    last = analyse_files([folder], banks=banks, attempts="last").items.set_index("item")
    assert (last["facility_all_answers"] >= items["facility_all_answers"]).all()
    assert (last["facility_all_answers"] > items["facility_all_answers"]).sum() >= 10


def test_the_synthetic_class_is_reproducible() -> None:
    banks = synthetic_banks()
    first, facts = simulate_class(banks, n_students=12, seed=5)
    again, _ = simulate_class(banks, n_students=12, seed=5)
    other, _ = simulate_class(banks, n_students=12, seed=6)
    assert json.dumps(first) == json.dumps(again)
    assert json.dumps(first) != json.dumps(other)
    assert facts.note.startswith("Synthetic data")
    assert len(facts.holders) == round(0.8 * 12) and len(facts.partial) == round(0.2 * 12)


def test_report_command_on_a_synthetic_class_of_the_shipped_course(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["synthetic-class", "--out", str(tmp_path / "demo"), "--students", "60"]) == 0
    facts = json.loads((tmp_path / "demo" / "planted-facts.json").read_text(encoding="utf-8"))
    out = tmp_path / "report"
    assert main(["report", str(tmp_path / "demo" / "responses"), "--out", str(out)]) == 0
    assert "dubious item(s)" in capsys.readouterr().out
    misconceptions = pd.read_csv(out / "misconceptions.csv")
    assert misconceptions.iloc[0]["misconception"] == facts["misconception"]
    items = pd.read_csv(out / "items.csv").set_index("item")
    assert items.loc[facts["bad_item"], "dubious"] == "yes"
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert f"**{facts['bad_item']}**" in summary and "nan" not in summary.lower()
    for chart in ("facility-discrimination.png", "misconceptions.png"):
        assert (out / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_command_fails_without_a_usable_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert main(["report", str(tmp_path / "broken.json"), "--out", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "skipped" in err and "broken.json" in err and "No usable response file" in err


def test_lessons_nobody_started_are_named_not_tabulated(hand_class) -> None:
    bank, folder = hand_class
    other = synthetic_banks()[0]
    summary = summary_markdown(analyse_files([folder], banks=[bank, other]))
    assert "| 01-hand | 6 | 5 |" in summary
    assert "No answers yet for 1 lesson(s): 02-synth." in summary
    assert "| 02-synth |" not in summary


def test_without_the_banks_the_records_still_give_the_statistics(hand_class) -> None:
    _, folder = hand_class
    analysis = analyse_files([folder], banks=None)
    items = analysis.items.set_index("item")
    assert set(items["lesson"]) == {"01-hand"} and set(items["type"]) == {"unknown"}
    for item_id, hand in HAND_ITEMS.items():
        assert items.loc[item_id, "facility"] == pytest.approx(hand["facility"], abs=0.01)
        assert items.loc[item_id, "discrimination_index"] == pytest.approx(hand["discrimination_index"], abs=0.01)
    q1 = analysis.options[analysis.options["item"] == "q1"].set_index("choice")["count"]
    assert q1.to_dict() == {"0": 4, "1": 1, "2": 1}  # option numbers, as the records hold them
    assert analysis.misconceptions.iloc[0]["misconception"] == "m-c"


def test_misconceptions_few_students_could_show_rank_last(hand_class) -> None:
    bank, folder = hand_class
    ranked = analyse_files([folder], banks=[bank], min_n=6).misconceptions
    # m-a and m-b could be shown by 6 students (q1), the others by 5: below min_n, so last.
    assert list(ranked["misconception"]) == ["m-a", "m-b", "m-c", "m-d", "m-e"]
