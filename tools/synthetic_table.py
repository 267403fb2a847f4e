"""The one way the seeded scripts in tools/ write a synthetic table, or check that it is current."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def write_or_check(out: Path, text: str, script: str, rows: str, argv: list[str] | None = None) -> int:
    """Write `text` to `out`, or with --check exit 1 when the committed file differs from it.

    `script` is the command that rebuilds the file; `rows` names what a row is ("reviews").
    """
    parser = argparse.ArgumentParser(description=f"Write data/{out.name} (synthetic, seeded).")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the committed file differs from a new build"
    )
    args = parser.parse_args(argv)
    count = text.count("\n") - 1
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out.name} is out of date: run python {script}", file=sys.stderr)
            return 1
        print(f"{out.name} is up to date ({count} {rows}).")
        return 0
    out.write_text(text, encoding="utf-8", newline="\n")
    print(f"Wrote {out.name} ({count} {rows}).")
    return 0
