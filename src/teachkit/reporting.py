"""How every checking command ends: problems to stderr with a summary, or one line of success."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def report(problems: Sequence[object], failed: str, ok: str) -> int:
    """Print each problem and the `failed` summary to stderr, or `ok` to stdout; return the exit code."""
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(failed, file=sys.stderr)
        return 1
    print(ok)
    return 0
