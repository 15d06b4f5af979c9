"""`footprint edition`: cut, list and check the frozen quarterly and annual editions.

footprint edition cut 2025-26-Q2 [--build BUILD_ID] [--reissue "why"]
footprint edition list
footprint edition check 2025-26-Q2 [--issue N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from footprint.paths import published_dir
from footprint.profiles.marts import ProfileDataError
from footprint.publish.editions import (
    EditionError,
    check_issue,
    covered_periods,
    cut_edition,
    editions_dir,
    issues,
    latest_issue,
)
from footprint.publish.publisher import DATABASE_NAME


def _cut(args: argparse.Namespace, published: Path) -> int:
    issue = cut_edition(published, args.edition_id, args.build, args.reissue)
    record = issue.record
    print(
        f"cut edition {record['edition_id']} issue {record['issue']} from build "
        f"{record['build_id']}; commentary for "
        f"{', '.join(record['commentary_areas']) or 'no area'}"
    )
    print(f"report: {issue.report}")
    return 0


def _list(_: argparse.Namespace, published: Path) -> int:
    folders = sorted(
        p for p in editions_dir(published).glob("*") if p.is_dir() and not p.name.startswith(".")
    )
    if not folders:
        print(f"no edition has been cut in {editions_dir(published)}")
    database = published / DATABASE_NAME
    if database.is_file():
        cut = {folder.name for folder in folders}
        due = [p.edition_id for p in covered_periods(database) if p.edition_id not in cut]
        print(f"the current published version covers, not yet cut: {', '.join(due) or 'nothing'}")
    for folder in folders:
        for issue in issues(published, folder.name):
            record = issue.record
            reason = f"; re-issued: {record['reissue_reason']}" if record["reissue_reason"] else ""
            print(
                f"{record['edition_id']} issue {record['issue']}: cut {record['cut_at']} from "
                f"build {record['build_id']}{reason}\n    {issue.report}"
            )
    return 0


def _check(args: argparse.Namespace, published: Path) -> int:
    found = issues(published, args.edition_id) if args.issue else []
    chosen = [i for i in found if i.number == args.issue]
    if args.issue and not chosen:
        raise EditionError(
            f"edition {args.edition_id} has no issue {args.issue}; its issues: "
            f"{', '.join(str(i.number) for i in found) or 'none'}"
        )
    issue = chosen[0] if chosen else latest_issue(published, args.edition_id)
    problems = check_issue(issue)
    for problem in problems:
        print(f"footprint edition: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"edition {args.edition_id} issue {issue.number} is as it was cut: {issue.report}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="footprint edition",
        description="Frozen quarterly and annual editions (financial year April to March) "
        "of the published figures, with the place-based teams' commentary, under "
        "<published folder>/editions/.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    cut = commands.add_parser(
        "cut",
        help="freeze an edition from a published version and render its report",
        description="Copy a published version's data and the commentary in "
        "seeds/commentary/<edition id>/ into editions/<edition id>/issue-<n>/, read-only, "
        "and render its report. Refused when the version does not cover the period's end "
        "or the edition was already cut (unless --reissue says why).",
    )
    cut.add_argument("edition_id", help="2025-26-Q2 for a quarter, 2025-26 for a year")
    cut.add_argument("--build", help="the kept published version to cut from (default: current)")
    cut.add_argument(
        "--reissue", metavar="REASON", help="cut an edition again, as its next issue, saying why"
    )
    commands.add_parser("list", help="the editions cut so far, each issue and its report")
    check = commands.add_parser(
        "check",
        help="check an issue's frozen files and that its report re-renders identically",
    )
    check.add_argument("edition_id")
    check.add_argument("--issue", type=int, help="the issue to check (default: the latest)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    handlers = {"cut": _cut, "list": _list, "check": _check}
    try:
        return handlers[args.command](args, published_dir())
    except (EditionError, ProfileDataError, FileNotFoundError) as err:
        print(f"footprint edition: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
