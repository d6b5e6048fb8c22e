"""Skill profiles and how a model's profile moved away from a base (DESIGN section 5).

All numbers come from one set of bootstrap replicates per cell: items of a cell are resampled
with one index matrix that every run shares, so cell, behavior and domain scores, paired
differences, profile shape metrics and the transfer index all get CIs from the same draws, and a
model-minus-base replicate is a paired replicate. The shape formulas below take arrays whose last
axis is the profile, so the same code serves point estimates and (R x 5) replicate matrices.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from reasonscope.results import stats
from reasonscope.results.runs import (
    Cell,
    ItemTable,
    Run,
    align,
    assign_labels,
    cell_rates,
    group_trajectories,
    input_warnings,
)
from reasonscope.results.stats import Difference, Estimate, FloatArray, nanmean
from reasonscope.taxonomy import BEHAVIORS, CELLS, DOMAINS, Behavior, Domain

COLLAPSE_DROP = 0.05
TI_EPS = 1e-6
"""|DI_math| below this makes the transfer index undefined (division by ~0)."""
SIGMA_EPS = 1e-12

NB, ND = len(BEHAVIORS), len(DOMAINS)
K = TypeVar("K")


# ----- shape formulas (last axis = profile; NaN entries are empty cells and are skipped) -----

def _count(p: FloatArray) -> FloatArray:
    return np.isfinite(p).sum(axis=-1)


def spread(p: FloatArray) -> FloatArray:
    """max(p) - min(p)."""
    hi = np.where(np.isfinite(p), p, -np.inf).max(axis=-1)
    lo = np.where(np.isfinite(p), p, np.inf).min(axis=-1)
    return np.where(_count(p) > 0, hi - lo, np.nan)


def _std(p: FloatArray) -> FloatArray:
    """Population std over the defined entries."""
    mean = nanmean(p, axis=-1)
    dev = np.where(np.isfinite(p), p - np.expand_dims(mean, -1), 0.0)
    n = _count(p)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.sqrt((dev ** 2).sum(axis=-1) / np.maximum(n, 1)), np.nan)


def cv(p: FloatArray) -> FloatArray:
    """std(p) / mean(p), population std; undefined when the mean is 0."""
    mean = nanmean(p, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mean != 0, _std(p) / np.where(mean != 0, mean, 1.0), np.nan)


def balance(p: FloatArray) -> FloatArray:
    return 1.0 - cv(p)


def drift(delta: FloatArray) -> FloatArray:
    """||p - p0||_2."""
    ok = np.isfinite(delta)
    norm = np.sqrt((np.where(ok, delta, 0.0) ** 2).sum(axis=-1))
    return np.where(ok.any(axis=-1), norm, np.nan)


def gain_unevenness(delta: FloatArray) -> FloatArray:
    """std(p - p0), population std."""
    return _std(delta)


def spike_share(delta: FloatArray) -> FloatArray:
    """max(Δ⁺) / sum(Δ⁺): the share of all gains taken by the top skill; 0 without gains."""
    gains = np.where(np.isfinite(delta), np.clip(delta, 0.0, None), 0.0)
    total = gains.sum(axis=-1)
    top = gains.max(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, top / np.where(total > 0, total, 1.0), 0.0)
    return np.where(_count(delta) > 0, share, np.nan)


def transfer_di(r_model: FloatArray, r_base: FloatArray) -> FloatArray:
    """DI_g per domain (Huan et al. 2025) from cell accuracies in percent, shape (..., B, D).

    Units are the cells (behaviors) of each domain g; NaN cells are left out of their group.
    """
    delta = r_model - r_base
    ok = np.isfinite(delta) & np.isfinite(r_base)
    d0 = np.where(ok, delta, 0.0)
    n = ok.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, d0.sum(axis=-2) / np.maximum(n, 1), np.nan)
        sigma = np.sqrt(np.where(ok, (delta - np.expand_dims(mean, -2)) ** 2, 0.0).sum(axis=-2)
                        / np.maximum(n, 1))
        sigma_ok = (n > 0) & (sigma > SIGMA_EPS)
        dnorm = d0 / np.expand_dims(np.where(sigma_ok, sigma, 1.0), -2)
        s = np.sign(dnorm) * np.sqrt(np.abs(dnorm))
        w_raw = np.where(ok, 100.0 - r_base, 0.0)
        w_sum = w_raw.sum(axis=-2)
        w = w_raw / np.expand_dims(np.where(w_sum > 0, w_sum, 1.0), -2)
        di = (w * s).sum(axis=-2)
    return np.where(sigma_ok & (w_sum > 0), di, np.nan)


def transfer_index(di: FloatArray) -> FloatArray:
    """TI_g = 100 · DI_g / DI_math; undefined when DI_math is ~0 or undefined."""
    di_math = di[..., DOMAINS.index(Domain.MATH)]
    ok = np.isfinite(di_math) & (np.abs(di_math) > TI_EPS)
    with np.errstate(invalid="ignore", divide="ignore"):
        ti = 100.0 * di / np.expand_dims(np.where(ok, di_math, 1.0), -1)
    return np.where(np.expand_dims(ok, -1), ti, np.nan)


# ----- result types -----

@dataclass
class GridScores:
    cells: dict[Cell, Estimate]
    behaviors: dict[Behavior, Estimate]
    domains: dict[Domain, Estimate]
    overall: Estimate


@dataclass
class Shape:
    spread: Estimate
    cv: Estimate
    balance: Estimate


@dataclass
class Drift:
    drift: Estimate
    unevenness: Estimate
    spike_share: Estimate


@dataclass
class ModelProfile:
    label: str
    run: Run
    accuracy: GridScores
    pass_at_k: dict[int, GridScores]
    shape: Shape
    domain_shape: dict[Domain, Shape]
    rates: dict[Cell, tuple[int, float, float]]


@dataclass
class Paired:
    label: str
    cells: dict[Cell, Difference]
    behaviors: dict[Behavior, Difference]
    domains: dict[Domain, Difference]
    overall: Difference
    drift: Drift
    domain_drift: dict[Domain, Drift]
    collapsed: list[Behavior]
    transfer_di: dict[Domain, Estimate]
    transfer_index: dict[Domain, Estimate]


@dataclass
class Comparison:
    """Index 0 of `profiles` is the base; `paired[i]` compares `profiles[i + 1]` with it."""

    profiles: list[ModelProfile]
    paired: list[Paired]
    n_items: int
    items_per_run: list[int]
    seed: int
    replicates: int
    flips: int
    ks: tuple[int, ...]
    item_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    warnings: list[str] = field(default_factory=list)
    trajectories: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """series -> [(step, index into profiles)], sorted by step."""


# ----- engine -----

@dataclass
class _Replicates:
    """Point values (M, 20) and replicates (R, M, 20) of per-cell means for M series."""

    point: FloatArray
    reps: FloatArray
    n: np.ndarray


def _cell_replicates(series: list[list[FloatArray]], n_cells: np.ndarray, seed: int,
                     replicates: int) -> _Replicates:
    """series[s][c]: per-item values of series s in cell c (all series share items)."""
    m = len(series)
    point = np.full((m, len(CELLS)), np.nan)
    reps = np.full((replicates, m, len(CELLS)), np.nan)
    for ci, (b, d) in enumerate(CELLS):
        if n_cells[ci] == 0:
            continue
        values = np.stack([s[ci] for s in series])
        point[:, ci] = values.mean(axis=1)
        reps[:, :, ci] = stats.bootstrap_means(values, stats.derive_rng(seed, "bootstrap", b, d),
                                               replicates)
    return _Replicates(point, reps, n_cells)


def _grid(point: FloatArray, reps: FloatArray, n_cells: np.ndarray) -> GridScores:
    """Cell, behavior, domain and overall scores of one series: point (20,), reps (R, 20)."""
    p3, r3 = point.reshape(NB, ND), reps.reshape(-1, NB, ND)
    n3 = n_cells.reshape(NB, ND)
    cells = {cell: stats.estimate(point[i], reps[:, i], int(n_cells[i]))
             for i, cell in enumerate(CELLS)}
    b_pt, b_rep = nanmean(p3, axis=1), nanmean(r3, axis=2)
    d_pt, d_rep = nanmean(p3, axis=0), nanmean(r3, axis=1)
    behaviors = {b: stats.estimate(b_pt[i], b_rep[:, i], int(n3[i].sum()))
                 for i, b in enumerate(BEHAVIORS)}
    domains = {d: stats.estimate(d_pt[j], d_rep[:, j], int(n3[:, j].sum()))
               for j, d in enumerate(DOMAINS)}
    overall = stats.estimate(float(nanmean(b_pt, axis=0)), nanmean(b_rep, axis=1),
                             int(n_cells.sum()))
    return GridScores(cells, behaviors, domains, overall)


def _shape(p_pt: FloatArray, p_rep: FloatArray, n: int) -> Shape:
    return Shape(*(stats.estimate(float(f(p_pt)), f(p_rep), n) for f in (spread, cv, balance)))


def _drift(d_pt: FloatArray, d_rep: FloatArray, n: int) -> Drift:
    return Drift(*(stats.estimate(float(f(d_pt)), f(d_rep), n)
                   for f in (drift, gain_unevenness, spike_share)))


def _diff(point: float, reps: FloatArray, null: FloatArray, n: int) -> Difference:
    lo, hi = stats.percentile_ci(reps)
    if not np.isfinite(point):
        return Difference(math.nan, math.nan, math.nan, n, math.nan)
    return Difference(float(point), lo, hi, n, stats.permutation_pvalue(float(point), null))


def _with_q(diffs: dict[K, Difference], keys: Sequence[K]) -> dict[K, Difference]:
    """Benjamini-Hochberg across one family (the cells, behaviors or domains of a comparison)."""
    q = stats.bh_adjust(np.array([diffs[k].p for k in keys]))
    return {k: Difference(diffs[k].value, diffs[k].lo, diffs[k].hi, diffs[k].n, diffs[k].p,
                          float(q[i])) for i, k in enumerate(keys)}


def _paired(label: str, acc: _Replicates, null: FloatArray, mi: int) -> Paired:
    """Model `mi` vs series 0 (the base); null: (F, M, 20) sign-flip means of item diffs."""
    n_cells = acc.n
    dp = acc.point[mi] - acc.point[0]
    dr = acc.reps[:, mi] - acc.reps[:, 0]
    dn = null[:, mi]
    n3 = n_cells.reshape(NB, ND)
    p3, r3, z3 = dp.reshape(NB, ND), dr.reshape(-1, NB, ND), dn.reshape(-1, NB, ND)
    cells = _with_q({c: _diff(dp[i], dr[:, i], dn[:, i], int(n_cells[i]))
                     for i, c in enumerate(CELLS)}, CELLS)
    b_pt, b_rep, b_null = nanmean(p3, 1), nanmean(r3, 2), nanmean(z3, 2)
    behaviors = _with_q({b: _diff(b_pt[i], b_rep[:, i], b_null[:, i], int(n3[i].sum()))
                         for i, b in enumerate(BEHAVIORS)}, BEHAVIORS)
    d_pt, d_rep, d_null = nanmean(p3, 0), nanmean(r3, 1), nanmean(z3, 1)
    domains = _with_q({d: _diff(d_pt[j], d_rep[:, j], d_null[:, j], int(n3[:, j].sum()))
                       for j, d in enumerate(DOMAINS)}, DOMAINS)
    overall = _diff(float(nanmean(b_pt, 0)), nanmean(b_rep, 1), nanmean(b_null, 1),
                    int(n_cells.sum()))
    overall = Difference(overall.value, overall.lo, overall.hi, overall.n, overall.p, overall.p)
    total = int(n_cells.sum())
    collapsed = [b for b in BEHAVIORS
                 if behaviors[b].value <= -COLLAPSE_DROP and behaviors[b].hi < 0]
    rm, rb = 100 * acc.point[mi].reshape(NB, ND), 100 * acc.point[0].reshape(NB, ND)
    rm_rep = 100 * acc.reps[:, mi].reshape(-1, NB, ND)
    rb_rep = 100 * acc.reps[:, 0].reshape(-1, NB, ND)
    di_pt, di_rep = transfer_di(rm, rb), transfer_di(rm_rep, rb_rep)
    ti_pt, ti_rep = transfer_index(di_pt), transfer_index(di_rep)
    return Paired(
        label=label, cells=cells, behaviors=behaviors, domains=domains, overall=overall,
        drift=_drift(b_pt, b_rep, total),
        domain_drift={d: _drift(p3[:, j], r3[:, :, j], int(n3[:, j].sum()))
                      for j, d in enumerate(DOMAINS)},
        collapsed=collapsed,
        transfer_di={d: stats.estimate(float(di_pt[j]), di_rep[:, j], int(n3[:, j].sum()))
                     for j, d in enumerate(DOMAINS)},
        transfer_index={d: _ti_estimate(float(ti_pt[j]), ti_rep[:, j], int(n3[:, j].sum()),
                                        di_pt, di_rep)
                        for j, d in enumerate(DOMAINS)},
    )


def _ti_estimate(point: float, reps: FloatArray, n: int, di_pt: FloatArray,
                 di_rep: FloatArray) -> Estimate:
    """TI_g with its CI, or undefined when the math term is not distinguishable from 0: where
    the bootstrap CI of DI_math contains 0, dividing by it gives an index of any size and sign
    (values in the thousands), which says nothing about transfer."""
    j = DOMAINS.index(Domain.MATH)
    lo, hi = stats.percentile_ci(di_rep[:, j])
    if not np.isfinite(di_pt[j]) or not (np.isfinite(lo) and np.isfinite(hi)) or lo <= 0 <= hi:
        return Estimate(math.nan, math.nan, math.nan, n)
    return stats.estimate(point, reps, n)


def _sign_flip_nulls(tables: list[ItemTable], masks: list[np.ndarray], seed: int,
                     flips: int) -> FloatArray:
    """(F, M, 20) null means of a_i(M) - a_i(base) per cell; one flip matrix per cell."""
    m = len(tables)
    null = np.full((flips, m, len(CELLS)), np.nan)
    base = tables[0].accuracy
    for ci, (b, d) in enumerate(CELLS):
        mask = masks[ci]
        if not mask.any():
            continue
        diffs = np.stack([t.accuracy[mask] - base[mask] for t in tables])
        null[:, :, ci] = stats.sign_flip_means(diffs, stats.derive_rng(seed, "signflip", b, d),
                                               flips)
    return null


def compare_runs(base: Run, runs: Sequence[Run], *, seed: int = 0, ks: Sequence[int] = (1,),
                 replicates: int = stats.DEFAULT_REPLICATES,
                 flips: int = stats.DEFAULT_FLIPS) -> Comparison:
    """Profile `base` and every run on their shared items and compare each run with the base."""
    all_runs = [base, *runs]
    if any(not r.label for r in all_runs):
        assign_labels(all_runs)
    tables, info = align(all_runs)
    warnings = input_warnings(all_runs, info)
    masks = [tables[0].cell_mask(c) for c in CELLS]
    n_cells = np.array([int(m.sum()) for m in masks])
    empty = [f"{b.value}/{d.value}" for (b, d), n in zip(CELLS, n_cells, strict=True) if n == 0]
    if empty and info.n:
        warnings.append(f"{len(empty)} empty cell(s) (n=0, scores undefined): {', '.join(empty)}")

    acc = _cell_replicates([[t.accuracy[mk] for mk in masks] for t in tables], n_cells, seed,
                           replicates)
    pass_grids: list[dict[int, GridScores]] = [{} for _ in tables]
    series: list[list[FloatArray]] = []
    owners: list[tuple[int, int]] = []
    for ti, (run, t) in enumerate(zip(all_runs, tables, strict=True)):
        if len(t) == 0:
            continue
        n_min = int(t.n.min())
        for k in ks:
            if k > n_min:
                warnings.append(f"{run.label}: pass@{k} not reported (needs >= {k} samples per "
                                f"item; this run has {n_min})")
                continue
            values = stats.pass_at_k(t.n, t.c, k)
            series.append([values[mk] for mk in masks])
            owners.append((ti, k))
    if series:
        pk = _cell_replicates(series, n_cells, seed, replicates)
        for si, (ti, k) in enumerate(owners):
            pass_grids[ti][k] = _grid(pk.point[si], pk.reps[:, si], n_cells)

    profiles = []
    for ti, (run, t) in enumerate(zip(all_runs, tables, strict=True)):
        grid = _grid(acc.point[ti], acc.reps[:, ti], n_cells)
        p3, r3 = acc.point[ti].reshape(NB, ND), acc.reps[:, ti].reshape(-1, NB, ND)
        n3 = n_cells.reshape(NB, ND)
        profiles.append(ModelProfile(
            label=run.label, run=run, accuracy=grid, pass_at_k=pass_grids[ti],
            shape=_shape(nanmean(p3, 1), nanmean(r3, 2), int(n_cells.sum())),
            domain_shape={d: _shape(p3[:, j], r3[:, :, j], int(n3[:, j].sum()))
                          for j, d in enumerate(DOMAINS)},
            rates=cell_rates(t)))
    null = _sign_flip_nulls(tables, masks, seed, flips)
    paired = [_paired(run.label, acc, null, i + 1) for i, run in enumerate(runs)]
    comp = Comparison(profiles=profiles, paired=paired, n_items=info.n,
                      items_per_run=info.per_run, seed=seed, replicates=replicates, flips=flips,
                      ks=tuple(ks), item_ids=info.item_ids, warnings=warnings)
    comp.trajectories = group_trajectories(all_runs, comp.warnings)
    return comp
