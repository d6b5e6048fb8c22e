"""stats.py against slow reference loops (same seeds) and against simulated data with known
truth: CI coverage, null p-value calibration, power, Benjamini-Hochberg by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from reasonscope.results import stats


def ref_bootstrap_means(values: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
    out = []
    for _ in range(reps):
        idx = rng.integers(0, len(values), size=len(values))
        out.append(sum(values[i] for i in idx) / len(values))
    return np.array(out)


def ref_sign_flip_p(d: np.ndarray, rng: np.random.Generator, flips: int) -> float:
    obs = abs(d.mean())
    hits = 0
    for _ in range(flips):
        s = rng.integers(0, 2, size=len(d)) * 2 - 1
        if abs((s * d).mean()) >= obs - 1e-12:
            hits += 1
    return (1 + hits) / (1 + flips)


def test_derive_rng_is_stable_and_label_specific() -> None:
    a = stats.derive_rng(3, "bootstrap", "calculation", "math").random(4)
    b = stats.derive_rng(3, "bootstrap", "calculation", "math").random(4)
    c = stats.derive_rng(3, "bootstrap", "calculation", "science").random(4)
    d = stats.derive_rng(4, "bootstrap", "calculation", "math").random(4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, d)
    with pytest.raises(ValueError):
        stats.derive_rng(-1, "x")


def test_pass_at_k_matches_exact_combinatorics() -> None:
    for n in range(1, 11):
        for c in range(n + 1):
            for k in range(1, n + 1):
                exact = 1 - math.comb(n - c, k) / math.comb(n, k)
                got = stats.pass_at_k(np.array([n]), np.array([c]), k)[0]
                assert got == pytest.approx(exact, abs=1e-12), (n, c, k)
    n, c = np.array([4, 8, 3]), np.array([1, 0, 3])
    assert np.allclose(stats.pass_at_k(n, c, 1), c / n)


def test_pass_at_k_refuses_k_above_samples() -> None:
    with pytest.raises(ValueError, match="at least 4 samples"):
        stats.pass_at_k(np.array([4, 1]), np.array([1, 0]), 4)


@pytest.mark.parametrize(("n", "chunk"), [(1, 10), (7, 20), (30, 95), (50, 2_000_000)])
def test_bootstrap_means_match_reference_loop(n: int, chunk: int) -> None:
    values = np.random.default_rng(n).random(n)
    fast = stats.bootstrap_means(values, stats.derive_rng(9, "t"), 300, chunk_elements=chunk)
    slow = ref_bootstrap_means(values, stats.derive_rng(9, "t"), 300)
    assert fast.shape == (300, 1)
    assert np.allclose(fast[:, 0], slow, atol=1e-12)


def test_bootstrap_means_are_paired_across_series() -> None:
    v = np.random.default_rng(1).random((3, 25))
    reps = stats.bootstrap_means(v, stats.derive_rng(0, "p"), 200)
    for row in range(3):
        single = stats.bootstrap_means(v[row], stats.derive_rng(0, "p"), 200)[:, 0]
        assert np.allclose(reps[:, row], single)
    diff = stats.bootstrap_means(v[1] - v[0], stats.derive_rng(0, "p"), 200)[:, 0]
    assert np.allclose(reps[:, 1] - reps[:, 0], diff)


def test_bootstrap_ci_matches_reference_percentiles() -> None:
    values = np.random.default_rng(2).random(40)
    est = stats.bootstrap_ci(values, stats.derive_rng(5, "ci"))
    slow = ref_bootstrap_means(values, stats.derive_rng(5, "ci"), stats.DEFAULT_REPLICATES)
    lo, hi = np.percentile(slow, [2.5, 97.5])
    assert est.value == pytest.approx(values.mean())
    assert (est.lo, est.hi) == (pytest.approx(lo), pytest.approx(hi))
    assert est.n == 40


def test_empty_inputs_are_undefined_not_errors() -> None:
    est = stats.bootstrap_ci(np.array([]), stats.derive_rng(0, "e"))
    assert est.n == 0 and math.isnan(est.value) and est.to_dict()["value"] is None
    diff = stats.paired_difference(np.array([]), np.array([]), stats.derive_rng(0, "a"),
                                   stats.derive_rng(0, "b"))
    assert diff.n == 0 and math.isnan(diff.p) and not diff.significant


@pytest.mark.parametrize("chunk", [13, 2_000_000])
def test_sign_flip_matches_reference_loop(chunk: int) -> None:
    d = np.random.default_rng(3).normal(0.1, 0.5, size=15)
    null = stats.sign_flip_means(d, stats.derive_rng(1, "f"), 2000, chunk_elements=chunk)[:, 0]
    fast = stats.permutation_pvalue(float(d.mean()), null)
    slow = ref_sign_flip_p(d, stats.derive_rng(1, "f"), 2000)
    assert fast == slow
    assert stats.sign_flip_pvalue(d, stats.derive_rng(1, "f"), 2000) == slow


def test_permutation_pvalue_is_never_zero_and_one_for_no_difference() -> None:
    assert stats.permutation_pvalue(10.0, np.zeros(99)) == pytest.approx(0.01)
    p = stats.sign_flip_pvalue(np.zeros(12), stats.derive_rng(0, "z"), 500)
    assert p == 1.0


def test_benjamini_hochberg_matches_hand_computation() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20, np.nan])
    # Sorted 0.01, 0.03, 0.04, 0.20 (m = 4): p*m/rank = 0.04, 0.06, 0.0533, 0.20, then the
    # running minimum from the top: 0.04, 0.0533, 0.0533, 0.20.
    q = stats.bh_adjust(p)
    assert np.allclose(q[:4], [0.04, 0.16 / 3, 0.16 / 3, 0.20])
    assert math.isnan(q[4])
    assert np.all(np.isnan(stats.bh_adjust(np.array([np.nan, np.nan]))))


def test_nanmean_skips_undefined_entries_without_warning() -> None:
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]])
    with np.errstate(all="raise"):
        m = stats.nanmean(x, axis=1)
    assert m[0] == 2.0 and math.isnan(m[1])


def _simulated_accuracies(rng: np.random.Generator, n_items: int, samples: int,
                          shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Item accuracies of a base and a model on the same items; E[a_i] = 0.5 and 0.5 + shift."""
    p = rng.beta(2, 2, size=n_items)
    base = rng.binomial(samples, p) / samples
    model = rng.binomial(samples, np.clip(p + shift, 0, 1)) / samples
    return base, model


