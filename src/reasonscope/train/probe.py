"""Probing: evaluate the base model and every checkpoint of a training run, step by step.

Each checkpoint gets its own run directory (`step-NNNNNNN`) whose rows carry the training step,
so comparisons and reports read the whole run as a trajectory. A checkpoint whose weights (by
fingerprint) were already evaluated with the same suite and generation settings is skipped, so
probing a run that is still training only evaluates what is new.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from reasonscope.genconfig import GenerationConfig
from reasonscope.items import Item, items_hash
from reasonscope.train.config import config_from_resolved
from reasonscope.train.modelio import checkpoints

if TYPE_CHECKING:
    from reasonscope.suites import Suite
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
    """What to evaluate each checkpoint on, and how."""

    items: tuple[Item, ...]
    suite_name: str
    suite_hash: str
    config: GenerationConfig
    backend: str = "hf"
    device: str | None = None
    dtype: str | None = None
    batch_size: int | None = None
    progress: bool = True


def spec_from_suite(suite: Suite, config: GenerationConfig, *, per_cell: int | None = None,
                    **kw: Any) -> ProbeSpec:
    """The suite, or its first `per_cell` items of each cell (a fixed, cheap subset)."""
    items: Sequence[Item] = suite.items
    if per_cell is not None:
        taken: dict[tuple[Any, Any], int] = {}
        kept = []
        for item in suite.items:
            if taken.get(item.cell, 0) < per_cell:
                taken[item.cell] = taken.get(item.cell, 0) + 1
                kept.append(item)
        items = kept
    digest = suite.hash if len(items) == len(suite.items) else items_hash(items)
    return ProbeSpec(tuple(items), suite.name, digest, config, **kw)


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
    from reasonscope.store import done_keys, is_run_dir, read_manifest

    if not is_run_dir(run_dir):
        return False
    manifest = read_manifest(run_dir)
    same = (manifest.fingerprint == fingerprint and manifest.suite_hash == spec.suite_hash
            and manifest.gen_config_hash == spec.config.hash())
    if not same:
        if manifest.fingerprint != fingerprint:
            raise ProbeError(
                f"{run_dir} holds the evaluation of other weights (fingerprint "
                f"{manifest.fingerprint[:12]}, this checkpoint {fingerprint[:12]}); "
                "probe into another --out")
        raise ProbeError(f"{run_dir} was evaluated with another suite or generation config; "
                         "probe into another --out")
    keys = {(f, g, i, s) for f, g, i, s in done_keys(run_dir)
            if f == fingerprint and g == spec.config.hash()}
    return len(keys) >= len(spec.items) * spec.config.samples


def probe_one(target: ProbeTarget, spec: ProbeSpec, runs_dir: Path) -> ProbeOutcome:
    from reasonscope.fingerprint import weight_fingerprint
    from reasonscope.runner import evaluate

    out = run_dir_for(runs_dir, target.step)
    if _complete(out, weight_fingerprint(target.path), spec):
        return ProbeOutcome(target.step, out, skipped=True)
    summary = evaluate(str(target.path), list(spec.items), spec.config, out,
                       suite_name=spec.suite_name, suite_hash=spec.suite_hash,
                       backend=spec.backend, step=target.step, device=spec.device,
                       dtype=spec.dtype, batch_size=spec.batch_size, progress=spec.progress)
    return ProbeOutcome(target.step, out, skipped=False, accuracy=summary.accuracy)


def probe_training_dir(train_dir: Path, spec: ProbeSpec, runs_dir: Path, *,
                       include_base: bool = True) -> list[ProbeOutcome]:
    """Evaluate what is not evaluated yet; one run directory per step inside `runs_dir`."""
    targets = probe_targets(train_dir, include_base=include_base)
    if not targets:
        raise ProbeError(f"{train_dir}: no base model and no checkpoint-* to probe")
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
    from reasonscope.suites import load_suite

    gen = GenerationConfig(max_new_tokens=cfg.probe_max_new_tokens, instruction=cfg.instruction,
                           chat_template=prep.chat, thinking=prep.thinking)
    spec = spec_from_suite(load_suite(cfg.probe_suite), gen, per_cell=cfg.probe_per_cell,
                           device=prep.device, progress=False)
    runs = Path(cfg.probe_out) if cfg.probe_out else prep.out / "probe-runs"
    return ProbeCallback(spec, runs, base_model=prep.model_dir)
