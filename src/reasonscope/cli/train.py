"""`reasonscope train sft|grpo` and `reasonscope probe`.

Every flag has a config-file twin (same name, underscores); flags override the file. Heavy
libraries load inside the commands, after the configuration has been validated.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from reasonscope.bench.suites import DEFAULT_SUITE
from reasonscope.cli.errors import err, fail
from reasonscope.cli.modelopts import ModelOptions, with_model_options
from reasonscope.cli.runopts import (
    GENERATION_OPTIONS,
    SELECTION_OPTIONS,
    budget_warning,
    build_task,
)
from reasonscope.train.config import GRPOConfig, SFTConfig

train_app = typer.Typer(help="Fine-tune a model (SFT or GRPO) with every setting explicit.",
                        no_args_is_help=True)
console = Console()

TRAIN_ALIASES = {"learning_rate": ["--lr"], "data_per_cell": ["--per-cell"],
                 "import_answer_type": ["--answer-type"]}
Cfg = Annotated[Path | None, typer.Option("--config", help="TOML/YAML file of settings; flags "
                                                           "override it")]
Resume = Annotated[bool, typer.Option("--resume", help="continue from the last checkpoint")]


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
    app.command("probe")(probe_cmd)


def _run(kind: str, config: Path | None, overrides: dict[str, Any], resume: bool) -> None:
    from reasonscope.items import ItemFileError
    from reasonscope.train.config import ConfigError, resolve_config
    from reasonscope.train.data import ContaminatedDataError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if kind == "sft":
            from reasonscope.train.sft import run_sft

            summary = run_sft(resolve_config(SFTConfig, config, overrides), resume=resume,
                              console=err)
        else:
            from reasonscope.train.config import check_grpo_batch
            from reasonscope.train.grpo import run_grpo

            cfg = resolve_config(GRPOConfig, config, overrides)
            check_grpo_batch(cfg)
            summary = run_grpo(cfg, resume=resume, console=err)
    except (ConfigError, ItemFileError, ContaminatedDataError) as exc:
        raise fail(str(exc)) from None
    from reasonscope.train.config import is_main_process

    if is_main_process():
        _report(summary)


def _report(summary: dict[str, Any]) -> None:
    if summary.get("status") == "no_signal":
        err.print(Panel(summary["warning"], title="GRPO: no learning signal", style="bold red"))
        console.print(f"{len(summary['checkpoints'])} checkpoint(s) kept for inspection; the run "
                      "summary records status no_signal")
        return
    table = Table(title=f"{summary['kind']} finished at step {summary['global_step']}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key in ("first_loss", "last_loss", "mean_reward", "last_reward",
                "mean_frac_reward_zero_std", "mean_clipped_ratio", "mean_mean_length"):
        if summary.get(key) is not None:
            table.add_row(key, f"{summary[key]:.4g}")
    table.add_row("checkpoints", ", ".join(summary["checkpoints"]) or "-")
    console.print(table)


@train_app.command("sft")
@with_model_options(ModelOptions(SFTConfig, "settings", exclude=("kind",),
                                 aliases=TRAIN_ALIASES, panel="Settings (config-file keys)"))
def sft_cmd(settings: dict[str, Any], config: Cfg = None, resume: Resume = False) -> None:
    """Supervised fine-tuning on short or long chain-of-thought traces."""
    _run("sft", config, settings, resume)


@train_app.command("grpo")
@with_model_options(ModelOptions(GRPOConfig, "settings", exclude=("kind",),
                                 aliases=TRAIN_ALIASES, panel="Settings (config-file keys)"))
def grpo_cmd(settings: dict[str, Any], config: Cfg = None, resume: Resume = False) -> None:
    """Reinforcement learning with the evaluation scorer as reward."""
    _run("grpo", config, settings, resume)


@with_model_options(SELECTION_OPTIONS, GENERATION_OPTIONS)
def probe_cmd(
    train_dir: Annotated[Path, typer.Argument(help="training directory (train sft|grpo --out)")],
    out: Annotated[Path, typer.Option(help="directory for one run per checkpoint")],
    selection: dict[str, Any],
    generation: dict[str, Any],
    suite: Annotated[str, typer.Option(help="built-in suite name or JSONL file")] = DEFAULT_SUITE,
    backend: Annotated[str, typer.Option(help="hf | vllm")] = "hf",
    device: Annotated[str | None, typer.Option()] = None,
    dtype: Annotated[str | None, typer.Option()] = None,
    batch_size: Annotated[int | None, typer.Option(min=1)] = None,
    base: Annotated[bool, typer.Option("--base/--no-base", help="also the base (step 0)")] = True,
) -> None:
    """Evaluate the base model and every checkpoint of a training run, recording the step.

    Prompt format, thinking switch and instruction default to the ones the model was trained
    with."""
    from reasonscope.api import probe
    from reasonscope.train.config import ConfigError, config_from_resolved
    from reasonscope.train.probe import ProbeError

    try:
        saved = config_from_resolved(train_dir)
    except (ConfigError, FileNotFoundError, ValueError) as exc:
        raise fail(str(exc)) from None
    resolved, trained = saved.get("resolved", {}), saved.get("config", {})
    as_trained = {"thinking": resolved.get("thinking", "auto"),
                  "chat_template": resolved.get("prompt_format", "chat") == "chat"}
    if trained.get("instruction") is not None:
        as_trained["instruction"] = trained["instruction"]
    task = build_task(suite, selection, generation, base_generation=as_trained)
    budget_warning(task)
    try:
        outcomes = probe(train_dir, task, out, backend=backend, device=device, dtype=dtype,
                         batch_size=batch_size, include_base=base)
    except (ConfigError, ProbeError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"probe {train_dir} on {task.suite_name} ({len(task.items())} items)")
    for col in ("step", "run", "accuracy"):
        table.add_column(col)
    for o in outcomes:
        acc = "done before" if o.skipped else f"{o.accuracy:.3f}" if o.accuracy is not None else "-"
        table.add_row(str(o.step), str(o.run_dir), acc)
    console.print(table)
