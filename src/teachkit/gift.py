"""Moodle GIFT export of the quiz banks, so every item can be reused in a Moodle course.

GIFT is Moodle's plain-text question format (question/format/gift/format.php). One category per
lesson, one question per item named by its id, per-answer feedback after '#', and the item's
explanation as general feedback after '####'. Texts are marked '[markdown]' because bank texts use
a small Markdown subset, and every character GIFT reserves (backslash, ~ = # { } :) is escaped.

GIFT cannot escape '->', so such an arrow becomes '→'. What GIFT cannot carry is said in a
comment above the question: points other than 1 (set the
default mark after import), fuzzy text matching, our folding of umlauts (the folded spellings are
added as extra accepted answers instead) and typing '50 %' into a number field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .quiz.model import _SHARE_NOT_PERCENT as SHARE_NOT_PERCENT
from .quiz.model import (
    Bank,
    Matching,
    MultipleChoice,
    Numeric,
    ShortText,
    SingleChoice,
    Text,
    TrueFalse,
    normalise_text,
)

_RESERVED = [
    ("\\", "\\\\"),
    ("~", "\\~"),
    ("=", "\\="),
    ("#", "\\#"),
    ("{", "\\{"),
    ("}", "\\}"),
    (":", "\\:"),
    ("\r", ""),
    ("\n", "\\n"),
]
# Moodle matches imported weights against its list of allowed grades (within 1e-5), and that list
# holds 1/k only for k = 1..10 and 20.
_ALLOWED_SPLITS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20)
_PERCENT_HINT = Text(en="in %, type the number only", de="in %, nur die Zahl eingeben")


class GiftError(ValueError):
    """An item GIFT cannot express faithfully; the message names the item and what to change."""


def escape(text: str) -> str:
    """Escape GIFT's reserved characters (the backslash first, so escapes are not doubled).

    GIFT has no escape for '->' (it marks a matching pair, even inside another question type's
    feedback), so an arrow typed as '->' is written as '→'.
    """
    text = text.replace("->", "→")
    for old, new in _RESERVED:
        text = text.replace(old, new)
    return text


def _comment(text: str) -> str:
    """Text for a '//' comment line: a line break would end the comment and break the question."""
    return " ".join(text.split())


def number(value: float) -> str:
    """A number as GIFT (and PHP's is_numeric) reads it: 1997, 4.78, 0.0005."""
    return f"{value:.12g}"


def weight(fraction: float) -> str:
    """A Moodle answer weight in percent, to the 5 decimals Moodle's grade list is matched with."""
    text = f"{100 * fraction:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _answer(prefix: str, text: str, feedback: Text | None, lang: str) -> str:
    line = f"\t{prefix}{escape(text)}"
    if feedback is not None:
        line += f"#{escape(feedback.get(lang))}"
    return line


def _question_text(item: Any, lang: str) -> str:
    text = item.question.get(lang)
    if isinstance(item, Numeric):
        unit = item.unit.get(lang) if item.unit else None
        hint = _PERCENT_HINT.get(lang) if item.percent else None
        extra = "; ".join(x for x in (unit, hint) if x)
        if extra:
            text = f"{text} ({extra})"
    return text


def accepted_spellings(item: ShortText) -> list[str]:
    """The accepted answers plus their folded spellings (ä → ae, ß → ss), without repeats."""
    spellings: list[str] = []
    for answer in item.accepted:
        for candidate in (answer, normalise_text(answer)):
            if candidate and candidate.casefold() not in {s.casefold() for s in spellings}:
                spellings.append(candidate)
    return spellings


def _moodle_shortanswer(text: str) -> str:
    """Moodle's short-answer matching treats '*' as a wildcard; a literal one is written '\\*'."""
    return escape(text).replace("*", "\\*")


def _answers(item: Any, lang: str) -> list[str]:
    """The lines between the braces, without the general feedback."""
    if isinstance(item, SingleChoice):
        return [_answer("=" if o.correct else "~%0%", o.text.get(lang), o.feedback, lang) for o in item.options]
    if isinstance(item, MultipleChoice):
        k = sum(o.correct for o in item.options)
        if k not in _ALLOWED_SPLITS:
            raise GiftError(
                f"item {item.id!r}: {k} correct options give weights of 1/{k}, which "
                "Moodle cannot import; use at most 10 correct options (or 20)"
            )
        share = weight(1 / k)
        return [
            _answer(f"~%{share}%" if o.correct else f"~%-{share}%", o.text.get(lang), o.feedback, lang)
            for o in item.options
        ]
    if isinstance(item, TrueFalse):
        return [f"{'TRUE' if item.answer else 'FALSE'}#{escape(item.feedback.get(lang))}"]
    if isinstance(item, Numeric):
        if item.range is not None:
            right = f"{number(item.range[0])}..{number(item.range[1])}"
            low, high = item.range
        else:
            assert item.value is not None  # the bank rules guarantee value or range
            allowed = max(item.tolerance, abs(item.value) * item.relative_tolerance)
            right = f"{number(item.value)}:{number(allowed)}"
            low, high = item.value - allowed, item.value + allowed
        lines = [f"\t=%100%{right}"]
        lines += [f"\t=%0%{number(t.value)}:{number(t.tolerance)}#{escape(t.feedback.get(lang))}" for t in item.traps]
        if item.percent:
            lines.append(f"\t=%0%{number(low / 100)}..{number(high / 100)}#{escape(SHARE_NOT_PERCENT.get(lang))}")
        lines.append(f"\t~#{escape(item.feedback.get(lang))}")
        return lines
    if isinstance(item, ShortText):
        lines = [f"\t=%100%{_moodle_shortanswer(a)}" for a in accepted_spellings(item)]
        lines += [f"\t=%0%{_moodle_shortanswer(t.answer)}#{escape(t.feedback.get(lang))}" for t in item.traps]
        lines.append(f"\t=%0%*#{escape(item.feedback.get(lang))}")
        return lines
    if isinstance(item, Matching):
        lines = []
        for pair in item.pairs:
            lines.append(f"\t={escape(pair.left.get(lang))} -> {escape(pair.right.get(lang))}")
        lines += [f"\t= -> {escape(d.get(lang))}" for d in item.distractors]
        return lines
    raise GiftError(f"item {getattr(item, 'id', '?')!r}: no GIFT form for type {type(item).__name__}")


def general_feedback(item: Any, lang: str) -> str:
    """The explanation; for matching also each pair's note, which GIFT has no other place for."""
    text = item.explanation.get(lang)
    if isinstance(item, Matching):
        notes = "\n".join(f"- {p.left.get(lang)}: {p.feedback.get(lang)}" for p in item.pairs)
        text = f"{text}\n\n{notes}"
    return text


def _remarks(item: Any) -> list[str]:
    remarks = []
    points = getattr(item, "points", 1.0)
    if points != 1:
        remarks.append(f"worth {points:g} points here: set the default mark to {points:g} after import")
    if isinstance(item, ShortText):
        remarks.append("accepted answers include folded spellings (ä→ae, ß→ss); Moodle compares without case")
        if item.fuzzy is not None:
            remarks.append(f"the course also accepts near misses (similarity ≥ {item.fuzzy:g}); Moodle does not")
    if isinstance(item, Numeric) and item.percent:
        remarks.append("Moodle's number field takes the number without '%'")
    if isinstance(item, Matching):
        remarks.append("per-pair feedback is in the general feedback")
    return remarks


def gift_question(item: Any, lang: str = "en") -> str:
    """One item as a GIFT question block (no blank line inside, as GIFT requires)."""
    item_id = item.id
    lines = [_comment(f"// {item_id} ({item.type}); read again: {item.see}")]
    lines += [f"// note: {_comment(r)}" for r in _remarks(item)]
    answers = _answers(item, lang)
    head = f"::{escape(item_id)}::[markdown]{escape(_question_text(item, lang))}"
    feedback = f"####{escape(general_feedback(item, lang))}"
    if isinstance(item, TrueFalse):
        lines.append(f"{head}{{{answers[0]}")
        lines.append(f"\t{feedback}}}")
    else:
        lines.append(head + "{" + ("#" if isinstance(item, Numeric) else ""))
        lines += answers
        lines.append(f"\t{feedback}")
        lines.append("}")
    return "\n".join(lines)


def export_gift(banks: Iterable[Bank], lang: str = "en", category_root: str = "$course$/top") -> str:
    """Every bank as GIFT text: a category per lesson, then its items in bank order."""
    if lang not in ("en", "de"):
        raise ValueError(f"Unknown language {lang!r}: choose en or de.")
    blocks = [
        "// Quiz items exported by teachkit in GIFT format "
        f"({'English' if lang == 'en' else 'German'}).\n"
        "// Import in Moodle: Question bank → Import → GIFT format. Notes above a question say "
        "what GIFT cannot carry.",
    ]
    for bank in sorted(banks, key=lambda b: b.lesson):
        category = f"{category_root.rstrip('/')}/{bank.lesson}"
        blocks.append(f"{_comment(f'// {bank.lesson}: {bank.title.get(lang)}')}\n$CATEGORY: {category}")
        blocks.extend(gift_question(item, lang) for item in bank.items)
    return "\n\n".join(blocks) + "\n"
