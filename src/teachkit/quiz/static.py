"""A quiz as static HTML: the questions, their options and a disclosure with the answer and why.

This is what a reader sees where no kernel runs: the course website, GitHub and nbviewer. It needs
no JavaScript (a `<details>` element opens with a click, Enter or Space) and is built from the banks
only, so it can never disagree with what the widget scores.
"""

from __future__ import annotations

import html

from ..course import edition_language
from ..messages import msg
from ..sections import localized_see
from .model import Matching, MultipleChoice, Numeric, ShortText, SingleChoice, TrueFalse
from .render import markdown_to_html
from .session import entry

# Inline, because a notebook output carries no stylesheet; kept small and theme-neutral.
_CSS = "border:1px solid #8a8a8a;border-radius:4px;padding:0.5em 0.9em;margin:0.6em 0;max-width:52rem;line-height:1.45"


def _number(value: float) -> str:
    return f"{value:g}"


def _see_link(see: str, link_prefix: str) -> str:
    """'01-digital-natives#Cohorts' → a link to that section of the lesson notebook."""
    lesson, _, anchor = see.partition("#")
    target = f"{link_prefix}{lesson}.ipynb" + (f"#{anchor}" if anchor else "")
    label = anchor.replace("-", " ") if anchor else lesson
    return f'<a href="{html.escape(target, quote=True)}">{html.escape(label)}</a>'


def _options_html(item, lang: str) -> str:
    if isinstance(item, (SingleChoice, MultipleChoice)):
        items = "".join(f"<li>{markdown_to_html(o.text.get(lang))}</li>" for o in item.options)
        hint = msg("static_choose_one" if isinstance(item, SingleChoice) else "static_choose_all", lang)
        return f'<p><em>{html.escape(hint)}</em></p><ol type="A">{items}</ol>'
    if isinstance(item, TrueFalse):
        return f"<p><em>{html.escape(msg('choose_true_false', lang))}</em></p>"
    if isinstance(item, Numeric):
        return f"<p><em>{html.escape(msg('static_type_number', lang))}</em></p>"
    if isinstance(item, ShortText):
        return f"<p><em>{html.escape(msg('type_text', lang))}</em></p>"
    if isinstance(item, Matching):
        lefts = "".join(f"<li>{markdown_to_html(p.left.get(lang))}</li>" for p in item.pairs)
        rights = "".join(f"<li>{markdown_to_html(t.get(lang))}</li>" for t in item.right_options)
        return (
            f"<p><em>{html.escape(msg('match_all', lang))}</em></p>"
            f"<ol>{lefts}</ol><p>{html.escape(msg('static_options', lang))}</p><ul>{rights}</ul>"
        )
    raise TypeError(f"No static form for item type {type(item).__name__}.")


def _answer_html(item, lang: str) -> str:
    if isinstance(item, (SingleChoice, MultipleChoice)):
        letters = [chr(ord("A") + i) for i, o in enumerate(item.options) if o.correct]
        texts = [markdown_to_html(o.text.get(lang)) for o in item.options if o.correct]
        return f"<p><strong>{', '.join(letters)}</strong></p>" + "".join(texts)
    if isinstance(item, TrueFalse):
        return f"<p><strong>{html.escape(msg('true' if item.answer else 'false', lang))}</strong></p>"
    if isinstance(item, Numeric):
        if item.range is not None:
            shown = f"{_number(item.range[0])} – {_number(item.range[1])}"
        else:
            assert item.value is not None  # guaranteed by the bank rules
            shown = _number(item.value) + (" %" if item.percent else "")
        if lang == "de":
            shown = shown.replace(".", ",")
        return f"<p><strong>{html.escape(shown)}</strong></p>"
    if isinstance(item, ShortText):
        return f"<p><strong>{html.escape(item.accepted[0])}</strong></p>"
    if isinstance(item, Matching):
        rows = "".join(
            f"<li>{markdown_to_html(p.left.get(lang))} → {markdown_to_html(p.right.get(lang))}</li>" for p in item.pairs
        )
        return f"<ul>{rows}</ul>"
    raise TypeError(f"No static form for item type {type(item).__name__}.")


def item_html(item_id: str, number: int, lang: str, link_prefix: str = "") -> str:
    """One question as a self-check: heading, options, and a closed "Show answer and why"."""
    item = entry(item_id).item
    see = localized_see(item.see, edition_language() or "en")  # the heading beside this notebook
    heading = msg("question_n", lang, n=number)
    parts = [
        f'<h4 style="margin:0.3em 0">{html.escape(heading)}</h4>',
        markdown_to_html(item.question.get(lang)),
        _options_html(item, lang),
        f"<details><summary>{html.escape(msg('static_show', lang))}</summary>",
        _answer_html(item, lang),
        f"<p><strong>{html.escape(msg('why', lang))}:</strong></p>",
        markdown_to_html(item.explanation.get(lang)),
        f"<p>{html.escape(msg('see', lang))}: {_see_link(see, link_prefix)}</p>",
        "</details>",
    ]
    return f'<section class="teachkit-static-item" lang="{lang}" style="{_CSS}">{"".join(parts)}</section>'


def quiz_html(item_ids: list[str], lang: str, link_prefix: str = "") -> str:
    """A whole quiz cell as static HTML, with a note that it is interactive in JupyterLab.

    "Read again" links go to `<link_prefix><lesson>.ipynb#<section>`: beside the lesson by default.
    """
    items = "".join(item_html(i, n, lang, link_prefix) for n, i in enumerate(item_ids, start=1))
    note = html.escape(msg("static_note", lang))
    return f'<div class="teachkit-static-quiz" lang="{lang}"><p><em>{note}</em></p>{items}</div>'
