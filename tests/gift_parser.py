"""A small GIFT reader for the tests, following Moodle's importer step by step.

It mirrors qformat_gift::readquestion (question/format/gift/format.php) and the way
qformat_default splits a file into questions at blank lines, so that a round trip through it shows
what Moodle would import. It also mirrors how Moodle grades the imported numerical, short-answer
and multiple-choice questions, so tests can compare Moodle's verdict with the course's own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_ESCAPES = [
    ("\\:", "&&058;"),
    ("\\#", "&&035;"),
    ("\\=", "&&061;"),
    ("\\{", "&&123;"),
    ("\\}", "&&125;"),
    ("\\~", "&&126;"),
    ("\\n", "&&010"),
]
_CHARACTERS = {"&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}", "&&126;": "~", "&&010": "\n"}
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_FORMATS = ("moodle", "html", "plain", "markdown")


class GiftSyntaxError(ValueError):
    pass


@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str = ""
    tolerance: float | None = None


@dataclass
class Question:
    category: str
    name: str
    qtype: str
    text: str
    text_format: str
    general_feedback: str
    answers: list[Answer] = field(default_factory=list)
    single: bool | None = None
    correct_answer: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    subquestions: list[tuple[str, str]] = field(default_factory=list)


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _ESCAPES:
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, character in _CHARACTERS.items():
        text = text.replace(placeholder, character)
    return text


def _with_format(text: str, default: str = "moodle") -> tuple[str, str]:
    form = default
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end]
        if name in _FORMATS:
            form, text = name, text[end + 1 :]
    return _post(text).strip(), form


def _weight(answer: str) -> tuple[float, str]:
    answer = answer[1:]
    end = answer.find("%")
    return float(answer[:end]) / 100, answer[end + 1 :]


def _comment(answer: str, form: str) -> tuple[str, str]:
    bits = answer.split("#", 1)
    text, _ = _with_format(bits[0].strip(), form)
    feedback = _with_format(bits[1].strip(), form)[0] if len(bits) > 1 else ""
    return text, feedback


def split_questions(gift: str) -> list[list[str]]:
    """Blocks of trimmed lines, split at blank lines (qformat_default::readquestions)."""
    blocks, current = [], []
    for line in gift.split("\n"):
        line = line.strip()
        if not line:
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def parse_gift(gift: str) -> list[Question]:
    """Every question in a GIFT text, each with the category in force where it appears."""
    category = ""
    questions = []
    for lines in split_questions(gift):
        lines = [" " if line.startswith("//") else line for line in lines]
        text = "\n".join(lines).strip()
        if not text:
            continue
        text = _pre(text)
        if text.startswith("$CATEGORY:"):
            category = text[10:].strip()
            continue
        if not text.startswith("::"):
            raise GiftSyntaxError(f"question without a name: {text[:60]!r}")
        text = text[2:]
        end = text.find("::")
        if end < 0:
            raise GiftSyntaxError(f"name not closed: {text[:60]!r}")
        name = _post(text[:end])
        text = text[end + 2 :].strip()
        start, finish = text.find("{"), text.find("}")
        if start < 0 or finish < 0:
            raise GiftSyntaxError(f"{name}: braces missing")
        answer_text = text[start + 1 : finish].strip()
        if text.endswith("}"):
            question_text = text[:start] + text[finish + 1 :]
        else:
            question_text = text[:start] + "_____" + text[finish + 1 :]
        general = ""
        separator = answer_text.rfind("####")
        if separator >= 0:
            general = answer_text[separator + 4 :]
            answer_text = answer_text[:separator].strip()
        qtext, form = _with_format(question_text)
        general, _ = _with_format(general, form)
        question = Question(category, name, "", qtext, form, general)
        if answer_text == "":
            question.qtype = "essay"
        elif answer_text[0] == "#":
            question.qtype = "numerical"
            _numerical(question, answer_text[1:], form)
        elif "~" in answer_text:
            question.qtype = "multichoice"
            _multichoice(question, answer_text, form)
        elif "=" in answer_text and "->" in answer_text:
            question.qtype = "match"
            for part in [a for a in answer_text.split("=") if a.strip()]:
                marker = part.find("->")
                if marker < 0:
                    raise GiftSyntaxError(f"{name}: matching answer without '->'")
                left, _ = _with_format(part[:marker].strip(), form)
                question.subquestions.append((left, _post(part[marker + 2 :]).strip()))
        else:
            check = answer_text.split("#", 1)[0].strip() if "#" in answer_text[1:] else answer_text
            if check in ("T", "TRUE", "F", "FALSE"):
                question.qtype = "truefalse"
                bits = answer_text.split("#", 2)
                answer = _with_format(bits[0].strip(), form)[0]
                wrong = _with_format(bits[1].strip(), form)[0] if len(bits) > 1 else ""
                right = _with_format(bits[2].strip(), form)[0] if len(bits) > 2 else ""
                question.correct_answer = answer in ("T", "TRUE")
                if question.correct_answer:
                    question.feedback_true, question.feedback_false = right, wrong
                else:
                    question.feedback_true, question.feedback_false = wrong, right
            else:
                question.qtype = "shortanswer"
                for part in [a for a in answer_text.split("=") if a.strip()]:
                    part = part.strip()
                    fraction = 1.0
                    if _WEIGHT.match(part):
                        fraction, part = _weight(part)
                    text_, feedback = _comment(part, form)
                    question.answers.append(Answer(text_, fraction, feedback))
        questions.append(question)
    return questions


def _multichoice(question: Question, answer_text: str, form: str) -> None:
    question.single = "=" in answer_text
    parts = answer_text.replace("=", "~=").split("~")
    if parts and not parts[0].strip():
        parts = parts[1:]
    if len(parts) < 2:
        raise GiftSyntaxError(f"{question.name}: a multiple-choice question needs two answers")
    for part in parts:
        part = part.strip()
        if part.startswith("="):
            fraction, part = 1.0, part[1:]
        elif _WEIGHT.match(part):
            fraction, part = _weight(part)
        else:
            fraction = 0.0
        text, feedback = _comment(part, form)
        question.answers.append(Answer(text, fraction, feedback))


def _numerical(question: Question, answer_text: str, form: str) -> None:
    wrong = ""
    if "~" in answer_text:
        position = answer_text.find("~")
        wrong, answer_text = answer_text[position:], answer_text[:position]
    parts = [a for a in answer_text.split("=") if a.strip()]
    if not parts:
        raise GiftSyntaxError(f"{question.name}: a numerical question needs an answer")
    for part in parts:
        part = part.strip()
        fraction = 1.0
        if _WEIGHT.match(part):
            fraction, part = _weight(part)
        value, feedback = _comment(part, form)
        if ".." in value[1:]:
            low, high = (float(x) for x in value.split("..", 1))
            answer, tolerance = (low + high) / 2, high - (low + high) / 2
        elif ":" in value[1:]:
            answer_s, tolerance_s = value.split(":", 1)
            answer, tolerance = float(answer_s), float(tolerance_s)
        else:
            answer, tolerance = float(value), 0.0
        question.answers.append(Answer(repr(answer), fraction, feedback, tolerance))
    if wrong:
        question.answers.append(Answer("*", 0.0, _comment(wrong[1:], form)[1], None))


# --------------------------------------------------------------------------- Moodle's grading


def numerical_match(question: Question, value: float) -> Answer | None:
    """The first answer whose tolerance covers `value` (qtype_numerical_question)."""
    for answer in question.answers:
        if answer.text == "*":
            return answer
        if abs(value - float(answer.text)) <= (answer.tolerance or 0.0) + 1e-9:
            return answer
    return None


def shortanswer_match(question: Question, response: str, ignore_case: bool = True) -> Answer | None:
    """The first answer whose pattern matches (qtype_shortanswer compare_string_with_wildcard)."""
    response = unicodedata.normalize("NFC", response).strip()
    for answer in question.answers:
        pattern = unicodedata.normalize("NFC", answer.text)
        bits = re.split(r"(?<!\\)\*+", pattern)
        regexp = "^" + ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits) + "$"
        if re.match(regexp, response, re.IGNORECASE if ignore_case else 0):
            return answer
    return None


def multichoice_score(question: Question, chosen: set[int]) -> float:
    """The fraction Moodle gives: the chosen answer (single) or the floored sum (multiple)."""
    total = sum(question.answers[i].fraction for i in chosen)
    return max(0.0, min(1.0, total))
