"""The study in miniature: a tiny Qwen3 pretrained on all 20 cells, fine-tuned on math only by
SFT (short and long chain of thought) and by GRPO from the same base with several seeds,
probed along training, analysed, compared, and judged against the study's claims.

Every stage writes into one output directory and is skipped when its result is already there,
so an interrupted demo picks up where it stopped. The numbers it reports are measurements of
this tiny model, whatever they turn out to be; the verdicts are decided from them by the rules
in `reasonscope.organism.claims`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Literal

from rich.console import Console

from reasonscope.organism.recipe import PretrainRecipe, as_recipe
from reasonscope.organism.study import FineTune


@dataclass(frozen=True)
class DemoConfig:
    """Sizes chosen so a final checkpoint's cell CI is about +-0.1 and every method's math gain
    can show, within 15 minutes for the whole demo on 2 CPU cores (benchmarks/RESULTS.md)."""

    seeds: tuple[int, ...] = (0, 1, 2)
    from_scratch: bool = False
    recipe: PretrainRecipe | None = None
    """Pretraining recipe for `from_scratch` (None: the shipped base's own recipe)."""
    finetune_per_cell: int = 200
    finetune_difficulties: tuple[int, ...] = (1, 2)
    finetune_data_seed: int = 11
    checkpoints: int = 4
    trajectory_seeds: int = 1
    """Seeds whose every checkpoint is probed; the others are probed at the final one."""
    trajectory_samples: int = 1
    """Samples per item at a trajectory's checkpoints before the final one. The claims and the
    paired gains read only final checkpoints, which get `probe_samples`; a curve point's cell
    half-width at one sample of 64 items is at most 0.12 (domain: 0.055)."""
    sft_steps: int = 80
    sft_lr: float = 1e-3
    sft_batch: int = 16
    sft_max_length: int = 768
    grpo_steps: int = 24
    grpo_lr: float = 2e-4
    grpo_generations: int = 16
    grpo_prompts_per_step: int = 8
    """Eight prompts of 16 rollouts per step: at two, the 24 steps saw fewer rollouts than SFT
    sees worked solutions and the math gain stayed inside the probe's noise."""
    grpo_difficulties: tuple[int, ...] = (1,)
    grpo_per_cell: int = 100
    """Candidate prompts per math behavior for GRPO, before screening (about a quarter keep
    mixed rewards: some 120 prompts for the 192 draws of 24 steps of 8)."""
    grpo_screen_samples: int = 4
    """Samples of the base per candidate; GRPO trains on those with mixed rewards
    (`reasonscope.organism.grpo_prompts`). 0: no screening, every candidate."""
    grpo_max_completion: int = 96
    grpo_temperature: float = 1.0
    grpo_rollouts: Literal["trl", "decoder"] = "decoder"
    """The project's decoder samples the rollouts (reasonscope.train.rollouts): a step of 8 x 16
    rollouts decodes 3.3x faster than through TRL's generate here."""
    probe_suite: str | None = "rs-synth-easy-v2"
    """The v2 generators at difficulties 1-2, 64 items per cell: a cell's 95% CI half-width
    is about 0.1 or less at 2 samples (None: the default suite, 24 items per cell there)."""
    probe_difficulties: tuple[int, ...] = (1, 2)
    probe_per_cell: int | None = None
    probe_samples: int = 2
    probe_max_new_tokens: int = 256
    probe_batch: int = 256
    analysis: bool = True
    analysis_texts: int = 150
    analysis_train_items: int = 32
    analysis_sae_steps: int = 150

    @classmethod
    def quick(cls) -> DemoConfig:
        """A smoke-sized run (tests): every stage, one seed, a fraction of the steps."""
        return cls(seeds=(0,), finetune_per_cell=10, grpo_per_cell=10, checkpoints=2,
                   sft_steps=4, grpo_steps=2, grpo_generations=4, grpo_prompts_per_step=2,
                   grpo_screen_samples=0,
                   grpo_max_completion=32,
                   probe_per_cell=2, probe_samples=1, probe_max_new_tokens=48,
                   analysis_texts=16, analysis_train_items=4, analysis_sae_steps=10,
                   recipe=PretrainRecipe.quick())

    def with_seeds(self, k: int) -> DemoConfig:
        if k < 1:
            raise ValueError(f"--seeds must be >= 1, got {k}")
        return replace(self, seeds=tuple(range(k)))


def _jsonable(cfg: DemoConfig) -> dict[str, Any]:
    data = asdict(cfg)
    data["recipe"] = cfg.recipe.model_dump(mode="json") if cfg.recipe else None
    return data


CONFIG_NAME = "demo-config.json"


class DemoConfigMismatch(ValueError):
    """An output directory holds stages of a demo run with other settings."""


def _check_resumable(out: Path, cfg: DemoConfig) -> None:
    """Refuse to resume stages made with other settings (a base from another recipe, other step
    counts): their numbers would be reported as this run's. Only the seeds may differ, since
    more seeds add stages and leave the finished ones valid."""
    path = out / CONFIG_NAME
    if not path.exists():
        return
    try:
        before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoConfigMismatch(f"{path}: unreadable ({exc}); choose another --out") from None
    now = json.loads(json.dumps(_jsonable(cfg)))  # tuples as the file holds them: lists
    for side in (before, now):
        side["recipe"] = as_recipe(side.get("recipe"))
    changed = sorted(k for k in set(before) | set(now)
                     if k != "seeds" and before.get(k) != now.get(k))
    if changed:
        raise DemoConfigMismatch(f"{out} holds a demo run with other settings "
                                 f"({', '.join(changed)} differ, see {path}); choose another "
                                 "--out")


def run_demo(out: Path, cfg: DemoConfig | None = None, console: Console | None = None,
             workers: int = 1) -> Path:
    """Run (or resume) every stage, the fine-tunes and probes `workers` at a time; returns the
    path of the HTML report."""
    from reasonscope.fsutil import atomic_write_text
    from reasonscope.organism import study as st
    from reasonscope.organism.analysis_stage import run_analysis
    from reasonscope.organism.reporting import write_outputs
    from reasonscope.organism.stages import Stage, StageRunner

    cfg = cfg or DemoConfig()
    con = console or Console(stderr=True)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _check_resumable(out, cfg)
    atomic_write_text(out / CONFIG_NAME, json.dumps(_jsonable(cfg), indent=2) + "\n")
    stages = StageRunner(out, con)
    base_dir = out / "base"
    plan = st.plan(cfg.seeds)
    # In this process the stages print to the caller's console; a worker has its own.
    shown = con if workers <= 1 else None

    stages.run("base", lambda: _base(base_dir, cfg, con))
    parallel = [Stage("probe-base", partial(_probe_base, base_dir, out, cfg, shown))]
    screened = bool(cfg.grpo_screen_samples and any(ft.method == "grpo" for ft in plan))
    if screened:
        parallel.append(Stage("grpo-prompts", partial(_screen, base_dir, out, cfg, shown)))
    for ft in sorted(plan, key=partial(_chain_rank, cfg.seeds[: cfg.trajectory_seeds])):
        needs = ("grpo-prompts",) if screened and ft.method == "grpo" else ()
        parallel.append(Stage(f"train-{ft.name}", partial(_train, ft, base_dir, out, cfg, shown),
                              needs))
        parallel.append(Stage(f"probe-{ft.name}", partial(_probe, ft, out, cfg, shown),
                              (f"train-{ft.name}",)))
    stages.run_all(parallel, workers)
    if cfg.analysis:
        stages.run("analysis", lambda: run_analysis(out, base_dir, plan, cfg, con))
    stages.run("report", lambda: write_outputs(out, cfg.seeds, plan, stages.timings(), con))
    return out / "report.html"


# Longest chains (a training and its probe) first, so that the last to finish are short and
# no worker idles long at the end: the trajectory seeds' (their probe covers every checkpoint),
# and in each group long-CoT SFT (the longest answers to decode), GRPO (the longest training),
# short-CoT SFT (timings behind this order in benchmarks/RESULTS.md, *Demo timings*).
_CHAIN_ORDER = {"sft-long": 0, "grpo": 1, "sft-short": 2}


def _chain_rank(trajectory_seeds: Sequence[int], ft: FineTune) -> tuple[bool, int, int]:
    return ft.seed not in trajectory_seeds, _CHAIN_ORDER.get(ft.method, len(_CHAIN_ORDER)), ft.seed


# The stages below are module-level functions so that a worker process can run them.

def _base(base_dir: Path, cfg: DemoConfig, con: Console) -> None:
    from reasonscope.organism.shipped import install_base

    recipe = cfg.recipe if cfg.from_scratch else None
    install_base(base_dir, from_scratch=cfg.from_scratch, recipe=recipe)
    con.print(f"base model in {base_dir}")


def _probe_base(base_dir: Path, out: Path, cfg: DemoConfig, con: Console | None) -> None:
    from reasonscope.organism import study as st

    path = st.probe_base(base_dir, out, st.probe_task(cfg), cfg)
    (con or Console(stderr=True)).print(f"probe run: {path}")


def _screen(base_dir: Path, out: Path, cfg: DemoConfig, con: Console | None) -> None:
    from reasonscope.organism.grpo_prompts import screen_prompts

    screen_prompts(base_dir, out, cfg, con or Console(stderr=True))


def _train(ft: FineTune, base: Path, out: Path, cfg: DemoConfig, con: Console | None) -> None:
    from reasonscope.organism.study import run_finetune

    run_finetune(ft, base, out, cfg, con or Console(stderr=True))


def _probe(ft: FineTune, out: Path, cfg: DemoConfig, con: Console | None) -> None:
    from reasonscope.organism.study import probe_finetune, probe_task

    probe_finetune(ft, out, probe_task(cfg), cfg, con or Console(stderr=True))