def test_bootstrap_ci_coverage_is_near_nominal() -> None:
    rng = np.random.default_rng(2024)
    covered = covered_diff = 0
    trials = 200
    for t in range(trials):
        base, model = _simulated_accuracies(rng, 80, 4, shift=0.1)
        est = stats.bootstrap_ci(base, stats.derive_rng(t, "cov"))
        covered += est.lo <= 0.5 <= est.hi
        diff = stats.paired_difference(model, base, stats.derive_rng(t, "d"),
                                       stats.derive_rng(t, "f"), flips=200)
        covered_diff += diff.lo <= 0.1 <= diff.hi
    assert 0.91 <= covered / trials <= 0.98
    assert 0.91 <= covered_diff / trials <= 0.98


def test_sign_flip_pvalues_are_calibrated_under_the_null_and_small_under_an_effect() -> None:
    rng = np.random.default_rng(7)
    null_p = []
    for t in range(300):
        base, model = _simulated_accuracies(rng, 40, 4)
        null_p.append(stats.sign_flip_pvalue(model - base, stats.derive_rng(t, "n"), 2000))
    arr = np.array(null_p)
    assert 0.01 <= np.mean(arr <= 0.05) <= 0.10
    assert 0.12 <= np.mean(arr <= 0.20) <= 0.28
    assert 0.42 <= arr.mean() <= 0.62
    effect_p = []
    for t in range(50):
        base, model = _simulated_accuracies(rng, 60, 4, shift=0.2)
        effect_p.append(stats.sign_flip_pvalue(model - base, stats.derive_rng(t, "e")))
    assert np.mean(np.array(effect_p) < 0.01) >= 0.9
