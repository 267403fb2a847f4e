"""Bank validation: the shipped banks pass, and each kind of mistake gets one precise message."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from teachkit.quiz.bank import bank_paths, check_banks, read_bank, schema_text
from teachkit.quiz.model import SingleChoice
from teachkit.quiz.quality import (
    LengthCue,
    catch_all_options,
    key_is_longest,
    length_cues,
    longest_option_score,
    quality_warnings,
    shortest_option_score,
)

ROOT = Path(__file__).resolve().parents[2]


def t(en: str) -> dict:
    return {"en": en, "de": f"{en} (de)"}


VALID = {
    "lesson": "01-test",
    "title": t("Test bank"),
    "misconceptions": {"m-wrong": t("A wrong idea"), "m-num": t("A wrong number")},
    "items": [
        {
            "id": "pick-one",
            "type": "single_choice",
            "level": "apply",
            "question": t("Pick one"),
            "explanation": t("Because"),
            "see": "01-test#Section",
            "options": [
                {"text": t("Right"), "correct": True},
                {"text": t("Wrong 1"), "feedback": t("No"), "misconception": "m-wrong"},
                {"text": t("Wrong 2"), "feedback": t("No"), "misconception": "m-wrong"},
            ],
        },
        {
            "id": "a-number",
            "type": "numeric",
            "level": "apply",
            "question": t("How many?"),
            "value": 3,
            "tolerance": 0,
            "feedback": t("No"),
            "misconception": "m-num",
            "explanation": t("Three"),
            "see": "01-test#Section",
        },
        {
            "id": "pairs",
            "type": "matching",
            "level": "apply",
            "question": t("Match"),
            "explanation": t("So"),
            "see": "01-test#Section",
            "pairs": [
                {"left": t("L1"), "right": t("R1"), "feedback": t("No"), "misconception": "m-wrong"},
                {"left": t("L2"), "right": t("R2"), "feedback": t("No"), "misconception": "m-wrong"},
            ],
        },
    ],
}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "data").mkdir()
    return tmp_path


def write(course: Path, bank: dict | str, name: str = "01-test.yaml") -> Path:
    path = course / "quizzes" / name
    path.write_text(bank if isinstance(bank, str) else yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    return path


def problems(course: Path, mutate) -> list[str]:
    bank = copy.deepcopy(VALID)
    mutate(bank)
    return check_banks([write(course, bank)])


def test_shipped_banks_are_valid():
    assert bank_paths(ROOT), "no banks shipped"
    assert check_banks(bank_paths(ROOT)) == []


def test_valid_example_is_valid(course):
    assert read_bank(write(course, VALID)).items[0].id == "pick-one"


def test_schema_json_is_current():
    assert (ROOT / "quizzes" / "schema.json").read_text(encoding="utf-8") == schema_text(), (
        "quizzes/schema.json is stale: run `python -m teachkit schema`"
    )


def _item(i: int):
    return lambda bank: bank["items"][i]


BROKEN = {
    "wrong option without feedback": (
        lambda b: b["items"][0]["options"][2].pop("feedback"),
        "quizzes/01-test.yaml, item 'pick-one', option 3: wrong option has no feedback",
    ),
    "wrong option without misconception": (
        lambda b: b["items"][0]["options"][1].pop("misconception"),
        "quizzes/01-test.yaml, item 'pick-one', option 2: wrong option has no misconception id",
    ),
    "two correct options in single choice": (
        lambda b: b["items"][0]["options"][1].update(correct=True),
        "quizzes/01-test.yaml, item 'pick-one': single choice needs exactly one correct option, found 2",
    ),
    "no correct option": (
        lambda b: b["items"][0]["options"][0].update(correct=False, feedback=t("x"), misconception="m-wrong"),
        "quizzes/01-test.yaml, item 'pick-one': single choice needs exactly one correct option, found 0",
    ),
    "missing German text": (
        lambda b: b["items"][0]["question"].pop("de"),
        "quizzes/01-test.yaml, item 'pick-one', question.de: German text is missing",
    ),
    "missing German feedback in an option": (
        lambda b: b["items"][0]["options"][1]["feedback"].pop("de"),
        "quizzes/01-test.yaml, item 'pick-one', option 2, feedback.de: German text is missing",
    ),
    "unknown field": (
        lambda b: b["items"][1].update(tolerence=1),
        "quizzes/01-test.yaml, item 'a-number', tolerence: unknown field 'tolerence'",
    ),
    "negative tolerance": (
        lambda b: b["items"][1].update(tolerance=-1),
        "quizzes/01-test.yaml, item 'a-number', tolerance: tolerance must be 0 or more, not -1",
    ),
    "numeric with value and range": (
        lambda b: b["items"][1].update(range=[1, 5]),
        "quizzes/01-test.yaml, item 'a-number': give either 'value' (with a tolerance) or 'range'",
    ),
    "range upside down": (
        lambda b: (b["items"][1].pop("value"), b["items"][1].update(range=[5, 1])),
        "quizzes/01-test.yaml, item 'a-number', range: the lower bound 5.0 is above the upper bound 1.0",
    ),
    "matching with one pair": (
        lambda b: b["items"][2]["pairs"].pop(),
        "quizzes/01-test.yaml, item 'pairs', pairs: list should have at least 2 items",
    ),
    "matching pair without right side": (
        lambda b: b["items"][2]["pairs"][1].pop("right"),
        "quizzes/01-test.yaml, item 'pairs', pair 2, right: required field 'right' is missing",
    ),
    "matching with two equal right sides": (
        lambda b: b["items"][2]["pairs"][1].update(right=t("R1")),
        "quizzes/01-test.yaml, item 'pairs', pairs: right-hand options must all differ",
    ),
    "duplicate id in one bank": (
        lambda b: b["items"][1].update(id="pick-one"),
        "quizzes/01-test.yaml, item 'pick-one': id used twice in this bank",
    ),
    "unknown item type": (
        lambda b: b["items"][1].update(type="essay"),
        "quizzes/01-test.yaml, item 'a-number': unknown type 'essay'",
    ),
    "id with spaces": (lambda b: b["items"][0].update(id="Pick One"), "'Pick One' is not a valid id"),
    "misconception not described": (
        lambda b: b["misconceptions"].pop("m-num"),
        "quizzes/01-test.yaml, misconceptions: 'm-num' is used by a wrong answer but not described",
    ),
    "misconception described but unused": (
        lambda b: b["misconceptions"].update({"m-spare": t("Spare")}),
        "quizzes/01-test.yaml, misconceptions: 'm-spare' is described but no wrong answer uses it",
    ),
    "lesson does not match file name": (
        lambda b: b.update(lesson="02-other"),
        "quizzes/01-test.yaml: lesson is '02-other' but the file is named '01-test'",
    ),
    "see pointer malformed": (
        lambda b: b["items"][0].update(see="somewhere"),
        "quizzes/01-test.yaml, item 'pick-one', see: 'somewhere' should point to a lesson section",
    ),
    "trap that can never fire": (
        lambda b: b["items"][1].update(traps=[{"value": 3, "feedback": t("x"), "misconception": "m-num"}]),
        "quizzes/01-test.yaml, item 'a-number', trap 1: 3.0 is accepted as right",
    ),
    "missing explanation": (
        lambda b: b["items"][0].pop("explanation"),
        "quizzes/01-test.yaml, item 'pick-one', explanation: required field 'explanation' is missing",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_bank_gets_one_precise_message(course, case):
    mutate, expected = BROKEN[case]
    found = problems(course, mutate)
    assert len(found) == 1, found
    assert expected in found[0], found[0]


def test_yaml_syntax_error_names_the_line(course):
    path = write(course, "lesson: 01-test\ntitle: {en: x, de: y\nitems: []\n")
    [message] = check_banks([path])
    assert message.startswith("quizzes/01-test.yaml, line ") and "not valid YAML" in message


def test_duplicate_yaml_key_is_refused(course):
    text = yaml.safe_dump(VALID) + "lesson: 01-test\n"
    [message] = check_banks([write(course, text)])
    assert "the key 'lesson' appears twice" in message


def test_bank_that_is_not_a_mapping(course):
    [message] = check_banks([write(course, "- just\n- a list\n")])
    assert message == (
        "quizzes/01-test.yaml: a bank must be a mapping with 'lesson', 'title', 'misconceptions' and 'items'"
    )


def test_ids_must_be_unique_across_banks(course):
    other = copy.deepcopy(VALID)
    other["lesson"] = "02-test"
    paths = [write(course, VALID), write(course, other, "02-test.yaml")]
    found = check_banks(paths)
    assert "quizzes/02-test.yaml, item 'pick-one': id already used in quizzes/01-test.yaml" in found[0]
    assert len(found) == 3  # one per shared id


def test_cli_accepts_shipped_banks_and_rejects_a_broken_one(course):
    ok = subprocess.run([sys.executable, "-m", "teachkit", "check-banks"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "bank(s) OK" in ok.stdout
    bank = copy.deepcopy(VALID)
    bank["items"][0]["options"][2].pop("feedback")
    bad = subprocess.run(
        [sys.executable, "-m", "teachkit", "check-banks", str(write(course, bank))],
        cwd=course,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    first = bad.stderr.splitlines()[0]
    assert first == "quizzes/01-test.yaml, item 'pick-one', option 3: wrong option has no feedback"


def test_schema_describes_all_item_types():
    schema = json.loads(schema_text())
    kinds = {
        d["properties"]["type"]["const"]
        for d in schema["$defs"].values()
        if "type" in d.get("properties", {}) and "const" in d["properties"]["type"]
    }
    assert kinds == {"single_choice", "multiple_choice", "true_false", "numeric", "short_text", "matching"}


def test_unquoted_text_cut_by_a_hash_is_refused(course):
    text = yaml.safe_dump(VALID, allow_unicode=True, sort_keys=False)
    question = VALID["items"][0]["question"]["en"]
    assert f"en: {question}\n" in text  # the dump leaves this text unquoted
    broken = text.replace(f"en: {question}\n", f"en: {question} #hashtags count\n", 1)
    [message] = check_banks([write(course, broken)])
    line = next(n for n, row in enumerate(broken.splitlines(), start=1) if row.endswith("#hashtags count"))
    assert message.startswith(f"quizzes/01-test.yaml, line {line}: ")
    assert "'en' text stops at ' #'" in message and "put the whole text in quotes" in message
    quoted = text.replace(f"en: {question}\n", f'en: "{question} #hashtags count"\n', 1)
    assert check_banks([write(course, quoted)]) == []
    commented = text.replace("\nitems:", "\n# a comment on its own line is fine\nitems:", 1)
    assert check_banks([write(course, commented)]) == []


# -- cognitive levels and give-away options -------------------------------------------------


def test_a_missing_level_names_file_item_and_what_to_write(course):
    found = problems(course, lambda b: b["items"][1].pop("level"))
    assert found == [
        "quizzes/01-test.yaml, item 'a-number', level: missing; give what the item asks the student to do, one of "
        "remember, understand, apply, analyse, evaluate (see docs/authoring-guide.md, 'Add a quiz item')"
    ]


def test_an_unknown_level_is_refused(course):
    found = problems(course, lambda b: b["items"][0].__setitem__("level", "recall"))
    assert found[0].startswith("quizzes/01-test.yaml, item 'pick-one', level: 'recall' is not a level; give")


def _choice(item_id: str, key: str, *wrong: str, key_de: str | None = None) -> SingleChoice:
    options = [{"text": {"en": key, "de": key_de or key}, "correct": True}]
    options += [{"text": t(w), "feedback": t("No"), "misconception": "m-wrong"} for w in wrong]
    return SingleChoice.model_validate(
        {
            "id": item_id,
            "type": "single_choice",
            "level": "apply",
            "question": t("Q"),
            "explanation": t("E"),
            "see": "01-test#S",
            "options": options,
        }
    )


def test_key_is_longest_ignores_markdown_and_needs_a_strict_lead():
    assert key_is_longest(_choice("a", "A long right answer", "short", "shorter one"))
    assert not key_is_longest(_choice("b", "**Same**", "Four"))  # marks removed: 4 vs 4 characters
    assert not key_is_longest(_choice("c", "Right", "A longer wrong answer"))


def test_longest_option_strategy_scores_ties_as_a_coin_toss():
    items = [
        _choice("a", "A long right answer", "short"),  # longest is right: 1
        _choice("b", "Right", "A longer wrong answer"),  # longest is wrong: 0
        _choice("c", "Same", "Four"),  # tie between right and wrong: 0.5
    ]
    assert longest_option_score(items) == pytest.approx(0.5)


def test_length_cue_allows_a_third_and_merges_languages():
    fine = [
        _choice("a", "A long right answer", "short"),  # key longest
        _choice("b", "R", "wrong"),  # key shortest
        _choice("c", "Middle one", "Short", "A longer wrong option"),  # key in between
    ]
    assert length_cues(fine) == []
    cued = [*fine[:2], _choice("c", "The longest right answer", "wrong")]
    assert length_cues(cued) == [LengthCue("en+de", ("a", "c"), 3)]
    german_only = [*fine, _choice("d", "Mid", "wrong one", "w", key_de="Die längste richtige Antwort von allen")]
    cues = length_cues([*german_only, _choice("e", "Mid", "wrong one", "w", key_de="Sehr, sehr lang")])
    assert [(cue.lang, cue.extreme) for cue in cues] == [("de", "longest")]


def test_the_shortest_right_option_is_a_cue_too():
    """An author who overcorrects makes the key the shortest; a student can learn that just as well."""
    items = [_choice(i, "Yes", "A longer wrong answer", "Another wrong answer") for i in "abc"]
    assert length_cues(items) == [LengthCue("en+de", ("a", "b", "c"), 3, "shortest")]
    assert shortest_option_score(items) == 1.0 and longest_option_score(items) == 0.0
    assert "the right option is the shortest" in quality_warnings(items, "quizzes/01-test.yaml")[0]


@pytest.mark.parametrize(
    "text",
    ["All of the above", "None of the above.", "Alle genannten", "Keine der genannten Antworten", "keine der obigen"],
)
def test_catch_all_options_are_found_in_both_languages(text):
    item = _choice("x", "Right answer here", text)
    assert catch_all_options([item]) == [("x", 2, text)]
    warnings = quality_warnings([item], "quizzes/01-test.yaml")
    assert f"quizzes/01-test.yaml, item 'x', option 2: {text!r} is a catch-all option" in warnings[-1]


def test_check_banks_prints_levels_and_warns_without_failing(course):
    bank = copy.deepcopy(VALID)
    bank["items"][0]["options"][0]["text"] = t("The right answer is much the longest here")
    bank["items"][1]["level"] = "remember"
    run = subprocess.run(
        [sys.executable, "-m", "teachkit", "check-banks", str(write(course, bank))],
        cwd=course,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert (
        "  01-test: remember 1 · understand 0 · apply 2 · analyse 0 · evaluate 0 (67% apply or above, 33% remember)"
        "  <- 1 of 3 items (33%) only ask to remember; at most 25% may"
    ) in run.stdout
    assert "Always picking the longest option would score 100% (English) / 100% (German)" in run.stdout
    assert "Always picking the shortest option would score 0% (English) / 0% (German)" in run.stdout
    assert "warning: quizzes/01-test.yaml: in 1 of 1 single-choice items the right option is the longest" in run.stdout
