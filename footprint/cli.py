"""The `footprint` command: one entry point for everything a person runs by hand.

footprint keygen                 make a local pseudonymisation key (development)
footprint generate [options]     write synthetic deliveries into landing/
footprint ingest [--organisation ORG] [--feed FEED]
footprint sources                regenerate dbt sources from contracts/
footprint run [--verbose]        the nightly job (ingest, dbt build, checks, publish)
footprint rollback [--to BUILD]  make an earlier published version current again
footprint profiles [--sdf CODE]  render the SDF profiles from the published marts
footprint edition COMMAND        frozen quarterly and annual editions (footprint edition -h)
footprint lineage COMMAND        lineage and audit documents (see: footprint lineage -h)
footprint demo                   key + 24 months of synthetic data + the nightly job
"""

from __future__ import annotations

import argparse
import logging
import sys


def _keygen(_: argparse.Namespace) -> int:
    from footprint.keys import create_key_file

    print(f"pseudonymisation key: {create_key_file()}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from footprint.ingest.run import ingest, print_summaries

    summaries = ingest(organisation=args.organisation, feed=args.feed)
    print_summaries(summaries)
    return 0


def _sources(_: argparse.Namespace) -> int:
    from footprint.dbt_sources import write_sources

    for path in write_sources():
        print(f"wrote {path}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from footprint.notify import RunFailure, notify_failure
    from footprint.preflight import PreflightError
    from orchestration.run import run_nightly

    try:
        outcome = run_nightly(verbose=args.verbose)
    except PreflightError as error:  # nothing started: say what is missing, nothing else
        for problem in error.problems:
            print(f"footprint {args.command}: {problem}", file=sys.stderr)
        failure = RunFailure(run_id=None, started_by="footprint run", causes=error.problems)
        for problem in notify_failure(failure):
            print(f"footprint {args.command}: {problem}", file=sys.stderr)
        return 1
    print(outcome.summary(), file=sys.stdout if outcome.success else sys.stderr)
    if not outcome.success:
        failure = RunFailure(
            run_id=outcome.run_id,
            started_by="footprint run",
            causes=[f"step {step} failed: {cause}" for step, cause in outcome.failed_steps.items()],
            gate_problems=outcome.gate_problems,
            quality_report=str(outcome.report),
            published_build=outcome.published_build,
        )
        for problem in notify_failure(failure):
            print(f"footprint {args.command}: {problem}", file=sys.stderr)
    return 0 if outcome.success else 1


def _rollback(args: argparse.Namespace) -> int:
    from footprint.paths import published_dir
    from footprint.publish.publisher import rollback

    print(f"published version is now {rollback(published_dir(), args.to)}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from footprint.keys import create_key_file
    from footprint.synth.cli import main as generate

    create_key_file()
    status = generate(["--months", str(args.months), "--scale", str(args.scale), "--overwrite"])
    if status != 0:
        return status
    return _run(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="footprint", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("keygen", help="create a local pseudonymisation key if none exists")
    commands.add_parser(
        "generate", help="write synthetic deliveries (see: footprint generate -h)", add_help=False
    )
    ingest = commands.add_parser("ingest", help="load new deliveries from landing/")
    ingest.add_argument("--organisation", help="only this organisation's feeds, e.g. trust")
    ingest.add_argument("--feed", help="only this feed, e.g. trust__ae_attendances")
    commands.add_parser("sources", help="regenerate dbt source YAML from the feed contracts")
    commands.add_parser(
        "profiles", help="render the SDF profiles (see: footprint profiles -h)", add_help=False
    )
    commands.add_parser(
        "edition",
        help="cut, list and check frozen quarterly and annual editions (see: footprint edition -h)",
        add_help=False,
    )
    commands.add_parser(
        "lineage", help="lineage and audit documents (see: footprint lineage -h)", add_help=False
    )
    run = commands.add_parser("run", help="run the nightly job once, now")
    roll = commands.add_parser("rollback", help="make an earlier published version current")
    roll.add_argument("--to", help="build id to restore (default: the one before current)")
    demo = commands.add_parser("demo", help="synthetic data end to end on a local warehouse")
    demo.add_argument("--months", type=int, default=24)
    demo.add_argument("--scale", type=float, default=1.0)
    for command in (run, demo):
        command.add_argument(
            "--verbose",
            action="store_true",
            help="show Dagster's log and dbt's output too (or set FOOTPRINT_LOG_LEVEL)",
        )

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["generate"]:
        from footprint.synth.cli import main as generate

        return generate(argv[1:])
    if argv[:1] == ["profiles"]:
        from footprint.profiles.render import main as profiles

        return profiles(argv[1:])
    if argv[:1] == ["edition"]:
        from footprint.publish.edition_cli import main as edition

        return edition(argv[1:])
    if argv[:1] == ["lineage"]:
        from footprint.lineage.cli import main as lineage

        return lineage(argv[1:])
    args = parser.parse_args(argv)
    if args.command not in ("run", "demo"):  # the nightly job routes its own log (progress.py)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    handlers = {
        "keygen": _keygen,
        "ingest": _ingest,
        "sources": _sources,
        "run": _run,
        "rollback": _rollback,
        "demo": _demo,
    }
    try:
        return handlers[args.command](args)
    except Exception as err:  # a person reads this: one clear line, not a traceback
        from footprint.build_lock import BuildRunningError
        from footprint.keys import MissingKeyError
        from footprint.publish.publisher import PublishError
        from orchestration.run import DbtParseError

        known = (
            DbtParseError
            | MissingKeyError
            | BuildRunningError
            | PublishError
            | FileNotFoundError
            | PermissionError  # an unreadable landing folder or file, named in the message
            | ValueError
        )
        if isinstance(err, known):
            print(f"footprint {args.command}: {err}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
