"""`reasonscope compare` and `reasonscope report`: skill profiles of runs against a base run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reasonscope.cli.errors import fail, warn

if TYPE_CHECKING:
    from reasonscope.results.profiles import Comparison

RUNS_HELP = "run directories to compare with the base"
BASE_HELP = "the base run directory every run is compared with"
SEED_HELP = "seed of the bootstrap and permutation draws"
K_HELP = "comma-separated k values for pass@k, e.g. 1,4 (k must not exceed samples per item)"


def parse_ks(text: str) -> tuple[int, ...]:
    try:
        ks = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise typer.BadParameter(f"--k must be comma-separated integers, got {text!r}") from None
    if not ks or min(ks) < 1:
        raise typer.BadParameter(f"--k values must be >= 1, got {text!r}")
    return ks


def build_comparison(runs: list[Path], base: Path, seed: int, k: str, replicates: int,
                     flips: int) -> Comparison:
    """Compare, or exit 2 with the one-line reason."""
    from reasonscope.results.comparison import ComparisonError, compare

    try:
        return compare(runs, base, seed=seed, ks=parse_ks(k), replicates=replicates,
                       flips=flips)
    except ComparisonError as exc:
        raise fail(str(exc)) from None


def compare_cmd(
    runs: Annotated[list[Path], typer.Argument(help=RUNS_HELP, show_default=False)],
    base: Annotated[Path, typer.Option("--base", help=BASE_HELP, show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="print every number as JSON")] = False,
    seed: Annotated[int, typer.Option(help=SEED_HELP)] = 0,
    k: Annotated[str, typer.Option("--k", help=K_HELP)] = "1",
    replicates: Annotated[int, typer.Option(help="bootstrap replicates")] = 2000,
    flips: Annotated[int, typer.Option(help="sign flips of the permutation test")] = 10_000,
) -> None:
    """Cell, behavior and domain scores with 95% CIs, paired differences vs the base (sign-flip
    p-values, Benjamini-Hochberg across cells), profile shape, drift, collapse, transfer index."""
    comp = build_comparison(runs, base, seed, k, replicates, flips)
    if as_json:
        from reasonscope.report.export import comparison_to_dict

        for w in comp.warnings:
            warn(w)
        json.dump(comparison_to_dict(comp), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    from rich.console import Console

    from reasonscope.report.tables import print_comparison

    print_comparison(comp, Console())


def report_cmd(
    runs: Annotated[list[Path], typer.Argument(help=RUNS_HELP, show_default=False)],
    base: Annotated[Path, typer.Option("--base", help=BASE_HELP, show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write")] = Path(
        "report.html"),
    seed: Annotated[int, typer.Option(help=SEED_HELP)] = 0,
    k: Annotated[str, typer.Option("--k", help=K_HELP)] = "1",
    examples: Annotated[int, typer.Option(help="example completions per cell, correct and wrong "
                                                "each")] = 2,
    replicates: Annotated[int, typer.Option(help="bootstrap replicates")] = 2000,
    flips: Annotated[int, typer.Option(help="sign flips of the permutation test")] = 10_000,
    analysis: Annotated[Path | None, typer.Option(
        "--analysis", help="directory written by `reasonscope analyze` (adds its sections)")
    ] = None,
) -> None:
    """One self-contained HTML file (no network needed): summary, plots, tables with CIs and
    example completions per cell."""
    if analysis is not None and not analysis.is_dir():
        raise typer.BadParameter(f"{analysis}: no such analysis directory", param_hint="--analysis")
    comp = build_comparison(runs, base, seed, k, replicates, flips)
    from reasonscope.report.html import write_report

    for w in comp.warnings:
        warn(w)
    path = write_report(comp, output, examples=examples, analysis_dir=analysis)
    typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_cmd)
    app.command("report")(report_cmd)
