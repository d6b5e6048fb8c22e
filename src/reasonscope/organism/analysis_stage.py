"""The demo's low-level analyses: base vs the final checkpoint of every fine-tune.

Runs `reasonscope.analysis.study.analyze_study` (params, tokens with the KL on the training
distribution, latents, SAE, outputs, predictors) into `analysis/`, and reads back the numbers
the claims need per fine-tune: the three changed fractions, and every statistic the predictor
table ranks against behavioral drift.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonscope.organism.study import FineTune, final_checkpoint, probe_runs

if TYPE_CHECKING:
    from rich.console import Console

    from reasonscope.organism.demo import DemoConfig

ANALYSIS_DIR = "analysis"
CHANGE_KEYS = ("changed_frac_exact", "changed_frac_bf16", "changed_frac_tol")


def label_of(ft: FineTune, step: int) -> str:
    return f"{ft.name}/step-{step}"


def run_analysis(out: Path, base: Path, plan: Sequence[FineTune], cfg: DemoConfig,
                 console: Console) -> None:
    from rich.markup import escape

    from reasonscope.analysis.study import StudyConfig, analyze_study
    from reasonscope.engine.store import read_manifest
    from reasonscope.train.config import DATA_NAME

    checkpoints: dict[str, Path] = {}
    eval_runs: dict[str, Path] = {"base": Path(out) / "runs" / "base"}
    methods: dict[str, str] = {}
    steps: dict[str, int] = {}
    train_data: dict[str, Path] = {}
    for ft in plan:
        step, ckpt = final_checkpoint(ft, out)
        label = label_of(ft, step)
        checkpoints[label], methods[label], steps[label] = ckpt, ft.name, step
        runs = [r for r in probe_runs(ft, out) if read_manifest(r).step == step]
        if runs:
            eval_runs[label] = runs[0]
        data = ft.train_dir(out) / DATA_NAME
        if data.is_file():
            train_data[label] = data
    config = StudyConfig(device="cpu", max_texts=cfg.analysis_texts,
                         train_items=cfg.analysis_train_items, sae_steps=cfg.analysis_sae_steps,
                         models="final")
    summary = analyze_study(base, checkpoints, Path(out) / ANALYSIS_DIR, eval_runs=eval_runs,
                            methods=methods, steps=steps, train_data=train_data, config=config,
                            log=lambda m: console.print(f"[dim]analysis {escape(m)}[/dim]"))
    for name, why in summary.skipped.items():
        console.print(f"[yellow]analysis {name} skipped:[/yellow] {why}")


def read_lowlevel(out: Path, plan: Sequence[FineTune]) -> dict[str, dict[str, Any]]:
    """ft.name -> {"params": the changed fractions, "lowlevel": every predictor statistic} for
    the fine-tunes the analysis covered; empty when it did not run."""
    from reasonscope.analysis import results_io

    data = results_io.read_json(Path(out) / ANALYSIS_DIR, "predictors")
    if not isinstance(data, Mapping):
        return {}
    by_label = {row.get("label"): row for row in data.get("checkpoints", [])
                if isinstance(row, Mapping)}
    found: dict[str, dict[str, Any]] = {}
    for ft in plan:
        try:
            step, _ = final_checkpoint(ft, out)
        except FileNotFoundError:
            continue
        row = by_label.get(label_of(ft, step))
        if row is None:
            continue
        stats = {k: v for k, v in dict(row.get("stats", {})).items()}
        found[ft.name] = {"params": {k: stats.get(k) for k in CHANGE_KEYS}, "lowlevel": stats}
    return found
