"""Single-pass kernels (numba) for bf16 / fp32 tensor pairs: the hot loop of `analyze params`.

With torch, each statistic is its own pass over a chunk (casts, difference, counts, sums, the
sketch product): about ten passes, slower than reading the checkpoint from disk. Here one pass
per row widens both stored rows to fp32 (bf16 bits shifted into place), and accumulates every
count and sum plus the sketch product Δ·Ω, so the analysis keeps up with the disk.

Definitions are those of `param_stats` (NaN equals NaN, inf equals inf, bf16 rounding is
round-to-nearest-even as in `Tensor.to(torch.bfloat16)`); row sums are accumulated in fp64.
Used when numba is installed (the `analysis` extra) and every tensor is bf16 or fp32; anything
else takes the torch path. `REASONSCOPE_NO_NUMBA=1` forces the torch path.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import torch

try:  # optional: the `analysis` extra
    import numba
    from numba import njit, prange

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only without the extra
    HAVE_NUMBA = False

SHIFT = {torch.bfloat16: 16, torch.float32: 0}
FASTMATH = {"reassoc", "contract", "arcp", "nsz"}  # no nnan/ninf: NaN and inf stay exact
TILE = 4  # rows sketched together (see _sketch_rows)
SUMS = 6  # per-row partials: changed exact, tol, bf16, |Δ| sum, Δ² sum, W0² sum


def available() -> bool:
    return HAVE_NUMBA and os.environ.get("REASONSCOPE_NO_NUMBA", "") in ("", "0")


def eligible(*tensors: torch.Tensor) -> bool:
    return available() and all(t.dtype in SHIFT and t.device.type == "cpu" for t in tensors)


def bits(mat: torch.Tensor) -> np.ndarray:
    """The stored bits of a 2-D bf16/fp32 tensor as a uint16/uint32 array (no copy)."""
    mat = mat.contiguous()
    if mat.dtype == torch.bfloat16:
        return mat.view(torch.int16).numpy().view(np.uint16)
    return mat.view(torch.int32).numpy().view(np.uint32)


if HAVE_NUMBA:
    @njit(inline="always", fastmath=FASTMATH)
    def _widen(src: Any, i: int, shift: int, out: Any) -> None:
        for k in range(src.shape[1]):
            out[k] = np.uint32(src[i, k]) << shift

    @njit(inline="always")
    def _to_bf16(u: Any) -> Any:
        """fp32 bits rounded to the nearest bf16 (ties to even), back as fp32 bits."""
        if (u & np.uint32(0x7F800000)) == np.uint32(0x7F800000) and (u & np.uint32(0x7FFFFF)):
            return np.uint32(0x7FC00000)
        return ((u + np.uint32(0x7FFF) + ((u >> 16) & np.uint32(1))) >> 16) << 16

    @njit(inline="always", fastmath=FASTMATH)
    def _sketch_rows(dd: Any, n: int, omega_t: Any, sketch: Any, i0: int, z_t: Any) -> None:
        """For the n (<= TILE) rows of Δ in dd (rows past n are zero): sketch rows i0.. =
        d·Ω, and (Δᵀ·Y)ᵀ += Σ_r y_r ⊗ d_r. Four rows share each load of Ω and each update of
        z, the working set that bounds this loop; inner loops are contiguous (vectorized)."""
        q, cols = omega_t.shape
        for j in range(q):
            a0 = np.float32(0.0)
            a1 = np.float32(0.0)
            a2 = np.float32(0.0)
            a3 = np.float32(0.0)
            for k in range(cols):
                w = omega_t[j, k]
                a0 += dd[0, k] * w
                a1 += dd[1, k] * w
                a2 += dd[2, k] * w
                a3 += dd[3, k] * w
            r0, r1, r2, r3 = a0, a1 if n > 1 else 0.0, a2 if n > 2 else 0.0, a3 if n > 3 else 0.0
            sketch[i0, j] = r0
            if n > 1:
                sketch[i0 + 1, j] = r1
            if n > 2:
                sketch[i0 + 2, j] = r2
            if n > 3:
                sketch[i0 + 3, j] = r3
            for k in range(cols):
                z_t[j, k] += r0 * dd[0, k] + r1 * dd[1, k] + r2 * dd[2, k] + r3 * dd[3, k]

    @njit(parallel=True, cache=True, boundscheck=False, fastmath=FASTMATH)
    def _scan(x: Any, sx: int, y: Any, sy: int, omega_t: Any, atol: Any, rtol: Any,
              need_bf16: bool, sketch: Any, zpart: Any, part: Any) -> None:  # pragma: no cover
        rows, cols = x.shape
        q = omega_t.shape[0]
        blocks = zpart.shape[0]
        for blk in prange(blocks):
            bu = np.empty(cols, np.uint32)
            cu = np.empty(cols, np.uint32)
            bx = bu.view(np.float32)
            by = cu.view(np.float32)
            dd = np.zeros((TILE, cols), np.float32)
            lo, hi = blk * rows // blocks, (blk + 1) * rows // blocks
            for i in range(lo, hi):
                t = (i - lo) % TILE
                _widen(x, i, sx, bu)
                _widen(y, i, sy, cu)
                ne = 0
                nt = 0
                sa = 0.0
                sd = 0.0
                sb = 0.0
                for k in range(cols):
                    a = bx[k]
                    b = by[k]
                    d = b - a
                    dd[t, k] = d
                    ad = abs(d)
                    sb += a * a
                    sd += d * d
                    sa += ad if ad < np.inf else 0.0
                    changed = (a != b) & ((a == a) | (b == b))
                    ne += changed
                    nt += changed & ~(ad <= atol + rtol * abs(a))
                nb = ne
                if need_bf16:
                    nb = 0
                    for k in range(cols):
                        bu[k] = _to_bf16(bu[k])
                        cu[k] = _to_bf16(cu[k])
                    for k in range(cols):
                        a = bx[k]
                        b = by[k]
                        nb += (a != b) & ((a == a) | (b == b))
                if q and (t == TILE - 1 or i == hi - 1):
                    if t < TILE - 1:
                        dd[t + 1:] = 0.0
                    _sketch_rows(dd, t + 1, omega_t, sketch, i - t, zpart[blk])
                part[i, 0] = ne
                part[i, 1] = nt
                part[i, 2] = nb
                part[i, 3] = sa
                part[i, 4] = sd
                part[i, 5] = sb

    @njit(parallel=True, cache=True, boundscheck=False, fastmath=FASTMATH)
    def _gram(x: Any, sx: int, y: Any, sy: int, omega_t: Any, sketch: Any,
              zpart: Any) -> None:  # pragma: no cover - jitted
        rows, cols = x.shape
        blocks = zpart.shape[0]
        for blk in prange(blocks):
            bu = np.empty(cols, np.uint32)
            cu = np.empty(cols, np.uint32)
            bx = bu.view(np.float32)
            by = cu.view(np.float32)
            dd = np.zeros((TILE, cols), np.float32)
            lo, hi = blk * rows // blocks, (blk + 1) * rows // blocks
            for i in range(lo, hi):
                t = (i - lo) % TILE
                _widen(x, i, sx, bu)
                _widen(y, i, sy, cu)
                for k in range(cols):
                    dd[t, k] = by[k] - bx[k]
                if t == TILE - 1 or i == hi - 1:
                    if t < TILE - 1:
                        dd[t + 1:] = 0.0
                    _sketch_rows(dd, t + 1, omega_t, sketch, i - t, zpart[blk])

    @njit(parallel=True, cache=True, boundscheck=False, fastmath=FASTMATH)
    def _cross(x: Any, sx: int, y1: Any, s1: int, y2: Any, s2: int,
               part: Any) -> None:  # pragma: no cover - jitted
        rows, cols = x.shape
        for i in prange(rows):
            bu = np.empty(cols, np.uint32)
            cu = np.empty(cols, np.uint32)
            du = np.empty(cols, np.uint32)
            _widen(x, i, sx, bu)
            _widen(y1, i, s1, cu)
            _widen(y2, i, s2, du)
            bx, b1, b2 = bu.view(np.float32), cu.view(np.float32), du.view(np.float32)
            acc = 0.0
            for k in range(cols):
                acc += (b1[k] - bx[k]) * (b2[k] - bx[k])
            part[i] = acc


def _blocks(rows: int) -> int:
    """Row blocks for the parallel loops: a few per thread, each with its own Δᵀ·Y partial."""
    return max(1, min(rows, 4 * (numba.get_num_threads() if HAVE_NUMBA else 1)))


def _omega_t(omega: torch.Tensor | None, cols: int) -> np.ndarray:
    if omega is None:
        return np.zeros((0, cols), np.float32)
    return np.ascontiguousarray(omega.numpy().T, dtype=np.float32)


def scan_pair(base: torch.Tensor, tuned: torch.Tensor, atol: float, rtol: float,
              omega: torch.Tensor | None
              ) -> tuple[list[float], tuple[torch.Tensor, torch.Tensor] | None]:
    """([changed exact, tol, bf16, Σ|Δ|, ΣΔ², ΣW0²], (Δ·Ω, Δᵀ·Δ·Ω) or None), one pass."""
    x, y = bits(base), bits(tuned)
    rows, cols = x.shape
    q = 0 if omega is None else omega.shape[1]
    blocks = _blocks(rows)
    sketch = np.zeros((rows, q), np.float32)
    zpart = np.zeros((blocks, q, cols), np.float32)
    part = np.zeros((rows, SUMS), np.float64)
    need_bf16 = not (base.dtype == torch.bfloat16 and tuned.dtype == torch.bfloat16)
    _scan(x, SHIFT[base.dtype], y, SHIFT[tuned.dtype], _omega_t(omega, cols), np.float32(atol),
          np.float32(rtol), need_bf16, sketch, zpart, part)
    totals = [float(v) for v in part.sum(axis=0)]
    if omega is None:
        return totals, None
    return totals, (torch.from_numpy(sketch), torch.from_numpy(zpart.sum(axis=0).T.copy()))


def gram_pass(base: torch.Tensor, tuned: torch.Tensor, omega: torch.Tensor
              ) -> tuple[torch.Tensor, torch.Tensor]:
    """(Δ·Ω, Δᵀ·Δ·Ω) in one pass."""
    x, y = bits(base), bits(tuned)
    rows, cols = x.shape
    blocks = _blocks(rows)
    sketch = np.zeros((rows, omega.shape[1]), np.float32)
    zpart = np.zeros((blocks, omega.shape[1], cols), np.float32)
    _gram(x, SHIFT[base.dtype], y, SHIFT[tuned.dtype], _omega_t(omega.float(), cols), sketch,
          zpart)
    return torch.from_numpy(sketch), torch.from_numpy(zpart.sum(axis=0).T.copy())


def cross_dot(base: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> float:
    """<a − base, b − base> in one pass."""
    part = np.zeros(base.shape[0], np.float64)
    _cross(bits(base), SHIFT[base.dtype], bits(a), SHIFT[a.dtype], bits(b), SHIFT[b.dtype],
           part)
    return float(part.sum())
