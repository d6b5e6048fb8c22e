"""Arithmetic on one base tensor and its tuned counterparts.

Only the stored tensors (file-backed views) are whole in memory; every fp32 intermediate is one
row chunk, so peak memory is about the stored pair plus a few chunk-sized buffers, whatever the
tensor's size. One pass gives every count and sum, the cross products between the updates of
several tuned models, and the sketch for σ_max(Δ): Y = ΔΩ and Z = ΔᵀY, row by row.

σ_max is exact (singular values of the whole Δ) for matrices whose smaller side is at most
`EXACT_SIDE`. Otherwise it is the Rayleigh-Ritz value of Δ on span(Y) (randomized range finder,
Halko, Martinsson & Tropp 2011, with a Gaussian block of `sketch` columns): with Y = U S Vᵀ,
σ̂ = σ_max(ΔᵀU) = σ_max(Z V S⁻¹), which needs no pass beyond the scan. Each power iteration
(Ω ← orth(ΔᵀU), then Y, Z again) costs one more pass. σ̂ never exceeds σ_max, so the stable
rank it gives is an upper bound, exact when rank(Δ) <= sketch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from reasonscope.analysis import fused

EXACT_SIDE = 256
DEFAULT_CHUNK = 1 << 20


@dataclass
class PairSums:
    """Exact counts and float sums for one (base, tuned) tensor pair."""

    numel: int = 0
    changed_exact: int = 0
    changed_bf16: int = 0
    changed_tol: int = 0
    abs_sum: float = 0.0
    delta_sq: float = 0.0
    base_sq: float = 0.0


def compute_dtype(*tensors: torch.Tensor) -> torch.dtype:
    """fp64 when any side is fp64 (or an integer type), else fp32 (exact for bf16/fp16)."""
    if any(t.dtype == torch.float64 or not (t.is_floating_point()) for t in tensors):
        return torch.float64
    return torch.float32


def as_matrix(t: torch.Tensor) -> torch.Tensor:
    """Tensors of rank >= 2 as (first dim, rest); vectors and scalars as one row."""
    if t.dim() >= 2:
        return t.reshape(t.shape[0], -1)
    return t.reshape(1, -1)


def _careful_counts(x: torch.Tensor, y: torch.Tensor, d: torch.Tensor, thr: torch.Tensor | float,
                    both_bf16: bool, xs: torch.Tensor, ys: torch.Tensor) -> tuple[int, int, int]:
    """Counts when a chunk holds NaN or infinities: NaN equals NaN, inf equals inf."""
    both_nan = torch.isnan(x) & torch.isnan(y)
    differ = (x != y) & ~both_nan
    exact = int(torch.count_nonzero(differ))
    tol = int(torch.count_nonzero(differ & ~(d.abs() <= thr)))
    if both_bf16:
        return exact, exact, tol
    xb, yb = xs.to(torch.bfloat16), ys.to(torch.bfloat16)
    bf = int(torch.count_nonzero((xb != yb) & ~(torch.isnan(xb) & torch.isnan(yb))))
    return exact, bf, tol


Sketch = tuple[torch.Tensor, torch.Tensor]


@dataclass
class Scan:
    sums: list[PairSums]
    cross: list[list[float]]
    """cross[i][j] = <Δ_i, Δ_j> over the whole tensor (the Gram matrix of the updates)."""
    sketches: list[Sketch | None]
    """(Δ_i Ω, Δ_iᵀ Δ_i Ω) for the randomized σ_max, or None (vector, or small: exact)."""


def scan(base: torch.Tensor, tuned: list[torch.Tensor], *, atol: float = 1e-5,
         rtol: float = 0.0, chunk_elems: int = DEFAULT_CHUNK, omega: torch.Tensor | None = None,
         use_fused: bool = True) -> Scan:
    """One pass over base and every tuned tensor (all of base's shape): the fused kernel for
    bf16/fp32 tensors when numba is there, else torch over row chunks."""
    if use_fused and fused.eligible(base, *tuned):
        return _fused_scan(base, tuned, atol, rtol, omega)
    return _torch_scan(base, tuned, atol=atol, rtol=rtol, chunk_elems=chunk_elems, omega=omega)


def _fused_scan(base: torch.Tensor, tuned: list[torch.Tensor], atol: float, rtol: float,
                omega: torch.Tensor | None) -> Scan:
    w0 = as_matrix(base)
    w1s = [as_matrix(t) for t in tuned]
    sums, sketches = [], []
    for w1 in w1s:
        (n_exact, n_tol, n_bf16, abs_sum, delta_sq, base_sq), sketch = fused.scan_pair(
            w0, w1, atol, rtol, omega)
        sums.append(PairSums(base.numel(), int(n_exact), int(n_bf16), int(n_tol), abs_sum,
                             delta_sq, base_sq))
        sketches.append(sketch)
    k = len(tuned)
    cross = [[0.0] * k for _ in range(k)]
    for i in range(k):
        cross[i][i] = sums[i].delta_sq
        for j in range(i + 1, k):
            cross[i][j] = cross[j][i] = fused.cross_dot(w0, w1s[i], w1s[j])
    return Scan(sums, cross, sketches)


def _torch_scan(base: torch.Tensor, tuned: list[torch.Tensor], *, atol: float, rtol: float,
                chunk_elems: int, omega: torch.Tensor | None) -> Scan:
    cd = compute_dtype(base, *tuned)
    w0 = as_matrix(base)
    w1s = [as_matrix(t) for t in tuned]
    rows, cols = w0.shape
    step = max(1, chunk_elems // max(cols, 1))
    k = len(tuned)
    sums = [PairSums(numel=base.numel()) for _ in tuned]
    cross = [[0.0] * k for _ in range(k)]
    q = omega.shape[1] if omega is not None else 0
    sk_y = [torch.zeros(rows, q, dtype=cd) for _ in tuned]
    sk_z = [torch.zeros(cols, q, dtype=cd) for _ in tuned]
    om = omega.to(cd) if omega is not None else None
    for r0 in range(0, rows, step):
        xs = w0[r0:r0 + step]
        x = xs.to(cd)
        base_sq = float(torch.dot(x.reshape(-1), x.reshape(-1)))
        thr: torch.Tensor | float = atol + rtol * x.abs() if rtol else atol
        deltas = []
        for i, w1 in enumerate(w1s):
            ys = w1[r0:r0 + step]
            y = ys.to(cd)
            d = y - x
            flat = d.reshape(-1)
            s = sums[i]
            sq = float(torch.dot(flat, flat))
            ad = d.abs()
            both_bf16 = xs.dtype == torch.bfloat16 and ys.dtype == torch.bfloat16
            if math.isfinite(sq) and math.isfinite(base_sq):
                exact = int(torch.count_nonzero(d))
                tol = int(torch.count_nonzero(ad > thr))
                if both_bf16:
                    bf = exact
                else:
                    bf = int(torch.count_nonzero(xs.to(torch.bfloat16) != ys.to(torch.bfloat16)))
                s.abs_sum += float(ad.sum())
            else:
                exact, bf, tol = _careful_counts(x, y, d, thr, both_bf16, xs, ys)
                s.abs_sum += float(torch.nan_to_num(ad, nan=0.0, posinf=0.0).sum())
            s.changed_exact += exact
            s.changed_bf16 += bf
            s.changed_tol += tol
            s.delta_sq += sq
            s.base_sq += base_sq
            if om is not None:
                block = d @ om
                sk_y[i][r0:r0 + step] = block
                sk_z[i] += d.T @ block
            deltas.append(flat)
        for i in range(k):
            for j in range(i + 1, k):
                cross[i][j] += float(torch.dot(deltas[i], deltas[j]))
    for i in range(k):
        cross[i][i] = sums[i].delta_sq
        for j in range(i):
            cross[i][j] = cross[j][i]
    sketches: list[Sketch | None] = [(y, z) if om is not None else None
                                     for y, z in zip(sk_y, sk_z, strict=True)]
    return Scan(sums, cross, sketches)


def needs_sketch(shape: tuple[int, ...]) -> bool:
    """Matrices whose smaller side exceeds EXACT_SIDE get the randomized estimate."""
    if len(shape) < 2:
        return False
    rows, cols = shape[0], math.prod(shape[1:])
    return min(rows, cols) > EXACT_SIDE


def gaussian_block(cols: int, width: int, seed: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(cols, width, generator=gen, dtype=torch.float32)


def _torch_gram(w0: torch.Tensor, w1: torch.Tensor, omega: torch.Tensor, step: int,
                cd: torch.dtype) -> Sketch:
    """(ΔΩ, ΔᵀΔΩ), Δ recomputed one row chunk at a time."""
    om = omega.to(cd)
    y = torch.empty(w0.shape[0], om.shape[1], dtype=cd)
    z = torch.zeros(w0.shape[1], om.shape[1], dtype=cd)
    for r0 in range(0, w0.shape[0], step):
        d = w1[r0:r0 + step].to(cd) - w0[r0:r0 + step].to(cd)
        block = d @ om
        y[r0:r0 + step] = block
        z += d.T @ block
    return y, z


def _ritz(sketch: Sketch) -> tuple[float, torch.Tensor | None]:
    """σ̂ = σ_max(ΔᵀU) from Y = U S Vᵀ and Z = ΔᵀY, and ΔᵀU (the next power-iteration
    block); (0, None) when Y is zero."""
    y, z = (t.double() for t in sketch)
    _, sv, vt = torch.linalg.svd(y, full_matrices=False)
    if sv.numel() == 0 or float(sv[0]) == 0.0:
        return 0.0, None
    keep = sv > sv[0] * 1e-7
    dtu = z @ vt.T[:, keep] / sv[keep]
    return float(torch.linalg.svdvals(dtu)[0]), dtu


class _OneThread:
    """Tiny dense linear algebra (q columns) gains nothing from threads and, on a busy
    machine, loses a lot to them."""

    def __enter__(self) -> None:
        self.before = torch.get_num_threads()
        torch.set_num_threads(1)

    def __exit__(self, *exc: object) -> None:
        torch.set_num_threads(self.before)


def sigma_max(base: torch.Tensor, tuned: torch.Tensor, *, sketch: Sketch | None,
              power_iters: int = 1, chunk_elems: int = DEFAULT_CHUNK,
              use_fused: bool = True) -> float:
    """Largest singular value of Δ = tuned - base (as a matrix); `sketch` is (ΔΩ, ΔᵀΔΩ) from
    `scan`, None for the exact computation."""
    cd = compute_dtype(base, tuned)
    w0, w1 = as_matrix(base), as_matrix(tuned)
    if sketch is None:
        d = w1.to(cd) - w0.to(cd)
        if d.numel() == 0:
            return 0.0
        return float(torch.linalg.svdvals(d)[0])
    step = max(1, chunk_elems // max(w0.shape[1], 1))
    with _OneThread():
        sigma, dtu = _ritz(sketch)
    for _ in range(power_iters):
        if dtu is None:
            break
        with _OneThread():
            omega, _ = torch.linalg.qr(dtu)
        if use_fused and fused.eligible(w0, w1):
            sketch = fused.gram_pass(w0, w1, omega.float())
        else:
            sketch = _torch_gram(w0, w1, omega, step, cd)
        with _OneThread():
            sigma, dtu = _ritz(sketch)
    return sigma


def stable_rank(fro_sq: float, sigma: float) -> float | None:
    """||Δ||_F² / σ_max(Δ)²; None when Δ = 0 (no update has no rank)."""
    if sigma <= 0.0 or not math.isfinite(sigma) or not math.isfinite(fro_sq):
        return None
    return fro_sq / (sigma * sigma)


def top_subspace(mat: torch.Tensor, k: int, seed: int) -> torch.Tensor:
    """Orthonormal basis of the top-k left singular subspace (exact when small)."""
    m = as_matrix(mat).to(compute_dtype(mat))
    if min(m.shape) <= EXACT_SIDE:
        u, _, _ = torch.linalg.svd(m, full_matrices=False)
        return u[:, :k]
    torch.manual_seed(seed)
    u, _, _ = torch.svd_lowrank(m, q=min(min(m.shape), k + 8), niter=4)
    return u[:, :k]


def subspace_angles_deg(base: torch.Tensor, tuned: torch.Tensor, k: int, seed: int = 0
                        ) -> list[float]:
    """Principal angles (degrees, ascending) between the top-k left singular subspaces of W0
    and W1: how far fine-tuning rotated the directions a matrix writes to most."""
    k = max(1, min(k, *as_matrix(base).shape))
    u0, u1 = top_subspace(base, k, seed), top_subspace(tuned, k, seed)
    cos = torch.linalg.svdvals(u0.T @ u1.to(u0.dtype)).clamp(-1.0, 1.0)
    return sorted(math.degrees(math.acos(float(c))) for c in cos)
