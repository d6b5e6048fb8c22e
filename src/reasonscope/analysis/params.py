"""What fine-tuning changed in the weights (DESIGN section 8, Parameters).

Published numbers disagree on how much fine-tuning changes: "~98% of weights" (stored values
differ), "RL updates only 5-30%" (a tolerance), a bf16-precision artefact (values that differ
in fp32 but round to the same bf16). Every tensor gets all three changed fractions side by side,
so a reader sees which definition a claim rests on:

- `changed_frac_exact`: stored values differ (compared as numbers; NaN equals NaN);
- `changed_frac_bf16`: they still differ after casting both to bf16;
- `changed_frac_tol`: `|Δ| > atol + rtol·|w0|` (defaults atol 1e-5, rtol 0).

Tensors are streamed one name at a time (base and every tuned model together, so the cosine of
two updates needs no second read); names present on one side only, shape mismatches and
dtype changes are reported by name, never a crash. A tied `lm_head.weight` (absent from a
checkpoint whose config ties it to the input embedding) is compared through the embedding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reasonscope.analysis import param_stats as ps
from reasonscope.analysis.pairing import Pair, Problem, pair_tensors
from reasonscope.analysis.safetensors_io import load_tensor, open_checkpoint, prefetch

LAYER_RE = re.compile(r"(?:^|\.)(?:layers|h|blocks|layer)\.(\d+)\.")
MODULE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"q_proj", "q"), (r"k_proj", "k"), (r"v_proj", "v"), (r"o_proj|out_proj", "o"),
    (r"qkv_proj|query_key_value|c_attn", "qkv"), (r"gate_up_proj", "gate_up"),
    (r"gate_proj|w1\b", "gate"), (r"up_proj|w3\b|c_fc", "up"), (r"down_proj|w2\b|c_proj", "down"),
    (r"norm|ln_", "norm"), (r"embed_tokens|wte|word_embeddings", "embed"),
    (r"lm_head|embed_out", "lm_head"),
)


def layer_of(name: str) -> int | None:
    m = LAYER_RE.search(name)
    return int(m.group(1)) if m else None


def module_of(name: str) -> str:
    for pattern, module in MODULE_PATTERNS:
        if re.search(pattern, name):
            return module
    return "other"


@dataclass
class TensorDiff:
    name: str
    layer: int | None
    module: str
    shape: list[int]
    dtype_base: str
    dtype_tuned: str
    numel: int
    changed_frac_exact: float
    changed_frac_bf16: float
    changed_frac_tol: float
    mean_abs: float
    fro: float
    base_fro: float
    rel_update: float | None
    stable_rank: float | None
    note: str = ""
    subspace_angle_max: float | None = None
    subspace_angle_mean: float | None = None
    n_changed_exact: int = 0
    n_changed_bf16: int = 0
    n_changed_tol: int = 0
    abs_sum: float = 0.0


@dataclass
class Aggregate:
    """Numel-weighted changed fractions, pooled norms: exactly what one big tensor would give."""

    key: str
    n_tensors: int
    numel: int
    changed_frac_exact: float
    changed_frac_bf16: float
    changed_frac_tol: float
    mean_abs: float
    fro: float
    rel_update: float | None


@dataclass
class ModelDiff:
    label: str
    path: str
    tensors: list[TensorDiff]
    by_layer: list[Aggregate]
    by_module: list[Aggregate]
    overall: Aggregate
    problems: list[Problem]


@dataclass(frozen=True)
class UpdateCosine:
    a: str
    b: str
    name: str
    """Tensor name, or "*" for the whole model (the cosine of the concatenated updates)."""
    cosine: float | None


@dataclass
class ParamsReport:
    base: str
    atol: float
    rtol: float
    models: list[ModelDiff]
    cosines: list[UpdateCosine] = field(default_factory=list)
    tied_embeddings: dict[str, bool | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `analyze params --json`: flat row lists, each row naming its model."""
        def rows(model: ModelDiff, items: Sequence[Any]) -> list[dict[str, Any]]:
            return [{"model": model.label, **asdict(x)} for x in items]

        return {
            "base": self.base, "atol": self.atol, "rtol": self.rtol,
            "models": [m.label for m in self.models],
            "tensors": [r for m in self.models for r in rows(m, m.tensors)],
            "by_layer": [r for m in self.models for r in rows(m, m.by_layer)],
            "by_module": [r for m in self.models for r in rows(m, m.by_module)],
            "overall": [r for m in self.models for r in rows(m, [m.overall])],
            "problems": [r for m in self.models for r in rows(m, m.problems)],
            "cosines": [asdict(c) for c in self.cosines],
            "tied_embeddings": self.tied_embeddings,
        }


