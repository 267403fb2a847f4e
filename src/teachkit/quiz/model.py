"""Quiz items as data, and how an answer to each is scored.

Pure Python: no widgets, no files. `Item.score(answer, lang)` takes whatever a student (or a test,
or a grader) hands in, never raises, and returns a `Result` that says in words what was right.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat

from ..messages import msg

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Status = Literal["correct", "partly", "wrong", "invalid", "unanswered"]
Level = Literal["remember", "understand", "apply", "analyse", "evaluate"]
LEVELS: tuple[Level, ...] = ("remember", "understand", "apply", "analyse", "evaluate")
"""Cognitive levels of the revised Bloom taxonomy, lowest first ('create' does not fit a scored item)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """Text a student reads, in English and German. A small, safe Markdown subset is rendered."""

    en: str = Field(min_length=1)
    de: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.de if lang == "de" else self.en


class Option(_Strict):
    """One option of a choice item. Wrong options carry feedback and the misconception they reveal."""

    text: Text
    correct: bool = False
    feedback: Text | None = None
    misconception: Slug | None = None


class NumericTrap(_Strict):
    """A wrong number worth a specific reply (e.g. a share typed where a percentage was asked)."""

    value: float
    tolerance: float = Field(default=0.0, ge=0)
    feedback: Text
    misconception: Slug


class TextTrap(_Strict):
    """A wrong text answer worth a specific reply."""

    answer: str = Field(min_length=1)
    feedback: Text
    misconception: Slug


class Pair(_Strict):
    """One left-hand prompt and the right-hand option it belongs to."""

    left: Text
    right: Text
    feedback: Text
    misconception: Slug


class _ItemBase(_Strict):
    id: Slug
    level: Level = Field(
        description="What the item asks the student to do: remember a fact, understand an idea, apply it to a "
        "case, analyse data or a claim, or evaluate a decision (revised Bloom taxonomy)"
    )
    question: Text
    explanation: Text
    see: str = Field(min_length=1, description="Lesson section to reread, e.g. '01-digital-natives#cohorts'")
    points: PositiveFloat = 1.0


@dataclass(frozen=True)
class Result:
    """What the Check button shows and what the responses log stores."""

    item_id: str
    status: Status
    score: float
    max_score: float
    answer: Any = None
    verdict: str = ""
    feedback: tuple[str, ...] = ()
    explanation: str = ""
    see: str = ""
    misconceptions: tuple[str, ...] = ()
    lang: str = "en"

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def counts(self) -> bool:
        """Whether this was a real attempt (readable and not empty), worth recording."""
        return self.status in ("correct", "partly", "wrong")

    def text(self) -> str:
        """The feedback as plain text: verdict, specific feedback, explanation."""
        lines = [self.verdict, *self.feedback]
        if self.explanation:
            lines.append(f"{msg('why', self.lang)}: {self.explanation}")
        return "\n".join(line for line in lines if line)


@dataclass
class _Reply:
    """Collects the parts of a result while an answer is being scored."""

    feedback: list[str] = field(default_factory=list)
    misconceptions: list[str] = field(default_factory=list)

    def add(self, text: Text | None, lang: str, misconception: str | None = None) -> None:
        if text is not None:
            self.feedback.append(text.get(lang))
        if misconception:
            self.misconceptions.append(misconception)


class InvalidAnswer(ValueError):
    """An answer that cannot be read for this item; the message says what to type instead."""


def _finish(item: _ItemBase, lang: str, status: Status, fraction: float, answer: Any, reply: _Reply) -> Result:
    verdict = msg({"correct": "correct", "partly": "partly", "wrong": "wrong"}[status], lang)
    return Result(
        item_id=item.id,
        status=status,
        score=round(item.points * fraction, 6),
        max_score=item.points,
        answer=answer,
        verdict=verdict,
        feedback=tuple(reply.feedback),
        explanation=item.explanation.get(lang),
        see=item.see,
        misconceptions=tuple(reply.misconceptions),
        lang=lang,
    )


