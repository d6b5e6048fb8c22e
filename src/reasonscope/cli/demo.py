"""`reasonscope demo`: the whole study in miniature on a model it trains itself, and
`reasonscope organism pretrain`: the recipe that makes that model's base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from reasonscope.organism.recipe import PretrainRecipe

organism_app = typer.Typer(help="The tiny model organism the demo studies.",
                           no_args_is_help=True)


def demo_cmd(
    out: Annotated[Path, typer.Option(help="output directory (resumed when it exists)")] = Path(
        "demo-out"),
    seeds: Annotated[int | None, typer.Option(
        min=1, help="fine-tuning seeds per method (default 3; 1 with --quick)")] = None,
    from_scratch: Annotated[bool, typer.Option(
        "--from-scratch", help="pretrain the base here with its recipe instead of using the "
        "shipped one")] = False,
    recipe_file: Annotated[Path | None, typer.Option(
        "--recipe", help="JSON file of recipe fields: pretrain the base from it (implies "
        "--from-scratch)")] = None,
    quick: Annotated[bool, typer.Option(help="smoke-sized: every stage, few steps")] = False,
    workers: Annotated[int | None, typer.Option(
        min=1, help="fine-tunes and probes run side by side, each with its share of the cores "
        "(default 2, 1 with --quick or on one core)")] = None,
) -> None:
    """Fine-tune the organism's base on math by SFT (short and long CoT) and GRPO with several
    seeds, probe every checkpoint, analyse the final ones, and write report.html,
    compare.json and study.json with the verdicts on the study's claims."""
    from dataclasses import replace

    from rich.console import Console

    from reasonscope.cli.errors import fail
    from reasonscope.organism.demo import DemoConfig, DemoConfigMismatch, run_demo

    console = Console(stderr=True)
    cfg = DemoConfig.quick() if quick else DemoConfig()
    if seeds is not None:
        cfg = cfg.with_seeds(seeds)
    cfg = replace(cfg, from_scratch=from_scratch)
    if recipe_file is not None:
        cfg = replace(cfg, from_scratch=True, recipe=_read_recipe(recipe_file))
    try:
        report = run_demo(out, cfg, console, workers=_workers(workers, quick))
    except DemoConfigMismatch as exc:
        raise fail(str(exc)) from None
    console.print(f"[bold green]report:[/bold green] {report}")
    console.print(f"numbers: {out / 'study.json'}  {out / 'compare.json'}   runs: {out / 'runs'}")


def _workers(asked: int | None, quick: bool) -> int:
    import os

    if asked is not None:
        return asked
    return 1 if quick else min(2, os.cpu_count() or 1)


def _read_recipe(path: Path) -> PretrainRecipe:
    from reasonscope.cli.errors import fail, validation_message
    from reasonscope.organism.recipe import PretrainRecipe

    try:
        return PretrainRecipe.model_validate(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise fail(f"{path}: not a valid recipe: {validation_message(exc)}") from None


@organism_app.command("pretrain")
def pretrain_cmd(
    out: Annotated[Path, typer.Option(help="where the base model is saved")] = Path(
        "organism-base"),
    recipe_file: Annotated[Path | None, typer.Option(
        "--recipe", help="JSON file of recipe fields (default: the shipped base's recipe)")
    ] = None,
    quick: Annotated[bool, typer.Option(help="smoke size: a small model, few steps")] = False,
    ship: Annotated[bool, typer.Option(
        help="also install the result as the package's shipped base (maintainers)")] = False,
) -> None:
    """Pretrain the organism's base on generated items of all 20 cells (training seeds);
    resumes an interrupted run in the same --out."""
    from rich.console import Console

    from reasonscope.cli.errors import fail
    from reasonscope.organism.recipe import PretrainRecipe, pretrain, read_recipe_record

    console = Console(stderr=True)
    if recipe_file is not None:
        recipe = _read_recipe(recipe_file)
    else:
        recipe = PretrainRecipe.quick() if quick else PretrainRecipe()
    try:
        made = pretrain(recipe, out)
    except ValueError as exc:
        raise fail(str(exc)) from None
    record = read_recipe_record(made)
    console.print(f"[bold green]base:[/bold green] {made}  ({record['parameters']:,} parameters, "
                  f"loss {record['loss']['last_100_mean']:.3f}, {record['seconds']} s, "
                  f"weights SHA-256 {record['weights_sha256'][:16]})")
    if ship:
        from reasonscope.organism.quality import measure
        from reasonscope.organism.shipped import ship_base

        quality = measure(made, made.parent / f"{made.name}-quality-probe")
        console.print(f"quality: overall {quality['overall']:.3f}, {quality['in_range']} of "
                      f"{len(quality['cells'])} cells in range")
        console.print(f"shipped as {ship_base(made, quality)}")


@organism_app.command("verdicts")
def verdicts_cmd(
    study: Annotated[Path, typer.Argument(help="study directory laid out as the demo's: base "
                                          "run in runs/base, fine-tunes in train/<method>-s<seed>"
                                          " with probe runs in runs/<method>-s<seed>/step-N")],
) -> None:
    """Judge the study's claims on a study trained by hand (e.g. a real model): writes
    compare.json, study.json and report.html into STUDY, like the demo's last stage."""
    from rich.console import Console

    from reasonscope.cli.errors import fail
    from reasonscope.organism.reporting import write_outputs
    from reasonscope.organism.study import discover_plan
    from reasonscope.results.comparison import ComparisonError

    plan = discover_plan(study)
    if not plan:
        raise fail(f"{study}: no fine-tunes under train/<method>-s<seed> (methods: sft-short, "
                   "sft-long, grpo)")
    try:
        write_outputs(study, sorted({ft.seed for ft in plan}), plan, {}, Console(stderr=True))
    except (ComparisonError, FileNotFoundError) as exc:
        raise fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)
    app.add_typer(organism_app, name="organism")
