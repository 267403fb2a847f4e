"""Turn bank text into safe HTML: everything is escaped, then a small Markdown subset is applied.

Supported: **bold**, *italic*, `code`, [links](https://...), "- " bullet lists, blank-line
paragraphs. Anything else shows as typed, so a bank can never inject markup or script.
"""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")


def _inline(text: str) -> str:
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = _CODE.sub(keep_code, html.escape(text, quote=True))
    out = _LINK.sub(r'<a href="\2" target="_blank" rel="noopener noreferrer">\1</a>', out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _ITALIC.sub(r"<em>\1</em>", out)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], out)


def markdown_to_html(text: str) -> str:
    """Render the safe Markdown subset to HTML."""
    blocks = re.split(r"\n\s*\n", text.strip())
    parts: list[str] = []
    for block in blocks:
        lines = block.splitlines()
        if lines and all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return "".join(parts)


def inline_html(text: str) -> str:
    """The safe Markdown subset as phrasing content (no <p>, no lists), for a heading or legend:
    paragraphs and list items become lines."""
    blocks = re.split(r"\n\s*\n", text.strip())
    lines = [line.lstrip().removeprefix("- ") for block in blocks for line in block.splitlines() if line.strip()]
    return "<br>".join(_inline(line) for line in lines)


def plain_text(text: str) -> str:
    """The same text without Markdown marks, for places that cannot render HTML (option labels)."""
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    return _ITALIC.sub(r"\1", text)
