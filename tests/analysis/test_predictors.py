"""Forgetting predictors: Spearman correlations with their guards, and behavioral drift read
from stored runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rs_analysiskit import sample_row, write_run

from reasonscope.analysis.predictors import (
    CheckpointStats,
    behavior_drift,
    correlate,
    spearman,
)
from reasonscope.taxonomy import BEHAVIORS, DOMAINS


def test_spearman_matches_scipy_and_guards() -> None:
    from scipy.stats import spearmanr

    xs = [0.1, 0.4, 0.2, 0.9, 0.5]
    ys = [3.0, 1.0, 2.5, -1.0, 0.0]
    rho, p, n = spearman(xs, ys)
    ref = spearmanr(xs, ys)
    assert rho == pytest.approx(ref.statistic) and p == pytest.approx(ref.pvalue) and n == 5
    assert spearman([1.0, 2.0], [2.0, 1.0]) == (None, None, 2)
    assert spearman([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])[0] is None
    assert spearman([1.0, None, 2.0, 3.0, float("nan")], [1, 5, 2, 3, 4])[2] == 3


def test_correlate_finds_the_planted_predictor() -> None:
    kl = [0.01, 0.05, 0.1, 0.2, 0.4]
    frac = [0.9, 0.2, 0.95, 0.5, 0.7]
    rows = [CheckpointStats(f"c{i}", "sft" if i % 2 else "grpo",
                            {"kl_train": k, "changed_frac_exact": f},
                            {"calculation": -k * 2, "drift": k})
            for i, (k, f) in enumerate(zip(kl, frac, strict=True))]
    report = correlate(rows, statistics=("kl_train", "changed_frac_exact"),
                       targets=("calculation", "drift"))
    best = report.best("calculation")
    assert best is not None and best.statistic == "kl_train" and best.rho == pytest.approx(-1.0)
    assert len(report.to_dict()["correlations"]) == 4


def _run(root: Path, name: str, correct_calc: float) -> Path:
    rows = []
    for b in BEHAVIORS:
        for d in DOMAINS:
            for i in range(4):
                ok = (i < 4 * correct_calc) if b.value == "calculation" else i < 2
                rows.append(sample_row(name, name, f"{b.value}-{d.value}-{i}", b.value, d.value,
                                       0, "p", "c", correct=bool(ok)))
    return write_run(root, name, rows, model=name)


def test_behavior_drift_from_runs(tmp_path: Path) -> None:
    base = _run(tmp_path, "base", 0.5)
    drift = behavior_drift(base, {"up": _run(tmp_path, "up", 1.0),
                                  "down": _run(tmp_path, "down", 0.0)})
    assert drift["up"]["calculation"] == pytest.approx(0.5)
    assert drift["down"]["calculation"] == pytest.approx(-0.5)
    assert drift["up"]["simulation"] == pytest.approx(0.0)
    assert drift["up"]["drift"] == pytest.approx(0.5)
