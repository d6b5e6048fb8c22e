"""GRPO's prompt screen keeps exactly the candidates the base answered both right and wrong,
writes them in a form `train grpo --data` reads, and resumes from its stored samples."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from reasonscope.engine.store import read_samples
from reasonscope.items import read_items
from reasonscope.organism.demo import DemoConfig
from reasonscope.organism.grpo_prompts import PROMPTS_NAME, SCREEN_RUN, screen_prompts
from reasonscope.organism.shipped import install_base
from reasonscope.train.data import read_examples

pytestmark = pytest.mark.slow


def test_screen_keeps_the_mixed_reward_candidates(tmp_path: Path) -> None:
    base = install_base(tmp_path / "base", from_scratch=False)
    cfg = replace(DemoConfig(), grpo_per_cell=6, grpo_screen_samples=4)
    path = screen_prompts(base, tmp_path, cfg, Console(file=io.StringIO()))
    rows = read_samples(tmp_path / "runs" / SCREEN_RUN).to_pylist()
    assert len(rows) == 5 * 6 * 4  # every candidate of the 5 math behaviors, 4 samples each
    assert {r["domain"] for r in rows} == {"math"}
    right = Counter(r["item_id"] for r in rows if r["correct"])
    n = Counter(r["item_id"] for r in rows)
    mixed = {i for i in n if 0 < right[i] < n[i]}
    kept = read_items(path)
    assert path.name == PROMPTS_NAME and {i.id for i in kept} == mixed
    assert len(read_examples(path, need_completion=False, need_answer=True)) == len(kept)
    again = screen_prompts(base, tmp_path, cfg, Console(file=io.StringIO()))
    assert again.read_bytes() == path.read_bytes()
    assert read_samples(tmp_path / "runs" / SCREEN_RUN).num_rows == len(rows)
