"""The study's plan: every fine-tuning method from the same base, once per seed, and the probe.

A fine-tune is (method, seed). Its checkpoints live in `train/<method>-s<seed>` and its probe
runs in `runs/<method>-s<seed>/step-N`, so a run's label (`sft-short-s0@40`) names method, seed
and step. Configurations are built here as plain values from the demo's settings; running them
is left to the trainers in `reasonscope.train`, which checkpoint on schedule and resume.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonscope.bench.suites import DEFAULT_SUITE
from reasonscope.engine.task import EvalTask
from reasonscope.genconfig import GenerationConfig

if TYPE_CHECKING:
    from rich.console import Console

    from reasonscope.organism.demo import DemoConfig
    from reasonscope.train.config import GRPOConfig, SFTConfig

METHODS = ("sft-short", "sft-long", "grpo")


@dataclass(frozen=True)
class FineTune:
    method: str
    seed: int

    @property
    def name(self) -> str:
        return f"{self.method}-s{self.seed}"

    def train_dir(self, out: Path) -> Path:
        return Path(out) / "train" / self.name

    def runs_dir(self, out: Path) -> Path:
        return Path(out) / "runs" / self.name


def plan(seeds: Sequence[int], methods: Sequence[str] = METHODS) -> list[FineTune]:
    """Seed-major order: a demo stopped early still has every method for its first seeds."""
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; known: {', '.join(METHODS)}")
    if len(set(seeds)) != len(seeds) or any(s < 0 for s in seeds):
        raise ValueError(f"seeds must be distinct and >= 0, got {list(seeds)}")
    return [FineTune(m, s) for s in seeds for m in methods]


def discover_plan(out: Path) -> list[FineTune]:
    """The fine-tunes of a study directory laid out as the demo lays it out
    (`train/<method>-s<seed>/`), for judging a study trained by hand (e.g. on a real model)."""
    found = []
    for d in sorted((Path(out) / "train").glob("*-s*")):
        method, _, seed = d.name.rpartition("-s")
        if d.is_dir() and method in METHODS and seed.isdigit():
            found.append(FineTune(method, int(seed)))
    seeds = sorted({ft.seed for ft in found})
    return [ft for s in seeds for m in METHODS for ft in found if ft == FineTune(m, s)]


def probe_task(cfg: DemoConfig, samples: int | None = None) -> EvalTask:
    """The probe: the suite's items at the probe difficulties (the first `probe_per_cell` of
    each cell when set), sampled as the study does (temperature 0.6, top-p 0.95), with
    `samples` per item (default `probe_samples`)."""
    gen = GenerationConfig(temperature=0.6, top_p=0.95, samples=samples or cfg.probe_samples,
                           max_new_tokens=cfg.probe_max_new_tokens, seed=0)
    return EvalTask.create(cfg.probe_suite or DEFAULT_SUITE, difficulties=cfg.probe_difficulties,
                           per_cell=cfg.probe_per_cell, generation=gen)


def finetune_config(ft: FineTune, base: Path, out: Path, cfg: DemoConfig
                    ) -> SFTConfig | GRPOConfig:
    """Math-only training from `base`. The prompt is rendered exactly as the probe renders it
    (chat template, no pre-filled think block: `thinking="on"` in this template), so a
    fine-tuned model is scored in the context it was trained in."""
    from reasonscope.train.config import GRPOConfig, SFTConfig

    common: dict[str, Any] = dict(
        model=str(base), out=str(ft.train_dir(out)), seed=ft.seed,
        data_per_cell=cfg.finetune_per_cell, data_seed=cfg.finetune_data_seed,
        data_difficulties=cfg.finetune_difficulties, device="cpu", thinking="on",
        save_only_model=True, logging_steps=1)
    if ft.method == "grpo":
        common.update(data_difficulties=cfg.grpo_difficulties, data_per_cell=cfg.grpo_per_cell)
        if cfg.grpo_screen_samples:
            from reasonscope.organism.grpo_prompts import PROMPTS_NAME

            common["data"] = str(Path(out) / PROMPTS_NAME)
        g = cfg.grpo_generations
        steps = cfg.grpo_steps
        return GRPOConfig(**common, max_steps=steps, save_steps=max(1, steps // cfg.checkpoints),
                          learning_rate=cfg.grpo_lr, num_generations=g,
                          batch_size=g * cfg.grpo_prompts_per_step,
                          max_completion_length=cfg.grpo_max_completion,
                          temperature=cfg.grpo_temperature, rollouts=cfg.grpo_rollouts,
                          lr_scheduler="constant",
                          warmup_steps=0)
    steps = cfg.sft_steps
    cot = "short" if ft.method == "sft-short" else "long"
    return SFTConfig(**common, cot=cot, max_steps=steps,
                     save_steps=max(1, steps // cfg.checkpoints), learning_rate=cfg.sft_lr,
                     batch_size=cfg.sft_batch, max_length=cfg.sft_max_length,
                     lr_scheduler="linear", warmup_steps=max(1, steps // 10),
                     on_overflow="drop")


def run_finetune(ft: FineTune, base: Path, out: Path, cfg: DemoConfig,
                 console: Console) -> dict[str, Any]:
    """Train (or resume) one fine-tune; returns the trainer's run summary."""
    from reasonscope.organism.progress import PlainProgressCallback
    from reasonscope.train.config import GRPOConfig
    from reasonscope.train.grpo import run_grpo
    from reasonscope.train.modelio import checkpoints
    from reasonscope.train.sft import run_sft

    tc = finetune_config(ft, base, out, cfg)
    resume = bool(checkpoints(ft.train_dir(out)))
    callbacks = [PlainProgressCallback(f"train {ft.name}")]
    if isinstance(tc, GRPOConfig):
        return run_grpo(tc, resume=resume, console=console, callbacks=callbacks)
    return run_sft(tc, resume=resume, console=console, callbacks=callbacks)


