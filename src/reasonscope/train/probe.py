"""Probing: evaluate the base model and every checkpoint of a training run, step by step.

Each checkpoint gets its own run directory (`step-NNNNNNN`) whose rows carry the training step,
so comparisons and reports read the whole run as a trajectory. A checkpoint whose weights (by
fingerprint) were already evaluated with the same suite and generation settings is skipped, so
probing a run that is still training only evaluates what is new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from reasonscope.engine.task import EvalTask
from reasonscope.genconfig import GenerationConfig
from reasonscope.items import Item, items_hash
from reasonscope.train.config import config_from_resolved
from reasonscope.train.modelio import checkpoints

if TYPE_CHECKING:
    from reasonscope.train.prepare import Prepared

log = logging.getLogger(__name__)


class ProbeError(ValueError):
    pass


@dataclass(frozen=True)
class ProbeTarget:
    step: int
    path: Path


@dataclass(frozen=True)
class ProbeOutcome:
    step: int
    run_dir: Path
    skipped: bool
    accuracy: float | None = None


@dataclass(frozen=True)
class ProbeSpec:
    """What to evaluate each checkpoint on (an EvalTask), and where it runs."""

    task: EvalTask
    backend: str = "hf"
    device: str | None = None
    dtype: str | None = None
    batch_size: int | None = None
    progress: bool = True

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(self.task.items())

    @cached_property
    def items_hash(self) -> str:
        return items_hash(self.items)

    @property
    def config(self) -> GenerationConfig:
        return self.task.generation


def run_dir_for(runs_dir: Path, step: int) -> Path:
    return Path(runs_dir) / f"step-{step:07d}"


def probe_targets(train_dir: Path, *, include_base: bool = True) -> list[ProbeTarget]:
    """The base model (step 0, from the resolved config) and each checkpoint, by step."""
    targets: list[ProbeTarget] = []
    if include_base:
        resolved = config_from_resolved(train_dir)
        base = Path(resolved.get("resolved", {}).get("base_model")
                    or resolved["config"]["model"])
        if (base / "config.json").exists():
            targets.append(ProbeTarget(0, base))
        else:
            log.warning("base model %s is gone; probing checkpoints only", base)
    targets += [ProbeTarget(step, path) for step, path in checkpoints(train_dir)]
    return targets


def _complete(run_dir: Path, fingerprint: str, spec: ProbeSpec) -> bool:
    """True when this exact model, suite and generation config already has every sample."""
    from reasonscope.engine.store import done_keys, is_run_dir, read_manifest

    if not is_run_dir(run_dir):
        return False
    manifest = read_manifest(run_dir)
    same = (manifest.fingerprint == fingerprint
            and manifest.suite_hash == spec.task.suite_hash
            and manifest.gen_config_hash == spec.config.hash())
    if not same:
        if manifest.fingerprint != fingerprint:
            raise ProbeError(
                f"{run_dir} holds the evaluation of other weights (fingerprint "
                f"{manifest.fingerprint[:12]}, this checkpoint {fingerprint[:12]}); "
                "probe into another --out")
        raise ProbeError(f"{run_dir} was evaluated with another suite or generation config; "
                         "probe into another --out")
    wanted = {(item.id, s) for item in spec.items for s in range(spec.config.samples)}
    have = {(i, s) for f, g, i, s in done_keys(run_dir)
            if f == fingerprint and g == spec.config.hash()}
    return wanted <= have


def probe_one(target: ProbeTarget, spec: ProbeSpec, runs_dir: Path) -> ProbeOutcome:
    from reasonscope.engine.runner import run_items
    from reasonscope.fingerprint import weight_fingerprint
    from reasonscope.results.fold import mean_item_accuracy

    out = run_dir_for(runs_dir, target.step)
    if _complete(out, weight_fingerprint(target.path), spec):
        return ProbeOutcome(target.step, out, skipped=True)
    task = spec.task
    outcome = run_items(str(target.path), list(spec.items), spec.config, out,
                        suite_name=task.suite_name, suite_hash=task.suite_hash,
                        suite_path=task.suite_path, backend=spec.backend, step=target.step,
                        device=spec.device, dtype=spec.dtype, batch_size=spec.batch_size,
                        progress=spec.progress)
    return ProbeOutcome(target.step, out, skipped=False,
                        accuracy=mean_item_accuracy(outcome.rows))


def probe_training_dir(train_dir: Path, spec: ProbeSpec, runs_dir: Path, *,
                       include_base: bool = True) -> list[ProbeOutcome]:
    """Evaluate what is not evaluated yet; one run directory per step inside `runs_dir`."""
    targets = probe_targets(train_dir, include_base=include_base)
    if not any(t.step > 0 for t in targets):
        raise ProbeError(f"{train_dir}: no checkpoint-* to probe (is it a training directory? "
                         "checkpoints appear every --save-steps)")
    return [probe_one(t, spec, runs_dir) for t in targets]


class ProbeCallback(TrainerCallback):
    """Probe the base at the start of training and each checkpoint as it is saved.

    Runs on the main process only; the others wait at their next collective operation.
    """

    def __init__(self, spec: ProbeSpec, runs_dir: Path, base_model: Path | None = None) -> None:
        self.spec, self.runs_dir, self.base_model = spec, Path(runs_dir), base_model
        self.outcomes: list[ProbeOutcome] = []

    def on_train_begin(self, args: TrainingArguments, state: TrainerState,
                       control: TrainerControl, **kwargs: Any) -> None:
        if state.is_world_process_zero and self.base_model is not None:
            self.outcomes.append(probe_one(ProbeTarget(0, self.base_model), self.spec,
                                           self.runs_dir))

    def on_save(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
                **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        ckpt = Path(str(args.output_dir)) / f"checkpoint-{state.global_step}"
        if ckpt.is_dir():
            self.outcomes.append(probe_one(ProbeTarget(state.global_step, ckpt), self.spec,
                                           self.runs_dir))


def probe_callback_from_config(prep: Prepared) -> ProbeCallback | None:
    """The callback a training config asks for (`probe_suite`), or None."""
    cfg = prep.cfg
    if not cfg.probe_suite:
        return None
    gen = GenerationConfig(max_new_tokens=cfg.probe_max_new_tokens, instruction=cfg.instruction,
                           chat_template=prep.chat, thinking=prep.thinking)
    task = EvalTask.create(cfg.probe_suite, per_cell=cfg.probe_per_cell, generation=gen)
    spec = ProbeSpec(task, device=prep.device, progress=False)
    runs = Path(cfg.probe_out) if cfg.probe_out else prep.out / "probe-runs"
    return ProbeCallback(spec, runs, base_model=prep.model_dir)