def _unreadable(item: _ItemBase, lang: str, status: Status, message: str) -> Result:
    verdict = msg("invalid" if status == "invalid" else "unanswered", lang)
    details = () if message == verdict else (message,)  # never say the same sentence twice
    return Result(item.id, status, 0.0, item.points, None, verdict, details, "", item.see, (), lang)


def _is_empty(answer: Any) -> bool:
    if answer is None or answer is ...:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, (list, tuple, set, frozenset, dict)):
        return len(answer) == 0
    return False


def normalise_text(value: str) -> str:
    """Fold case, spaces, umlauts and ß, dashes and quotes so that 'Fachkräfte-Mangel ' ≈ 'fachkraeftemangel'."""
    text = unicodedata.normalize("NFKC", value).casefold()
    for old, new in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ẞ", "ss")):
        text = text.replace(old, new)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\u2010-\u2015\-_/]+", " ", text)
    text = re.sub(r"[\"'`´‘’“”„.,;:!?()\[\]]", "", text)
    return re.sub(r"\s+", " ", text).strip()


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$")


def parse_number(value: Any, percent: bool) -> float:
    """Read a number the way students type it: 0.5, 0,5, 1.234,5, 1,234.5, '50 %' (where allowed)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidAnswer("not_a_number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", value).strip().lower()
        text = text.replace("\u2212", "-").replace("\u2009", "").replace("\u202f", "")
        text = re.sub(r"\s+", "", text)
        if text.endswith("%"):
            if not percent:
                raise InvalidAnswer("percent_not_allowed")
            text = text[:-1]
        if "," in text and "." in text:  # the later separator is the decimal one
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        elif text.count(",") > 1:
            text = text.replace(",", "")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        else:
            text = text.replace(",", ".")
        if not _NUMBER.match(text):
            raise InvalidAnswer("not_a_number")
        number = float(text)
    if not math.isfinite(number):
        raise InvalidAnswer("not_a_number")
    return number


def _option_index(options: list[Option] | list[Text], value: Any) -> int:
    """An option given by its 0-based index or by its text in either language."""
    if isinstance(value, bool):
        raise InvalidAnswer("choose_one")
    if isinstance(value, int):
        if 0 <= value < len(options):
            return value
        raise InvalidAnswer("unknown_option")
    if isinstance(value, str):
        wanted = normalise_text(value)
        for index, option in enumerate(options):
            text = option.text if isinstance(option, Option) else option
            if wanted in (normalise_text(text.en), normalise_text(text.de)):
                return index
        raise InvalidAnswer("unknown_option")
    raise InvalidAnswer("choose_one")


class SingleChoice(_ItemBase):
    """Choose exactly one option; exactly one is correct."""

    type: Literal["single_choice"]
    options: list[Option] = Field(min_length=2)

    def _score(self, answer: Any, lang: str) -> Result:
        index = _option_index(self.options, answer)
        option = self.options[index]
        reply = _Reply()
        reply.add(option.feedback, lang, None if option.correct else option.misconception)
        return _finish(
            self, lang, "correct" if option.correct else "wrong", 1.0 if option.correct else 0.0, index, reply
        )


class MultipleChoice(_ItemBase):
    """Select all that apply.

    Partial credit: with k correct options, each correct option ticked earns 1/k of the points and
    each wrong option ticked costs 1/k; the score never goes below zero.
    """

    type: Literal["multiple_choice"]
    options: list[Option] = Field(min_length=2)

    def _score(self, answer: Any, lang: str) -> Result:
        if isinstance(answer, (str, int)) and not isinstance(answer, bool):
            answer = [answer]
        if not isinstance(answer, (list, tuple, set, frozenset)):
            raise InvalidAnswer("choose_one")
        chosen = sorted({_option_index(self.options, value) for value in answer})
        correct = {i for i, option in enumerate(self.options) if option.correct}
        reply = _Reply()
        for index in chosen:
            option = self.options[index]
            reply.add(option.feedback, lang, None if option.correct else option.misconception)
        if correct - set(chosen):
            reply.feedback.append(msg("mc_missed", lang))
        hits = len(correct & set(chosen))
        misses = len(set(chosen) - correct)
        fraction = max(0.0, (hits - misses) / len(correct))
        status: Status = "correct" if set(chosen) == correct else ("partly" if fraction > 0 else "wrong")
        if status == "partly":
            reply.feedback.append(msg("mc_rule", lang))
        return _finish(self, lang, status, fraction, chosen, reply)


_TRUE_WORDS = {"true", "wahr", "richtig", "yes", "ja", "t", "w", "y", "j", "1"}
_FALSE_WORDS = {"false", "falsch", "no", "nein", "f", "n", "0"}


class TrueFalse(_ItemBase):
    """A statement that is true or false; the wrong answer has its feedback and misconception."""

    type: Literal["true_false"]
    answer: bool
    feedback: Text = Field(description="Shown to a student who picks the wrong truth value")
    misconception: Slug

    def _score(self, answer: Any, lang: str) -> Result:
        if isinstance(answer, str):
            word = normalise_text(answer)
            if word in _TRUE_WORDS:
                answer = True
            elif word in _FALSE_WORDS:
                answer = False
        if isinstance(answer, int) and not isinstance(answer, bool) and answer in (0, 1):
            answer = bool(answer)
        if not isinstance(answer, bool):
            raise InvalidAnswer("choose_true_false")
        reply = _Reply()
        if answer != self.answer:
            reply.add(self.feedback, lang, self.misconception)
            return _finish(self, lang, "wrong", 0.0, answer, reply)
        return _finish(self, lang, "correct", 1.0, answer, reply)


class Numeric(_ItemBase):
    """A number, right within an absolute or relative tolerance of `value`, or inside `range`."""

    type: Literal["numeric"]
    value: float | None = None
    tolerance: float = Field(default=0.0, ge=0)
    relative_tolerance: float = Field(default=0.0, ge=0)
    range: tuple[float, float] | None = None
    percent: bool = Field(default=False, description="The answer is a percentage; '50 %' is accepted")
    unit: Text | None = None
    traps: list[NumericTrap] = Field(default_factory=list)
    feedback: Text = Field(description="Shown for a wrong number that no trap explains")
    misconception: Slug

    def accepts(self, number: float) -> bool:
        if self.range is not None:
            low, high = self.range
            return low <= number <= high
        assert self.value is not None  # guaranteed by the bank rules
        allowed = max(self.tolerance, abs(self.value) * self.relative_tolerance)
        return abs(number - self.value) <= allowed + 1e-12

    def _score(self, answer: Any, lang: str) -> Result:
        number = parse_number(answer, self.percent)
        reply = _Reply()
        if self.accepts(number):
            return _finish(self, lang, "correct", 1.0, number, reply)
        for trap in self.traps:
            if abs(number - trap.value) <= trap.tolerance + 1e-12:
                reply.add(trap.feedback, lang, trap.misconception)
                break
        else:
            if self.percent and self.accepts(number * 100):
                reply.feedback.append(_SHARE_NOT_PERCENT.get(lang))
                reply.misconceptions.append("share-not-percent")
            else:
                reply.add(self.feedback, lang, self.misconception)
        return _finish(self, lang, "wrong", 0.0, number, reply)


_SHARE_NOT_PERCENT = Text(
    en="That looks like a share (0 to 1); the question asks for a percentage (0 to 100).",
    de="Das sieht nach einem Anteil (0 bis 1) aus; gefragt ist ein Prozentwert (0 bis 100).",
)


class ShortText(_ItemBase):
    """A word or short phrase, compared after folding case, spaces, umlauts and ß."""

    type: Literal["short_text"]
    accepted: list[str] = Field(min_length=1)
    fuzzy: float | None = Field(
        default=None, gt=0, le=1, description="Similarity (0–1) that still counts as right, e.g. 0.85"
    )
    traps: list[TextTrap] = Field(default_factory=list)
    feedback: Text
    misconception: Slug

    def _score(self, answer: Any, lang: str) -> Result:
        if not isinstance(answer, str):
            raise InvalidAnswer("type_text")
        given = normalise_text(answer)[:500]
        reply = _Reply()
        wanted = [normalise_text(a) for a in self.accepted]
        if given in wanted or (
            self.fuzzy is not None
            and max(difflib.SequenceMatcher(None, given, w).ratio() for w in wanted) >= self.fuzzy
        ):
            return _finish(self, lang, "correct", 1.0, answer.strip(), reply)
        for trap in self.traps:
            if given == normalise_text(trap.answer):
                reply.add(trap.feedback, lang, trap.misconception)
                break
        else:
            reply.add(self.feedback, lang, self.misconception)
        return _finish(self, lang, "wrong", 0.0, answer.strip(), reply)


class Matching(_ItemBase):
    """Match each left-hand prompt to one right-hand option; `distractors` are extra wrong options."""

    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=2)
    distractors: list[Text] = Field(default_factory=list)

    @property
    def right_options(self) -> list[Text]:
        """Right-hand options in a fixed order that does not give the pairs away."""
        return sorted([p.right for p in self.pairs] + list(self.distractors), key=lambda t: t.en.casefold())

    def _score(self, answer: Any, lang: str) -> Result:
        rights = self.right_options
        lefts = [p.left for p in self.pairs]
        chosen: list[int | None] = [None] * len(self.pairs)
        if isinstance(answer, dict):
            for key, value in answer.items():
                left = _option_index(lefts, key)
                chosen[left] = None if _is_empty(value) else _option_index(rights, value)
        elif isinstance(answer, (list, tuple)) and len(answer) == len(self.pairs):
            chosen = [None if _is_empty(v) else _option_index(rights, v) for v in answer]
        else:
            raise InvalidAnswer("match_all")
        reply = _Reply()
        hits = 0
        for pair, index in zip(self.pairs, chosen, strict=False):
            left = pair.left.get(lang)
            if index is None:
                reply.feedback.append(msg("pair_missing", lang, left=left))
            elif rights[index] == pair.right:
                hits += 1
            else:
                reply.feedback.append(msg("pair_wrong", lang, left=left, right=rights[index].get(lang)))
                reply.add(pair.feedback, lang, pair.misconception)
        fraction = hits / len(self.pairs)
        status: Status = "correct" if hits == len(self.pairs) else ("partly" if hits else "wrong")
        return _finish(self, lang, status, fraction, chosen, reply)


Item = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Numeric | ShortText | Matching,
    Field(discriminator="type"),
]
ITEM_TYPES = ("single_choice", "multiple_choice", "true_false", "numeric", "short_text", "matching")


class Bank(_Strict):
    """One lesson's quiz bank: its items and the misconceptions its wrong answers reveal."""

    lesson: str = Field(min_length=1, description="Lesson notebook stem, e.g. '01-digital-natives'")
    title: Text
    misconceptions: dict[Slug, Text] = Field(
        description="Every misconception id used by a wrong answer, described for the instructor"
    )
    items: list[Item] = Field(min_length=1)


def score_answer(item: _ItemBase, answer: Any, lang: str = "en") -> Result:
    """Score any value against any item. Never raises: unreadable input gives an 'invalid' result."""
    if _is_empty(answer):
        return _unreadable(item, lang, "unanswered", msg("unanswered", lang))
    try:
        return item._score(answer, lang)  # type: ignore[attr-defined]
    except InvalidAnswer as problem:
        key = str(problem)
        shown = repr(answer)[:60]
        return _unreadable(
            item, lang, "invalid", msg(key, lang, value=shown) if "{" in msg(key, "en") else msg(key, lang)
        )
    except (TypeError, ValueError, OverflowError, RecursionError):
        return _unreadable(item, lang, "invalid", msg("choose_one", lang))
