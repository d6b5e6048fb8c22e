"""GRPO's prompts: math items the base solves sometimes, neither never nor always.

GRPO learns only from a group whose rollouts got different rewards; on a weak base most
random prompts give 16 wrong answers and no gradient. So, as RL recipes for reasoning models do
(offline difficulty filtering), the demo screens candidate training items once against the
base, sampling each as GRPO will (same prompt rendering, temperature, completion budget), and
trains GRPO on those with at least one right and one wrong answer. The candidates are the
generated math training set (training seeds, disjoint from every suite); the probe never sees
them. The signal share GRPO then reports during training is still measured, not assumed: the
screen predicts it, it does not set it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from reasonscope.organism.demo import DemoConfig

PROMPTS_NAME = "grpo-prompts.jsonl"
SCREEN_RUN = "grpo-screen"


def screen_prompts(base: Path, out: Path, cfg: DemoConfig, console: Console) -> Path:
    """Sample the base on the candidates (resumable run in `out/runs/grpo-screen`) and write
    the kept items to `out/grpo-prompts.jsonl` in the suite format `train grpo --data` reads."""
    from reasonscope.bench.suites import training_items
    from reasonscope.engine.runner import run_items
    from reasonscope.engine.store import read_samples
    from reasonscope.fsutil import atomic_write_bytes
    from reasonscope.genconfig import GenerationConfig
    from reasonscope.items import dumps_items
    from reasonscope.taxonomy import BEHAVIORS, Domain

    candidates = training_items(behaviors=BEHAVIORS, domains=(Domain.MATH,),
                                per_cell=cfg.grpo_per_cell,
                                difficulties=cfg.grpo_difficulties, seed=cfg.finetune_data_seed)
    k = cfg.grpo_screen_samples
    gen = GenerationConfig(temperature=cfg.grpo_temperature, top_p=1.0, samples=k,
                           max_new_tokens=cfg.grpo_max_completion, seed=0)
    run_dir = Path(out) / "runs" / SCREEN_RUN
    run_items(base, candidates, gen, run_dir, suite_name="grpo-candidates",
              suite_hash=hashlib.sha256(dumps_items(candidates)).hexdigest(), step=0,
              device="cpu", batch_size=cfg.probe_batch)
    table = read_samples(run_dir).select(["item_id", "correct"]).to_pylist()
    right = Counter(r["item_id"] for r in table if r["correct"])
    kept = [i for i in candidates if 0 < right[i.id] < k]
    if not kept:
        raise RuntimeError(f"no GRPO candidate had mixed rewards over {k} samples of the base "
                           f"({len(candidates)} candidates): the base is too weak for GRPO here")
    console.print(f"GRPO prompts: {len(kept)} of {len(candidates)} candidates had mixed "
                  f"rewards over {k} samples of the base")
    path = Path(out) / PROMPTS_NAME
    atomic_write_bytes(path, dumps_items(kept))
    return path
