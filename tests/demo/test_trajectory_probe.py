"""Which samples each checkpoint of a fine-tune is probed with."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from reasonscope.organism import study as st
from reasonscope.organism.demo import DemoConfig
from reasonscope.train import probe
from reasonscope.train.probe import ProbeOutcome, ProbeTarget


@pytest.mark.parametrize(("seed", "expected"), [(0, [1, 1, 1, 2]), (1, [2])])
def test_final_checkpoint_gets_the_full_probe_earlier_ones_fewer_samples(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seed: int, expected: list[int]) -> None:
    cfg = replace(DemoConfig(), probe_suite=None, probe_per_cell=1)
    targets = [ProbeTarget(s, tmp_path / f"checkpoint-{s}") for s in (20, 40, 60, 80)]
    seen: list[tuple[int, int]] = []

    def fake_probe(target: ProbeTarget, spec: Any, runs_dir: Path) -> ProbeOutcome:
        seen.append((target.step, spec.config.samples))
        return ProbeOutcome(target.step, runs_dir, skipped=False, accuracy=0.5)

    monkeypatch.setattr(probe, "probe_targets", lambda *a, **k: targets)
    monkeypatch.setattr(probe, "probe_one", fake_probe)
    ft = st.FineTune("sft-short", seed)
    st.probe_finetune(ft, tmp_path, st.probe_task(cfg), cfg, Console(file=None, quiet=True))
    steps = [20, 40, 60, 80] if seed == 0 else [80]
    assert seen == list(zip(steps, expected, strict=True))
    gens = {s: st.probe_task(cfg, s).generation for s in (1, 2)}
    assert gens[1].model_dump(exclude={"samples"}) == gens[2].model_dump(exclude={"samples"})
