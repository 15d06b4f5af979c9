"""Command line for the synthetic extract generator.

footprint generate [--months 24] [--start-month 2024-11] [--scale 1.0]
                   [--seed 20240401] [--out landing/] [--faults all|KIND,...]
                   [--quiet] [--overwrite]
python -m footprint.synth ...   (the same)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from footprint.paths import landing_dir
from footprint.synth.faults import FAULT_KINDS, parse_faults


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="footprint generate",
        description=(
            "Write synthetic deliveries of every feed into <out>/<organisation>/<feed>/, one "
            "file per delivery period in the format the organisation sends, and the ground "
            "truth (injected faults, planted effects, the population) into <out>/_generator/. "
            "The same options always give byte-identical files."
        ),
        epilog="fault kinds: " + ", ".join(FAULT_KINDS),
    )
    parser.add_argument(
        "--months", type=int, default=24, help="number of months to deliver (default 24)"
    )
    parser.add_argument(
        "--start-month",
        default="2024-11",
        metavar="YYYY-MM",
        help="first delivered month (default 2024-11)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="population multiplier: 1 is a borough of ~330,000, 10 a region "
        "(default 1.0; 0.02 is enough for quick tests)",
    )
    parser.add_argument("--seed", type=int, default=20240401, help="random seed (default 20240401)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: the landing folder, $FOOTPRINT_LANDING)",
    )
    parser.add_argument(
        "--faults",
        default=None,
        metavar="all|KIND,...",
        help="inject faults: 'all' or a comma-separated list (default none)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the generator's own folders in a non-empty --out",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the generator; 0 on success, 2 for a problem the user can fix."""
    from footprint.synth.generator import GeneratorOptions, OutputNotEmptyError, generate
    from footprint.synth.reference import SeedError
    from footprint.synth.scenario import ScenarioError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        options = GeneratorOptions(
            out=(args.out or landing_dir()).expanduser().resolve(),
            months=args.months,
            start_month=args.start_month,
            scale=args.scale,
            seed=args.seed,
            faults=parse_faults(args.faults),
            quiet=args.quiet,
            overwrite=args.overwrite,
        )
        options.validate()
    except ValueError as err:
        print(f"footprint generate: {err}", file=sys.stderr)
        return 2
    try:
        summary = generate(options)
    except (OutputNotEmptyError, SeedError, ScenarioError) as err:
        print(f"footprint generate: {err}", file=sys.stderr)
        return 2
    print(summary.line())
    for kind, reason in summary.skipped_faults.items():
        print(f"  fault {kind} not injected: {reason}")
    return 0
