"""Latents: probes on synthetic representations with known separability, centroid shifts with
a planted offset, and the pooled states of real (tiny) models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reasonscope.analysis.latents import (
    LatentOptions,
    analyze_latents,
    latents_from_states,
    probe_accuracy,
)
from reasonscope.analysis.texts import TextSample
from reasonscope.taxonomy import BEHAVIORS

N_PER_CLASS = 40


def _separable(seed: int = 0) -> tuple[np.ndarray, list[str | None]]:
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 4, size=(len(BEHAVIORS), 16))
    x = np.concatenate([c + rng.normal(0, 1, size=(N_PER_CLASS, 16)) for c in centers])
    y: list[str | None] = [b.value for b in BEHAVIORS for _ in range(N_PER_CLASS)]
    return x.astype(np.float32), y


def test_probe_is_high_on_separable_and_chance_on_shuffled_labels() -> None:
    x, y = _separable()
    acc, std, folds = probe_accuracy(x, y, folds=5, seed=0)
    assert acc is not None and acc > 0.95 and folds == 5 and std is not None
    shuffled, _, _ = probe_accuracy(x, y, folds=5, seed=0, shuffle_labels=True)
    assert shuffled is not None and abs(shuffled - 1 / len(BEHAVIORS)) < 0.12


def test_probe_is_chance_on_noise() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 16)).astype(np.float32)
    y: list[str | None] = [BEHAVIORS[i % 5].value for i in range(200)]
    acc, _, _ = probe_accuracy(x, y)
    assert acc is not None and abs(acc - 0.2) < 0.12


def test_probe_needs_two_examples_per_class() -> None:
    x = np.zeros((3, 2), dtype=np.float32)
    assert probe_accuracy(x, ["a", "b", "b"]) == (None, None, 0)
    assert probe_accuracy(x, ["a", "a", "a"]) == (None, None, 0)


def test_centroid_shift_and_pca_in_the_base_frame() -> None:
    x, y = _separable(2)
    texts = [TextSample(i, "p", "", None, b, "math") for i, b in enumerate(y)]
    base = np.stack([x, 2 * x], axis=1)  # two "layers"
    offset = np.zeros(16, dtype=np.float32)
    offset[3] = 5.0
    states = {"base": base, "tuned": base + offset}
    report = latents_from_states("b", states, texts, LatentOptions(pca_components=4, folds=3,
                                                                   targets=("behavior",)))
    shifts = {(s.model, s.layer): s for s in report.shifts}
    assert shifts[("tuned", 0)].centroid_shift == pytest.approx(5.0, rel=1e-5)
    assert shifts[("tuned", 1)].centroid_shift == pytest.approx(5.0, rel=1e-5)
    assert shifts[("tuned", 0)].centroid_shift_pca <= 5.0 + 1e-5
    assert len(report.explained_variance[0]) == 4
    assert sum(report.explained_variance[0]) <= 1.0 + 1e-6
    probes = {(p.model, p.layer): p for p in report.probes}
    assert probes[("base", 0)].accuracy is not None and probes[("base", 0)].accuracy > 0.95
    assert probes[("base", 0)].chance == pytest.approx(0.2)
    assert set(report.pca_coords) == {"base", "tuned"}


def test_pooled_states_of_tiny_models(tiny_model_dir: Path, tiny_model_dir_b: Path) -> None:
    texts = [TextSample(i, f"Question {i}: compute {i} + {i}.", f"\\boxed{{{2 * i}}}", f"i{i}",
                        BEHAVIORS[i % 2].value, "math") for i in range(12)]
    report = analyze_latents(tiny_model_dir, {"b": tiny_model_dir_b}, texts,
                             LatentOptions(span="prompt", folds=3, batch_size=5))
    assert report.n_layers == 3  # embeddings + 2 blocks
    assert {s.model for s in report.shifts} == {"b"}
    assert all(s.centroid_shift > 0 for s in report.shifts)
    assert {(p.model, p.target) for p in report.probes} == {("base", "behavior"),
                                                            ("b", "behavior"),
                                                            ("base", "domain"), ("b", "domain")}
    # one domain only: no probe can be fitted for it
    assert all(p.accuracy is None for p in report.probes if p.target == "domain")
    self_shift = analyze_latents(tiny_model_dir, {"same": tiny_model_dir}, texts[:4],
                                 LatentOptions(folds=2)).shifts
    assert all(s.centroid_shift == pytest.approx(0.0, abs=1e-5) for s in self_shift)