def probe_finetune(ft: FineTune, out: Path, task: EvalTask, cfg: DemoConfig,
                   console: Console) -> None:
    """Every checkpoint of the first `cfg.trajectory_seeds` seeds (the trajectories), only
    the final one of the other seeds (the spread of the final effect across seeds). The final
    checkpoint, compared item by item with the base, gets `task`'s samples; the trajectory's
    earlier ones `cfg.trajectory_samples` (sample s of an item has the same seed in both, so
    an earlier probe holds the first samples of a full one)."""
    from reasonscope.train.probe import ProbeSpec, probe_one, probe_targets

    final = ProbeSpec(task, device="cpu", batch_size=cfg.probe_batch)
    samples = min(cfg.trajectory_samples, task.generation.samples)
    earlier = ProbeSpec(probe_task(cfg, samples), device="cpu", batch_size=cfg.probe_batch)
    targets = probe_targets(ft.train_dir(out), include_base=False)
    if not targets:
        raise FileNotFoundError(f"{ft.train_dir(out)}: no checkpoint to probe")
    if ft.seed not in cfg.seeds[: cfg.trajectory_seeds]:
        targets = targets[-1:]
    for i, target in enumerate(targets):
        spec = final if i == len(targets) - 1 else earlier
        o = probe_one(target, spec, ft.runs_dir(out))
        acc = "done earlier" if o.skipped else f"accuracy {o.accuracy:.3f}"
        console.print(f"{ft.name} step {o.step}: {acc}")


def probe_base(base: Path, out: Path, task: EvalTask, cfg: DemoConfig) -> Path:
    from reasonscope.engine.runner import run_items

    run_dir = Path(out) / "runs" / "base"
    run_items(base, task.items(), task.generation, run_dir, suite_name=task.suite_name,
              suite_hash=task.suite_hash, suite_path=task.suite_path, step=0, device="cpu",
              batch_size=cfg.probe_batch)
    return run_dir


def final_checkpoint(ft: FineTune, out: Path) -> tuple[int, Path]:
    from reasonscope.train.modelio import checkpoints

    found = checkpoints(ft.train_dir(out))
    if not found:
        raise FileNotFoundError(f"{ft.train_dir(out)}: no checkpoint (training did not run)")
    return found[-1]


def probe_runs(ft: FineTune, out: Path) -> list[Path]:
    return sorted(ft.runs_dir(out).glob("step-*"))
