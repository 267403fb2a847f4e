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
