"""Item-level statistics of DESIGN section 5: accuracies, pass@k, bootstrap CIs, paired sign-flip
tests and Benjamini-Hochberg.

Everything random is drawn from generators derived from one user seed and a label that names the
estimate (e.g. the cell), so a number does not change when other numbers are added to a report,
and anyone can recompute it from the stored samples with the same seed. Bootstrap replicates are
drawn as rows of an (R x n) index matrix, chunked to bound memory; drawing rows one at a time
gives exactly the same indices, which is what the slow reference implementations in the tests
rely on.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special
from scipy.stats import false_discovery_control

DEFAULT_REPLICATES = 2000
DEFAULT_FLIPS = 10_000
ALPHA = 0.05
FDR_Q = 0.05
CHUNK_ELEMENTS = 2_000_000
"""Upper bound on the entries of one chunk of an index or sign matrix (~16 MB of int64)."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its percentile-bootstrap 95% CI over `n` items."""

    value: float
    lo: float
    hi: float
    n: int

    def to_dict(self) -> dict[str, float | int | None]:
        return {"value": _finite(self.value), "lo": _finite(self.lo), "hi": _finite(self.hi),
                "n": self.n}


@dataclass(frozen=True)
class Difference:
    """A paired difference (model minus base) with CI, permutation p-value and BH q-value."""

    value: float
    lo: float
    hi: float
    n: int
    p: float
    q: float = math.nan

    @property
    def significant(self) -> bool:
        return bool(np.isfinite(self.q) and self.q <= FDR_Q)

    def to_dict(self) -> dict[str, float | int | bool | None]:
        return {"value": _finite(self.value), "lo": _finite(self.lo), "hi": _finite(self.hi),
                "n": self.n, "p": _finite(self.p), "q": _finite(self.q),
                "significant": self.significant}


def _finite(x: float) -> float | None:
    """JSON has no NaN: an undefined number (empty cell, guard tripped) is null."""
    return float(x) if np.isfinite(x) else None


def derive_rng(seed: int, *labels: str) -> np.random.Generator:
    """A generator for one named estimate, independent of the order estimates are computed in."""
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    digest = hashlib.sha256("\x1f".join(labels).encode("utf-8")).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.default_rng([seed, *words])


def item_accuracy(correct: IntArray, samples: IntArray) -> FloatArray:
    """a_i = c_i / n_i."""
    c = np.asarray(correct, dtype=np.float64)
    n = np.asarray(samples, dtype=np.float64)
    if np.any(n <= 0):
        raise ValueError("every item needs at least one sample")
    return c / n


def pass_at_k(samples: IntArray, correct: IntArray, k: int) -> FloatArray:
    """Unbiased per-item pass@k, 1 - C(n-c, k) / C(n, k); defined only where k <= n."""
    n = np.asarray(samples, dtype=np.int64)
    c = np.asarray(correct, dtype=np.int64)
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if np.any(n < k):
        raise ValueError(f"pass@{k} needs at least {k} samples per item (min is {n.min()})")
    if np.any((c < 0) | (c > n)):
        raise ValueError("correct counts must lie in [0, n]")
    if k == 1:
        return c / n  # exactly the item accuracy, not a float-rounded twin of it
    fail = n - c
    out = np.ones(n.shape, dtype=np.float64)
    some = fail >= k
    f, nn = fail[some].astype(np.float64), n[some].astype(np.float64)
    # log C(f, k) - log C(n, k), exact enough for any n a run can hold.
    log_ratio = (special.gammaln(f + 1) - special.gammaln(f - k + 1)
                 - special.gammaln(nn + 1) + special.gammaln(nn - k + 1))
    out[some] = 1.0 - np.exp(log_ratio)
    return out


