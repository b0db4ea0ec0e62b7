"""``python -m bench``: build (or reuse) the county dataset, measure every figure, print the table.

Usage (from the repository root)::

    python -m bench                      # the full 100,000-person county
    python -m bench --quick              # 10,000 persons, fewer repeats (what CI runs)
    python -m bench --only search_p95,first_paint --repeats 7
    python -m bench --json out.json      # this run's results as JSON
    python -m bench --update             # write this run into docs/benchmarks.json (under "full" or "quick")
    python -m bench --quick --check-against docs/benchmarks.json

Exit status: 0; 1 when ``--check-against`` finds a figure whose ratio regressed by more than 2× against the
committed figures of the same mode; 2 when a figure failed to run or the committed figures are missing.
"""

from __future__ import annotations

import os

# Qt must be told before anything imports it: the benchmark runs without a screen (CI, SSH).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.core import Context, Mode
from bench.dataset import DEFAULT_SEED, FULL_PERSONS, OUT_DIR, QUICK_PERSONS, ensure_dataset
from bench.runner import (
    REGRESSION_FACTOR,
    check_regressions,
    format_table,
    merge_committed,
    run_document,
    run_figures,
    write_json,
)

#: Where the committed figures live.
COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.json"
DEFAULT_REPEATS: dict[Mode, int] = {"full": 5, "quick": 3}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PERSONS:,} persons and fewer repeats (CI)")
    parser.add_argument("--only", default="", help="comma-separated figure names (default: all)")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats per figure (full 5, quick 3)")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write this run's results as JSON")
    parser.add_argument(
        "--check-against",
        type=Path,
        default=None,
        metavar="JSON",
        help=f"exit 1 if a figure's ratio is more than {REGRESSION_FACTOR:g}× the committed one of the same mode",
    )
    parser.add_argument(
        "--update",
        nargs="?",
        const=COMMITTED,
        default=None,
        type=Path,
        metavar="JSON",
        help="write this run into the committed figures (default docs/benchmarks.json)",
    )
    parser.add_argument("--persons", type=int, default=None, help="dataset size (experiments; not with --update)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="dataset seed")
    parser.add_argument("--rebuild", action="store_true", help="generate the dataset again even if cached")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where datasets are cached (default bench/out)")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    args = _parser().parse_args(argv)
    import bench.figures  # noqa: F401 - registers the figures
    from bench.core import FIGURES

    if args.list:
        for name, fig in FIGURES.items():
            print(f"{name:18} {fig.title}  [{fig.target.text}; baseline: {fig.baseline}]")
        return 0
    mode: Mode = "quick" if args.quick else "full"
    persons = args.persons or (QUICK_PERSONS if args.quick else FULL_PERSONS)
    if args.update and (args.persons or args.seed != DEFAULT_SEED):
        print("--update records only the standard dataset (no --persons/--seed)", file=sys.stderr)
        return 2
    only = [n.strip() for n in args.only.split(",") if n.strip()]
    repeats = args.repeats or DEFAULT_REPEATS[mode]

    print(f"dataset: {persons:,} persons, seed {args.seed}", flush=True)
    dataset = ensure_dataset(
        persons, seed=args.seed, out_dir=args.out, rebuild=args.rebuild, progress=lambda m: print(f"  {m}")
    )
    how = "generated" if dataset.built else "cached; was generated"
    print(f"  {dataset.path.name} ({how} in {dataset.seconds:.1f} s)")
    print("  " + ", ".join(f"{table} {count:,}" for table, count in dataset.counts.items()), flush=True)

    with tempfile.TemporaryDirectory(prefix="pensiondesk-bench-") as work:
        ctx = Context(
            mode=mode,
            dataset=dataset,
            repeats=repeats,
            work_dir=Path(work),
            say=lambda m: print(m, flush=True),
        )
        load_before = _load_average()
        results = run_figures(ctx, only)
        load_after = _load_average()

    print()
    print(format_table(results))
    print()
    for result in results:
        for note in result["notes"]:
            print(f"  {result['name']}: {note}")
    run = run_document(
        mode,
        {
            "file": dataset.path.name,
            "persons": dataset.persons,
            "seed": dataset.seed,
            "as_of": dataset.as_of.isoformat(),
            "generation_s": round(dataset.seconds, 1),
            "counts": dataset.counts,
            "repeats": repeats,
        },
        results,
    )
    # Other work on the machine moves the figures: say how busy it was while they were taken.
    run["machine"]["load_average_before"] = load_before
    run["machine"]["load_average_after"] = load_after
    print(f"load average (1 min) before/after the figures: {load_before} / {load_after}")
    if args.json:
        write_json(args.json, run)
        print(f"results written to {args.json}")
    if args.update:
        write_json(args.update, merge_committed(args.update, run, only=only))
        print(f"committed figures ({mode}) updated in {args.update}")

    status = 0
    failed = [r for r in results if r["status"] == "error"]
    for result in failed:
        print(f"FIGURE FAILED: {result['name']}: {result['reason']}", file=sys.stderr)
        status = 2
    if args.check_against:
        status = _check(args.check_against, mode, results) or status
    return status


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # pragma: no cover - Windows
        return None


def _check(path: Path, mode: Mode, results: list[dict[str, object]]) -> int:
    try:
        committed = json.loads(path.read_text(encoding="utf-8"))[mode]["figures"]
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read committed {mode} figures from {path}: {exc!r}", file=sys.stderr)
        return 2
    regressions = check_regressions(results, committed)
    if not regressions:
        compared = sum(1 for r in results if r["status"] == "measured")
        print(f"regression check against {path} ({mode}): {compared} figures, none worse than {REGRESSION_FACTOR:g}×")
        return 0
    for regression in regressions:
        print(f"REGRESSION {regression}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
