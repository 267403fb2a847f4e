"""`python -m teachkit translate extract | status | check | build`: thin shells over translation logic."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..reporting import report


def _sources(args: argparse.Namespace) -> tuple[Path, list[Path]]:
    """The course root and the English notebooks named (by path or stem), or all of them."""
    from ..course import course_root
    from .units import source_notebooks

    root = course_root()
    every = source_notebooks(root)
    if not args.notebooks:
        return root, every
    chosen = []
    for name in args.notebooks:
        stem = Path(name).stem
        match = [p for p in every if p.stem == stem]
        if not match:
            raise SystemExit(
                f"{name}: not an English lesson or solution notebook of this course "
                "(give e.g. notebooks/00-start-here.ipynb or 00-start-here)."
            )
        chosen += match
    return root, chosen


def _extract(args: argparse.Namespace) -> int:
    from .units import extract, relative

    root, sources = _sources(args)
    changed = 0
    for source in sources:
        try:
            result = extract(source, args.lang, root)
        except (ValueError, RuntimeError) as problem:
            print(problem, file=sys.stderr)
            return 1
        changed += result.written
        notes = []
        if result.added:
            notes.append(f"{result.added} new")
        if result.fuzzy:
            notes.append(f"{len(result.fuzzy)} now fuzzy")
        if result.obsolete:
            notes.append(f"{len(result.obsolete)} gone")
        state = "written" if result.written else "unchanged"
        print(
            f"{relative(result.po, root)}: {state}, {result.units} unit(s)"
            + (f" ({', '.join(notes)})" if notes else "")
        )
        for gone in result.obsolete:
            print(f"  cell gone (kept as #~ obsolete entry if it was translated): {gone}")
    print(f"{changed} of {len(sources)} file(s) changed.")
    return 0


def _status(args: argparse.Namespace) -> int:
    from .units import status

    root, sources = _sources(args)
    rows = [status(source, args.lang, root) for source in sources]
    width = max([len(r.name) for r in rows] + [8])
    print(f"{'notebook':<{width}}  units  translated      fuzzy         missing")
    for r in rows:
        print(
            f"{r.name:<{width}}  {r.total:5}  {r.translated:4} {r.percent(r.translated):5.1f} %  "
            f"{r.fuzzy:4} {r.percent(r.fuzzy):5.1f} %  {r.missing:4} {r.percent(r.missing):5.1f} %"
        )
    total = sum(r.total for r in rows)
    done = sum(r.translated for r in rows)
    share = 100.0 * done / total if total else 100.0
    print(
        f"{'all':<{width}}  {total:5}  {done:4} {share:5.1f} %  {sum(r.fuzzy for r in rows):4}          "
        f"{sum(r.missing for r in rows):4}"
    )
    incomplete = [r.name for r in rows if not r.complete]
    if args.strict and incomplete:
        print(f"Not fully translated: {', '.join(incomplete)}.", file=sys.stderr)
        return 1
    return 0


def _check(args: argparse.Namespace) -> int:
    from .units import check_po

    root, sources = _sources(args)
    problems = [p for source in sources for p in check_po(source, args.lang, root)]
    return report(
        problems, f"{len(problems)} problem(s) in the translation files.", f"{len(sources)} translation file(s) OK."
    )


def _build(args: argparse.Namespace) -> int:
    from .build import BuildRefused, build_all

    root, sources = _sources(args)
    try:
        results = build_all(
            sources,
            args.lang,
            root,
            allow_incomplete=args.allow_incomplete,
            execute=not args.no_execute,
            check=args.check,
            timeout=args.timeout,
        )
    except BuildRefused as problem:
        print(problem, file=sys.stderr)
        return 1
    failed = 0
    for result in results:
        print(result.line())
        failed += bool(result.problem)
    if args.check:
        stale = [r for r in results if r.changed]
        return 1 if stale or failed else 0
    return 1 if failed else 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("translate", help="the German edition: extract, status, check and build translations")
    tsub = p.add_subparsers(dest="translate_command", required=True, metavar="STEP")

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("notebooks", nargs="*", help="English notebooks or stems (default: every lesson and solution)")
        q.add_argument("--lang", default="de", choices=["de"], help="target language (default de)")

    q = tsub.add_parser("extract", help="create/update translations/<lang>/*.po from the English notebooks")
    common(q)
    q.set_defaults(run=_extract)

    q = tsub.add_parser("status", help="translated, fuzzy and missing units per notebook")
    common(q)
    q.add_argument("--strict", action="store_true", help="exit 1 unless every notebook is fully translated")
    q.set_defaults(run=_status)

    q = tsub.add_parser("check", help="validate .po files: syntax, cell ids, markers, placeholders, headings")
    common(q)
    q.set_defaults(run=_check)

    q = tsub.add_parser("build", help="write and execute notebooks/<lang>/, solutions/<lang>/, exercises/<lang>/")
    common(q)
    q.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="keep English (visibly marked) for missing or fuzzy units instead of refusing",
    )
    q.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    q.add_argument("--check", action="store_true", help="only report German notebooks that are out of date")
    q.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    q.set_defaults(run=_build)
