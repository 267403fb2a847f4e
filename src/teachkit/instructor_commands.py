"""The instructor's commands: item analysis, Moodle export, synthetic class and student bundle.

Thin shells: each parses its arguments, calls one function and reports in a sentence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .quiz.model import Bank


def _banks(paths: list[str] | None) -> list[Bank]:
    """The banks given, or the course's own."""
    from .quiz.bank import bank_paths, read_banks

    if not paths:
        return list(read_banks(bank_paths()).values())
    files = [f for p in map(Path, paths) for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    return list(read_banks(files).values())


def _report(args: argparse.Namespace) -> int:
    from .analytics import analyse_files
    from .analytics_report import write_report
    from .course import CourseNotFoundError
    from .quiz.bank import BankError

    try:
        banks: list[Bank] | None = _banks(args.banks)
    except CourseNotFoundError:
        banks = None
        print(
            "No course folder found, so the quiz banks are unknown: the report uses what the "
            "records say (no option texts). Give --banks quizzes/ to fix this.",
            file=sys.stderr,
        )
    except BankError as problem:
        print(problem, file=sys.stderr)
        return 1
    analysis = analyse_files(
        args.responses, banks=banks, attempts=args.attempts, missing=args.missing, min_n=args.min_n, lang=args.lang
    )
    for skipped in analysis.skipped_files:
        print(f"skipped {skipped.file}: {skipped.reason}", file=sys.stderr)
    if not analysis.used_files:
        print("No usable response file: nothing to analyse.", file=sys.stderr)
        return 1
    write_report(analysis, args.out)
    dubious = int((analysis.items["dubious"] == "yes").sum())
    print(
        f"Analysed {len(analysis.used_files)} student file(s) ({args.attempts} attempts); "
        f"{dubious} dubious item(s). Read {Path(args.out) / 'summary.md'}."
    )
    return 0


def _export_gift(args: argparse.Namespace) -> int:
    from .gift import GiftError, export_gift
    from .quiz.bank import BankError

    try:
        banks = _banks(args.banks)
        text = export_gift(banks, args.lang, args.category_root)
    except (BankError, GiftError) as problem:
        print(problem, file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    count = sum(len(b.items) for b in banks)
    print(
        f"Wrote {count} question(s) in {len(banks)} categories to {out}. In Moodle: Question "
        "bank → Import → GIFT format."
    )
    return 0


def _synthetic_class(args: argparse.Namespace) -> int:
    from .synthetic_class import write_class

    facts = write_class(
        args.out,
        _banks(args.banks),
        n_students=args.students,
        seed=args.seed,
        misconception=args.misconception,
        bad_item=args.bad_item,
    )
    print(
        f"Wrote {len(facts.students)} synthetic response files to {Path(args.out) / 'responses'} "
        f"(planted: misconception {facts.misconception!r} in {len(facts.holders)} students, bad "
        f"item {facts.bad_item!r}); the truth is in {Path(args.out) / 'planted-facts.json'}."
    )
    return 0


def _release(args: argparse.Namespace) -> int:
    from .release import ReleaseError, build_release

    try:
        result = build_release(args.out, zip_bundle=args.zip, force=args.force, lang=args.lang)
    except ReleaseError as problem:
        print(problem, file=sys.stderr)
        return 1
    for line in result.problems:
        print(line, file=sys.stderr)
    if result.problems:
        print(
            f"The bundle in {result.bundle} leaks instructor material "
            f"({len(result.problems)} finding(s)); do not hand it out.",
            file=sys.stderr,
        )
        return 1
    where = f" and {result.archive}" if result.archive else ""
    print(
        f"Wrote the student bundle ({len(result.files)} files) to {result.bundle}{where}; the leak audit found nothing."
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="item analysis of the response files students handed in")
    p.add_argument("responses", nargs="+", help="exported response files, or folders of them")
    p.add_argument("--out", required=True, help="folder for the tables, summary and charts")
    p.add_argument(
        "--attempts",
        choices=("first", "last"),
        default="first",
        help="which attempt at each item counts (default: first, as in Moodle)",
    )
    p.add_argument(
        "--missing",
        choices=("skip", "zero"),
        default="skip",
        help="students who left items of a lesson unanswered: leave them out of that "
        "lesson's quiz statistics (skip, default) or count the gaps as 0 (zero)",
    )
    p.add_argument(
        "--min-n", type=int, default=10, help="attempts an item needs before it is judged dubious (default 10)"
    )
    p.add_argument("--banks", nargs="*", help="bank files or folders (default: the course's)")
    p.add_argument("--lang", choices=("en", "de"), default="en", help="language of option texts")
    p.set_defaults(run=_report)

    p = sub.add_parser("export-gift", help="write every quiz bank as Moodle GIFT")
    p.add_argument("--out", required=True, help="file to write, e.g. quizzes-en.gift.txt")
    p.add_argument("--lang", choices=("en", "de"), default="en", help="language (default en)")
    p.add_argument(
        "--category-root",
        default="$course$/top",
        help="Moodle category the lessons go under (default: the course's top)",
    )
    p.add_argument("--banks", nargs="*", help="bank files or folders (default: the course's)")
    p.set_defaults(run=_export_gift)

    p = sub.add_parser("synthetic-class", help="simulated response files with planted facts, to try `report` on")
    p.add_argument("--out", required=True, help="folder to write responses/ and planted-facts.json")
    p.add_argument("--students", type=int, default=60, help="how many students (default 60)")
    p.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
    p.add_argument("--misconception", help="misconception id to plant (default: chosen)")
    p.add_argument("--bad-item", help="item id to plant as a bad item (default: chosen)")
    p.add_argument("--banks", nargs="*", help="bank files or folders (default: the course's)")
    p.set_defaults(run=_synthetic_class)

    p = sub.add_parser("release", help="build the bundle students receive, and audit it for leaks")
    p.add_argument("--out", required=True, help="folder to write the bundle into")
    p.add_argument("--zip", action="store_true", help="also write OUT.zip")
    p.add_argument(
        "--force", action="store_true", help="replace an earlier bundle in OUT (only one made by this command)"
    )
    p.add_argument(
        "--lang",
        default="both",
        choices=["en", "de", "both"],
        help="which edition students get: English, German (notebooks/de, exercises/de) or both (default)",
    )
    p.set_defaults(run=_release)
