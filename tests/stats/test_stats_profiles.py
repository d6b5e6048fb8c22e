"""Profile shape, drift and transfer-index formulas (DESIGN section 5) against hand computations
and plain-loop references, including their guards."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reasonscope.results import profiles


def test_shape_metrics_by_hand() -> None:
    p = np.array([0.2, 0.4, 0.6, 0.8, 1.0])
    std = math.sqrt(sum((x - 0.6) ** 2 for x in p) / 5)  # population std
    assert profiles.spread(p) == pytest.approx(0.8)
    assert profiles.cv(p) == pytest.approx(std / 0.6)
    assert profiles.balance(p) == pytest.approx(1 - std / 0.6)
    assert math.isnan(float(profiles.cv(np.zeros(5))))


def test_movement_metrics_by_hand() -> None:
    delta = np.array([0.3, -0.1, 0.1, 0.0, 0.0])
    assert profiles.drift(delta) == pytest.approx(math.sqrt(0.11))
    mean = 0.06
    assert profiles.gain_unevenness(delta) == pytest.approx(
        math.sqrt(sum((x - mean) ** 2 for x in delta) / 5))
    assert profiles.spike_share(delta) == pytest.approx(0.75)
    assert profiles.spike_share(np.array([-0.1, -0.2, 0.0, 0.0, -0.3])) == 0.0


def test_metrics_skip_empty_cells_and_vectorize_over_replicates() -> None:
    p = np.array([0.2, np.nan, 0.6, 0.8, 1.0])
    assert profiles.spread(p) == pytest.approx(0.8)
    assert profiles.cv(p) == pytest.approx(np.std([0.2, 0.6, 0.8, 1.0]) / 0.65)
    assert math.isnan(float(profiles.spread(np.full(5, np.nan))))
    reps = np.random.default_rng(0).random((7, 5))
    for f in (profiles.spread, profiles.cv, profiles.balance, profiles.drift,
              profiles.gain_unevenness, profiles.spike_share):
        batch = f(reps)
        assert batch.shape == (7,)
        assert np.allclose(batch, [f(row) for row in reps])


def ref_transfer(r_model: np.ndarray, r_base: np.ndarray) -> tuple[list[float], list[float]]:
    """Plain loops over DESIGN's formulas; r arrays are (behaviors, domains) in percent."""
    di = []
    for g in range(r_model.shape[1]):
        dr = [r_model[b, g] - r_base[b, g] for b in range(r_model.shape[0])]
        mu = sum(dr) / len(dr)
        sigma = math.sqrt(sum((x - mu) ** 2 for x in dr) / len(dr))
        w = [100 - r_base[b, g] for b in range(r_model.shape[0])]
        if sigma == 0 or sum(w) == 0:
            di.append(math.nan)
            continue
        s = [math.copysign(math.sqrt(abs(x / sigma)), x) for x in dr]
        di.append(sum(wi / sum(w) * si for wi, si in zip(w, s, strict=True)))
    ti = [100 * x / di[0] if abs(di[0]) > 1e-6 else math.nan for x in di]
    return di, ti


def test_transfer_index_matches_reference_loops() -> None:
    rng = np.random.default_rng(11)
    for _ in range(20):
        base = rng.uniform(10, 90, size=(5, 4))
        model = np.clip(base + rng.normal(3, 8, size=(5, 4)), 0, 100)
        di = profiles.transfer_di(model, base)
        ti = profiles.transfer_index(di)
        ref_di, ref_ti = ref_transfer(model, base)
        assert np.allclose(di, ref_di, equal_nan=True)
        assert np.allclose(ti, ref_ti, equal_nan=True)
        assert ti[0] == pytest.approx(100.0)


def test_transfer_index_guards() -> None:
    base = np.full((5, 4), 50.0)
    model = base.copy()
    model[:, 0] += np.array([10, 5, 0, -5, 20])
    model[:, 1] += 7.0  # every cell moved the same: sigma = 0, DI undefined
    model[:, 2] += np.array([1, 2, 3, 4, 5])
    di = profiles.transfer_di(model, base)
    assert math.isnan(di[1]) and math.isnan(di[3])  # domain 3 did not move at all
    ti = profiles.transfer_index(di)
    assert ti[0] == pytest.approx(100) and math.isnan(ti[1]) and np.isfinite(ti[2])
    # A math domain whose gains cancel (DI_math ~ 0) leaves every TI undefined.
    flat = base.copy()
    flat[:, 0] += np.array([4, -4, 4, -4, 0])
    flat[:, 2] += np.array([1, 2, 3, 4, 5])
    assert np.all(np.isnan(profiles.transfer_index(profiles.transfer_di(flat, base))))
    # A perfect base leaves no room to weight: undefined rather than a division by zero.
    perfect = np.full((5, 4), 100.0)
    assert np.all(np.isnan(profiles.transfer_di(perfect - np.arange(5)[:, None], perfect)))


def test_transfer_di_leaves_out_empty_cells() -> None:
    base = np.random.default_rng(1).uniform(20, 80, size=(5, 4))
    model = base + np.random.default_rng(2).normal(0, 5, size=(5, 4))
    model_nan, base_nan = model.copy(), base.copy()
    model_nan[2, 1] = np.nan
    base_nan[2, 1] = np.nan
    keep = [0, 1, 3, 4]
    got = profiles.transfer_di(model_nan, base_nan)
    full = profiles.transfer_di(model, base)
    assert got[1] == pytest.approx(profiles.transfer_di(model[keep], base[keep])[1])
    assert np.allclose(got[[0, 2, 3]], full[[0, 2, 3]])
