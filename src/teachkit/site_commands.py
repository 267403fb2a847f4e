"""`python -m teachkit site`: build the course website (a thin shell over `teachkit.site`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _site(args: argparse.Namespace) -> int:
    from .site import SiteError, SiteOptions, build_site

    try:
        import myst_nb  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except ImportError:
        print(
            "The site needs Sphinx, MyST-NB and the book theme: pip install -r requirements-dev.txt",
            file=sys.stderr,
        )
        return 1
    options = SiteOptions(
        repository=args.repository,
        student_repository=args.student_repository,
        hub=args.hub,
        branch=args.branch,
        languages=tuple(args.lang),
    )
    try:
        result = build_site(Path(args.out), options=options, force=args.force)
    except SiteError as failed:
        for problem in failed.problems:
            print(problem, file=sys.stderr)
        print(f"Site not built: {len(failed.problems)} problem(s) to fix (listed above).", file=sys.stderr)
        return 1
    page, size = result.largest
    print(
        f"Built {len(result.pages)} pages in {result.seconds:.1f} s into {result.out}/ "
        f"(largest page with its images: {page}, {size / 1e6:.2f} MB). Open {result.out}/index.html."
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("site", help="build the course website (static HTML, both languages, offline search)")
    p.add_argument("--out", default="site", help="folder to write (default: site/)")
    p.add_argument("--lang", nargs="+", choices=("en", "de"), default=["en", "de"], help="languages (default both)")
    p.add_argument("--repository", default="OWNER/REPO", help="GitHub owner/name of this course, for Binder links")
    p.add_argument(
        "--student-repository",
        default="OWNER/course-students",
        help="owner/name of the student bundle's repository, for nbgitpuller links",
    )
    p.add_argument("--hub", default="HUB", help="host name of your JupyterHub, for nbgitpuller links")
    p.add_argument("--branch", default="main", help="branch the links use (default main)")
    p.add_argument("--force", action="store_true", help="replace an earlier site in --out")
    p.set_defaults(run=_site)
