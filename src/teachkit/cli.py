"""`python -m teachkit …`: the course's command line. Each command is a thin shell over a function."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .reporting import report

# Other parts of the engine add their commands here: each module named has
# `add_commands(subparsers)`. One line per module keeps this file small and merge-friendly.
EXTENSIONS: list[str] = [
    "teachkit.lesson_commands",
    "teachkit.instructor_commands",
    "teachkit.authoring.commands",
    "teachkit.grading.commands",
    "teachkit.loop_commands",
    "teachkit.site_commands",
    "teachkit.translation.commands",
]


def _check_banks(args: argparse.Namespace) -> int:
    from .quiz.bank import bank_paths, check_banks

    paths = [Path(p) for p in args.paths] or bank_paths()
    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    if not files:
        print("No bank files found: give .yaml files or a folder that holds them.", file=sys.stderr)
        return 1
    problems = check_banks(files)
    if not problems:
        _print_bank_quality(files)
    return report(problems, f"{len(problems)} problem(s) in {len(files)} bank(s).", f"{len(files)} bank(s) OK.")


def _print_bank_quality(files: list[Path]) -> None:
    """Each bank's cognitive levels, and warnings about options that give the answer away (lint fails on them)."""
    from .quiz.bank import display_path, read_bank
    from .quiz.quality import level_profile, longest_option_score, quality_warnings, shortest_option_score

    warnings: list[str] = []
    items = []
    print("Cognitive levels per bank (lint requires >= 60 % apply or above, <= 25 % remember):")
    for path in files:
        bank = read_bank(path)
        items += bank.items
        profile = level_profile(bank.items)
        flag = "  <- " + "; ".join(profile.problems()) if profile.problems() else ""
        print(f"  {bank.lesson}: {profile.line()}{flag}")
        warnings += quality_warnings(bank.items, display_path(path))
    for name, score in (("longest", longest_option_score), ("shortest", shortest_option_score)):
        print(
            f"Always picking the {name} option would score {score(items, 'en'):.0%} (English) / "
            f"{score(items, 'de'):.0%} (German) of the single-choice items."
        )
    for warning in warnings:
        print(f"warning: {warning}")


def _schema(args: argparse.Namespace) -> int:
    from .course import course_root
    from .quiz.bank import schema_text

    out = Path(args.out) if args.out else course_root() / "quizzes" / "schema.json"
    out.write_text(schema_text(), encoding="utf-8")
    print(f"Wrote {out}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from .responses import ResponseLog

    log = ResponseLog(args.responses) if args.responses else ResponseLog()
    try:
        count = log.export(args.name, args.out)
    except ValueError as problem:
        print(problem, file=sys.stderr)
        return 1
    print(f"Wrote {count} answer(s) for {args.name!r} to {args.out}. Hand in this file; nothing was sent.")
    return 0


def _data_readme(args: argparse.Namespace) -> int:
    from .data import package_path, readme_text

    out = package_path().parent / "README.md"
    out.write_text(readme_text(), encoding="utf-8")
    print(f"Wrote {out}")
    return 0


def _execute(args: argparse.Namespace) -> int:
    from .notebooks import execute_in_place

    paths = [Path(p) for p in args.paths]
    failed = 0
    for path in paths:
        try:
            seconds = execute_in_place(path, timeout=args.timeout)
        except Exception as problem:  # report and go on with the next notebook
            failed += 1
            print(f"{path}: failed: {str(problem).splitlines()[-1] if str(problem) else problem!r}", file=sys.stderr)
        else:
            print(f"{path}: executed in {seconds:.1f} s")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="teachkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check-banks", help="validate quiz banks (all of the course's by default)")
    p.add_argument("paths", nargs="*", help="bank files or folders")
    p.set_defaults(run=_check_banks)

    p = sub.add_parser("schema", help="write quizzes/schema.json from the models")
    p.add_argument("--out", help="where to write it (default: quizzes/schema.json)")
    p.set_defaults(run=_schema)

    p = sub.add_parser("export-responses", help="write the file a student hands in")
    p.add_argument("--name", required=True, help="your self-chosen pseudonym")
    p.add_argument("--out", required=True, help="file to write, e.g. blue-falcon-17.json")
    p.add_argument("--responses", help="responses file to read (default: the course's)")
    p.set_defaults(run=_export)

    p = sub.add_parser("data-readme", help="write data/README.md from data/datapackage.json")
    p.set_defaults(run=_data_readme)

    p = sub.add_parser("execute", help="re-run notebooks in place so committed outputs stay fresh")
    p.add_argument("paths", nargs="+", help="notebooks to execute")
    p.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    p.set_defaults(run=_execute)

    for module in EXTENSIONS:
        try:
            extension = importlib.import_module(module)
        except ModuleNotFoundError as missing:
            if not (missing.name and f"{module}.".startswith(f"{missing.name}.")):
                raise  # a module that is there but broken must not hide
            continue  # the student bundle leaves instructor commands out (release.STUDENT_RUNTIME)
        extension.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
