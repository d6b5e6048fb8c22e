"""The demo end to end at smoke size: every stage runs, the report holds every run, and a
second call resumes without redoing anything."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reasonscope.engine.store import read_manifest, read_samples
from reasonscope.organism.demo import DemoConfig, run_demo

pytestmark = pytest.mark.slow


def test_quick_demo_runs_every_stage_and_resumes(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    cfg = DemoConfig.quick()
    report = run_demo(out, cfg)
    assert report.exists() and report.stat().st_size > 50_000
    html = report.read_text()
    assert "<script src=" not in html.replace("<script src=\"data:", "")  # self-contained

    base = out / "runs" / "base"
    assert read_manifest(base).step == 0
    steps = {kind: sorted(read_manifest(p).step or 0 for p in (out / "runs" / kind).glob("step-*"))
             for kind in ("sft-short", "sft-long", "grpo")}
    assert steps["sft-short"] == steps["sft-long"] == [2, 4, 6]
    assert steps["grpo"] == [1, 2, 3]
    n_items = 20 * cfg.probe_per_cell
    assert read_samples(base).num_rows == n_items * cfg.probe_samples

    comp = json.loads((out / "compare.json").read_text())
    assert len(comp["runs"]) == 10  # the base and nine checkpoints
    series = {Path(key).name: points for key, points in comp["trajectories"].items()}
    for kind, kind_steps in steps.items():
        assert [p["step"] for p in series[kind]] == kind_steps

    # the fine-tunes really were math-only: every generated training item is a math item
    for kind in ("sft-short", "sft-long"):
        resolved = json.loads((out / "train" / kind / "reasonscope-train.json").read_text())
        assert resolved["config"]["model"].endswith("final")

    t0 = time.perf_counter()
    run_demo(out, cfg)
    assert time.perf_counter() - t0 < 30, "a finished demo must resume without redoing stages"