# ----- one tensor ------------------------------------------------------------------------------

def _diff_row(pair: Pair, i: int, sums: ps.PairSums, sigma: float | None,
              angles: list[float] | None) -> TensorDiff:
    n = max(sums.numel, 1)
    fro, base_fro = math.sqrt(sums.delta_sq), math.sqrt(sums.base_sq)
    e = pair.tuned[i]
    return TensorDiff(
        name=pair.name, layer=layer_of(pair.name), module=module_of(pair.name),
        shape=list(pair.base.shape), dtype_base=pair.base.dtype, dtype_tuned=e.dtype,
        numel=sums.numel, changed_frac_exact=sums.changed_exact / n,
        changed_frac_bf16=sums.changed_bf16 / n, changed_frac_tol=sums.changed_tol / n,
        mean_abs=sums.abs_sum / n, fro=fro, base_fro=base_fro,
        rel_update=_ratio(fro, base_fro),
        stable_rank=None if sigma is None else ps.stable_rank(sums.delta_sq, sigma),
        note=pair.notes[i],
        subspace_angle_max=max(angles) if angles else None,
        subspace_angle_mean=sum(angles) / len(angles) if angles else None,
        n_changed_exact=sums.changed_exact, n_changed_bf16=sums.changed_bf16,
        n_changed_tol=sums.changed_tol, abs_sum=sums.abs_sum)


def _ratio(num: float, den: float) -> float | None:
    if den > 0:
        return num / den
    return 0.0 if num == 0 else None


def _cos(dot: float, a: float, b: float) -> float | None:
    return dot / math.sqrt(a * b) if a > 0 and b > 0 else None


# ----- aggregation -----------------------------------------------------------------------------

def aggregate(key: str, rows: Sequence[TensorDiff]) -> Aggregate:
    numel = sum(r.numel for r in rows)
    n = max(numel, 1)
    fro_sq = sum(r.fro ** 2 for r in rows)
    base_sq = sum(r.base_fro ** 2 for r in rows)
    return Aggregate(key=key, n_tensors=len(rows), numel=numel,
                     changed_frac_exact=sum(r.n_changed_exact for r in rows) / n,
                     changed_frac_bf16=sum(r.n_changed_bf16 for r in rows) / n,
                     changed_frac_tol=sum(r.n_changed_tol for r in rows) / n,
                     mean_abs=sum(r.abs_sum for r in rows) / n, fro=math.sqrt(fro_sq),
                     rel_update=_ratio(math.sqrt(fro_sq), math.sqrt(base_sq)))


def group_rows(rows: Sequence[TensorDiff], key: Callable[[TensorDiff], str]
               ) -> list[Aggregate]:
    groups: dict[str, list[TensorDiff]] = {}
    for r in rows:
        groups.setdefault(key(r), []).append(r)
    return [aggregate(k, v) for k, v in groups.items()]


def _layer_key(r: TensorDiff) -> str:
    return "none" if r.layer is None else str(r.layer)


def _sorted_layers(aggs: list[Aggregate]) -> list[Aggregate]:
    return sorted(aggs, key=lambda a: (a.key == "none", int(a.key) if a.key.isdigit() else 0))


# ----- the whole comparison --------------------------------------------------------------------

@dataclass(frozen=True)
class ParamsOptions:
    atol: float = 1e-5
    rtol: float = 0.0
    sketch: int = 8
    power_iters: int = 0
    """Block power iterations for σ_max beyond the first Rayleigh-Ritz estimate (each one more
    pass; 1 tightens flat spectra from ~0.75 to ~0.88 of σ_max, see docs/analysis.md)."""
    spectral_k: int = 0
    """> 0: principal angles between the top-k singular subspaces of W0 and W1 (slower)."""
    chunk_elems: int = ps.DEFAULT_CHUNK
    seed: int = 0
    fused: bool = True
    """Use the single-pass numba kernels for bf16/fp32 tensors when numba is installed."""


ProgressFn = Callable[[str, int], None]