def index_chunks(rng: np.random.Generator, n: int, replicates: int,
                 chunk_elements: int = CHUNK_ELEMENTS) -> Iterator[IntArray]:
    """Rows of the bootstrap index matrix (each row: n draws with replacement from range(n))."""
    rows = max(1, chunk_elements // max(n, 1))
    for start in range(0, replicates, rows):
        yield rng.integers(0, n, size=(min(rows, replicates - start), n))


def bootstrap_means(values: FloatArray, rng: np.random.Generator,
                    replicates: int = DEFAULT_REPLICATES,
                    chunk_elements: int = CHUNK_ELEMENTS) -> FloatArray:
    """Replicate means of each row of `values` (m series x n items), resampling items jointly.

    Resampling the same items for every row is what makes differences between rows (two models on
    the same items) paired. Returns (replicates, m); all-NaN when there are no items.
    """
    v = np.atleast_2d(np.asarray(values, dtype=np.float64))
    m, n = v.shape
    if n == 0:
        return np.full((replicates, m), np.nan)
    out = np.empty((replicates, m))
    start = 0
    for idx in index_chunks(rng, n, replicates, chunk_elements):
        rows = idx.shape[0]
        # Multinomial counts per replicate, then one matrix product for all series.
        flat = (idx + (np.arange(rows) * n)[:, None]).ravel()
        counts = np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(np.float64)
        out[start:start + rows] = counts @ v.T / n
        start += rows
    return out


def sign_flip_means(diffs: FloatArray, rng: np.random.Generator, flips: int = DEFAULT_FLIPS,
                    chunk_elements: int = CHUNK_ELEMENTS) -> FloatArray:
    """Mean of each row of `diffs` (m x n) under random sign flips of items: (flips, m).

    Under the null of no difference each item's paired difference is as likely to be negated, so
    these are draws from the null distribution of the mean difference.
    """
    d = np.atleast_2d(np.asarray(diffs, dtype=np.float64))
    m, n = d.shape
    if n == 0:
        return np.full((flips, m), np.nan)
    out = np.empty((flips, m))
    rows = max(1, chunk_elements // n)
    for start in range(0, flips, rows):
        take = min(rows, flips - start)
        signs = rng.integers(0, 2, size=(take, n)) * 2.0 - 1.0
        out[start:start + take] = signs @ d.T / n
    return out


def permutation_pvalue(observed: float, null: FloatArray) -> float:
    """Two-sided p = (1 + #{|null| >= |observed|}) / (1 + F), never 0 (Phipson & Smyth 2010)."""
    null = np.asarray(null, dtype=np.float64)
    if not np.isfinite(observed) or null.size == 0 or not np.all(np.isfinite(null)):
        return math.nan
    tol = 1e-12 * max(1.0, abs(observed))
    hits = int(np.count_nonzero(np.abs(null) >= abs(observed) - tol))
    return (1 + hits) / (1 + null.size)


def sign_flip_pvalue(diffs: FloatArray, rng: np.random.Generator,
                     flips: int = DEFAULT_FLIPS) -> float:
    d = np.asarray(diffs, dtype=np.float64)
    if d.size == 0:
        return math.nan
    return permutation_pvalue(float(d.mean()), sign_flip_means(d, rng, flips)[:, 0])


def percentile_ci(replicates: FloatArray, alpha: float = ALPHA) -> tuple[float, float]:
    """Percentile interval over the replicates where the statistic is defined."""
    r = np.asarray(replicates, dtype=np.float64)
    r = r[np.isfinite(r)]
    if r.size == 0:
        return math.nan, math.nan
    lo, hi = np.percentile(r, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def estimate(value: float, replicates: FloatArray, n: int) -> Estimate:
    lo, hi = percentile_ci(replicates)
    if not np.isfinite(value):
        lo = hi = math.nan
    return Estimate(float(value), lo, hi, n)


def bootstrap_ci(values: FloatArray, rng: np.random.Generator,
                 replicates: int = DEFAULT_REPLICATES) -> Estimate:
    """Mean of per-item values with its percentile-bootstrap CI."""
    v = np.asarray(values, dtype=np.float64)
    if v.size == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    return estimate(float(v.mean()), bootstrap_means(v, rng, replicates)[:, 0], int(v.size))


def paired_difference(model: FloatArray, base: FloatArray, boot_rng: np.random.Generator,
                      flip_rng: np.random.Generator, replicates: int = DEFAULT_REPLICATES,
                      flips: int = DEFAULT_FLIPS) -> Difference:
    """Mean of a_i(M) - a_i(base) with bootstrap CI and sign-flip p-value (q left to BH)."""
    d = np.asarray(model, dtype=np.float64) - np.asarray(base, dtype=np.float64)
    if d.size == 0:
        return Difference(math.nan, math.nan, math.nan, 0, math.nan)
    est = bootstrap_ci(d, boot_rng, replicates)
    return Difference(est.value, est.lo, est.hi, est.n, sign_flip_pvalue(d, flip_rng, flips))


def bh_adjust(pvalues: FloatArray) -> FloatArray:
    """Benjamini-Hochberg q-values over the defined p-values; undefined ones stay NaN."""
    p = np.asarray(pvalues, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        q[ok] = false_discovery_control(p[ok], method="bh")
    return q


def nanmean(x: FloatArray, axis: int) -> FloatArray:
    """Mean over the defined entries (macro over non-empty cells); NaN where none is defined,
    without numpy's empty-slice warning."""
    x = np.asarray(x, dtype=np.float64)
    ok = np.isfinite(x)
    count = ok.sum(axis=axis)
    total = np.where(ok, x, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)