def compare_params(base: Path | str, tuned: Mapping[str, Path | str] | Sequence[Path | str],
                   options: ParamsOptions | None = None, progress: ProgressFn | None = None
                   ) -> ParamsReport:
    """Stream every shared tensor once; `progress(name, nbytes)` is called after each."""
    opts = options or ParamsOptions()
    if not isinstance(tuned, Mapping):
        tuned = default_labels([Path(t) for t in tuned])
    if not tuned:
        raise ValueError("compare_params needs at least one tuned checkpoint")
    base_ck = open_checkpoint(base)
    tuned_ck = [open_checkpoint(p) for p in tuned.values()]
    labels = list(tuned)
    pairs, problems = pair_tensors(base_ck, tuned_ck)
    rows: list[list[TensorDiff]] = [[] for _ in tuned_ck]
    dots: list[list[float]] = [[0.0] * len(tuned_ck) for _ in tuned_ck]
    cosines: list[UpdateCosine] = []
    if pairs:
        prefetch([pairs[0].base, *pairs[0].tuned])
    for pi, pair in enumerate(pairs):
        if pi + 1 < len(pairs):
            nxt = pairs[pi + 1]
            prefetch([nxt.base, *nxt.tuned])
        scan_pair(pair, opts, rows, dots, cosines, labels, seed=opts.seed + pi)
        if progress is not None:
            progress(pair.name, pair.base.nbytes + sum(e.nbytes for e in pair.tuned))
    models = []
    for i, label in enumerate(labels):
        r = rows[i]
        models.append(ModelDiff(
            label=label, path=str(tuned_ck[i].path), tensors=r,
            by_layer=_sorted_layers(group_rows(r, _layer_key)),
            by_module=sorted(group_rows(r, lambda x: x.module), key=lambda a: a.key),
            overall=aggregate("all", r), problems=problems[i]))
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            cosines.append(UpdateCosine(labels[i], labels[j], "*",
                                        _cos(dots[i][j], dots[i][i], dots[j][j])))
    ties = {"base": base_ck.tie_word_embeddings}
    ties.update({label: ck.tie_word_embeddings for label, ck in zip(labels, tuned_ck,
                                                                   strict=True)})
    return ParamsReport(base=str(base_ck.path), atol=opts.atol, rtol=opts.rtol, models=models,
                        cosines=cosines, tied_embeddings=ties)


def scan_pair(pair: Pair, opts: ParamsOptions, rows: list[list[TensorDiff]],
              dots: list[list[float]], cosines: list[UpdateCosine], labels: list[str],
              seed: int) -> None:
    """Read one base tensor and its tuned counterparts, add their rows and update products."""
    w0 = load_tensor(pair.base)
    w1s = [load_tensor(e) for e in pair.tuned]
    matrix = len(pair.base.shape) >= 2
    omega = None
    if ps.needs_sketch(pair.base.shape):
        omega = ps.gaussian_block(ps.as_matrix(w0).shape[1], opts.sketch, seed)
    result = ps.scan(w0, w1s, atol=opts.atol, rtol=opts.rtol, chunk_elems=opts.chunk_elems,
                     omega=omega, use_fused=opts.fused)
    for i, w1 in enumerate(w1s):
        sums = result.sums[i]
        sigma = None
        if matrix:
            sigma = (0.0 if sums.delta_sq == 0 else
                     ps.sigma_max(w0, w1, sketch=result.sketches[i],
                                  power_iters=opts.power_iters, chunk_elems=opts.chunk_elems,
                                  use_fused=opts.fused))
        angles = (ps.subspace_angles_deg(w0, w1, opts.spectral_k, seed)
                  if matrix and opts.spectral_k > 0 else None)
        rows[i].append(_diff_row(pair, i, sums, sigma, angles))
    k = len(w1s)
    for i in range(k):
        for j in range(k):
            dots[i][j] += result.cross[i][j]
        for j in range(i + 1, k):
            cosines.append(UpdateCosine(labels[i], labels[j], pair.name,
                                        _cos(result.cross[i][j], result.cross[i][i],
                                             result.cross[j][j])))


def default_labels(paths: Sequence[Path]) -> dict[str, Path]:
    """Short distinct labels: the directory name, with its parent when names collide."""
    out: dict[str, Path] = {}
    for p in paths:
        label = p.name or str(p)
        if label in out or label in ("final", "model") or label.startswith("checkpoint"):
            label = f"{p.parent.name}/{p.name}"
        while label in out:
            label += "'"
        out[label] = p
    return out
