"""How the hidden states moved, and what they encode (DESIGN section 8, Latents).

Each text becomes one vector per layer: its hidden states mean-pooled over its real tokens
(padding masked out; `span` picks the prompt, the completion or both). Layer l is transformers'
`hidden_states[l]`: 0 is the embedding output, l the output of block l, and the last one is
after the final norm.

- PCA is fitted on the base model's vectors of each layer; tuned vectors are projected with the
  base's components, so shifts are measured in one frame.
- Centroid shift of a tuned model at layer l: ||mean(tuned) − mean(base)||₂ over the same
  texts; `_rel` divides by the base vectors' RMS norm, `_pca` measures it in the base's top-k
  principal components.
- Probes: standardized features, logistic regression, stratified k-fold cross-validated
  accuracy per layer, model and target (behavior, domain), next to the majority-class rate and
  the accuracy of the same probe on shuffled labels (a probe that beats chance on shuffled
  labels is memorizing, not reading the representation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch

from reasonscope.analysis import models as lm
from reasonscope.analysis.texts import TextSample

Span = Literal["all", "prompt", "completion"]


@dataclass(frozen=True)
class LatentOptions:
    device: str | None = None
    dtype: str = "float32"
    batch_size: int = 8
    max_batch_tokens: int = 16384
    max_length: int | None = None
    span: Span = "all"
    pca_components: int = 8
    folds: int = 5
    seed: int = 0
    max_iter: int = 2000
    C: float = 1.0
    targets: tuple[str, ...] = ("behavior", "domain")
    layers: tuple[int, ...] | None = None
    """Layers to probe (default: all)."""


@dataclass
class LayerShift:
    model: str
    layer: int
    centroid_shift: float
    centroid_shift_rel: float | None
    centroid_shift_pca: float


@dataclass
class ProbeResult:
    model: str
    layer: int
    target: str
    accuracy: float | None
    accuracy_std: float | None
    shuffled_accuracy: float | None
    chance: float | None
    n: int
    n_classes: int
    folds: int


@dataclass
class LatentsReport:
    base: str
    models: list[str]
    n_texts: int
    n_layers: int
    span: str
    explained_variance: list[list[float]]
    """Per layer, the base PCA's explained-variance ratios."""
    shifts: list[LayerShift]
    probes: list[ProbeResult]
    pca_coords: dict[str, list[list[float]]] = field(default_factory=dict)
    """Per model, the first two base-PCA coordinates of every text at the middle layer."""
    labels: dict[str, list[str | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base, "models": self.models, "n_texts": self.n_texts,
                "n_layers": self.n_layers, "span": self.span,
                "explained_variance": self.explained_variance,
                "shifts": [asdict(s) for s in self.shifts],
                "probes": [asdict(p) for p in self.probes],
                "pca_coords": self.pca_coords, "labels": self.labels}


def _span_bounds(e: lm.Encoded, span: Span) -> tuple[int, int]:
    if span == "prompt":
        return 0, e.n_prompt
    if span == "completion":
        return e.n_prompt, len(e.ids)
    return 0, len(e.ids)


def pooled_states(model: Any, encoded: Sequence[lm.Encoded], opts: LatentOptions, pad: int,
                  progress: Callable[[int], None] | None = None) -> np.ndarray:
    """(texts, layers + 1, hidden) float32: masked means over each text's span; a text with an
    empty span gets NaN."""
    device = next(model.parameters()).device
    n_layers = model.config.num_hidden_layers
    hidden = model.config.hidden_size
    out = np.full((len(encoded), n_layers + 1, hidden), np.nan, dtype=np.float32)
    row_of = {e.index: i for i, e in enumerate(encoded)}
    for batch in lm.batches(encoded, opts.batch_size, opts.max_batch_tokens):
        ids, mask = lm.pad_batch(batch, pad, device)
        weights = torch.zeros(ids.shape, dtype=torch.float32, device=device)
        for r, e in enumerate(batch):
            lo, hi = _span_bounds(e, opts.span)
            weights[r, lo:hi] = 1.0
        counts = weights.sum(1, keepdim=True)
        with torch.inference_mode():
            states = model.base_model(input_ids=ids, attention_mask=mask,
                                      output_hidden_states=True).hidden_states
            pooled = torch.stack([(h.float() * weights.unsqueeze(-1)).sum(1)
                                  / counts.clamp_min(1.0) for h in states], dim=1)
            pooled[(counts.squeeze(1) == 0)] = float("nan")
        for r, e in enumerate(batch):
            out[row_of[e.index]] = pooled[r].cpu().numpy()
        if progress is not None:
            progress(len(batch))
    return out


def probe_accuracy(x: np.ndarray, y: Sequence[str | None], *, folds: int = 5, seed: int = 0,
                   C: float = 1.0, max_iter: int = 2000, shuffle_labels: bool = False
                   ) -> tuple[float | None, float | None, int]:
    """Cross-validated accuracy (mean, std, folds used) of a logistic-regression probe; None
    when the labels allow no stratified split (one class, or a class with a single example)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    keep = np.array([v is not None for v in y]) & np.isfinite(x).all(axis=1)
    labels = np.array([v for v, k in zip(y, keep, strict=True) if k], dtype=object)
    feats = x[keep]
    if labels.size == 0:
        return None, None, 0
    _, counts = np.unique(labels, return_counts=True)
    k = int(min(folds, counts.min()))
    if len(counts) < 2 or k < 2:
        return None, None, 0
    if shuffle_labels:
        labels = np.random.default_rng(seed).permutation(labels)
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=max_iter))
    cv = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    scores = cross_val_score(clf, feats, labels.astype(str), cv=cv)
    return float(scores.mean()), float(scores.std()), k


def majority_rate(y: Sequence[str | None]) -> float | None:
    vals = [v for v in y if v is not None]
    if not vals:
        return None
    _, counts = np.unique(np.array(vals, dtype=object), return_counts=True)
    return float(counts.max() / len(vals))


@dataclass
class _BasePCA:
    mean: np.ndarray
    components: np.ndarray
    ratios: list[float]
    rms: float


def fit_base_pca(x: np.ndarray, k: int, seed: int) -> _BasePCA:
    from sklearn.decomposition import PCA

    ok = x[np.isfinite(x).all(axis=1)]
    k = max(1, min(k, ok.shape[0], ok.shape[1]))
    pca = PCA(n_components=k, random_state=seed).fit(ok)
    rms = float(np.sqrt((ok.astype(np.float64) ** 2).sum(axis=1).mean())) if ok.size else 0.0
    return _BasePCA(pca.mean_, pca.components_, [float(r) for r in pca.explained_variance_ratio_],
                    rms)


def centroid_shift(model: str, layer: int, base_x: np.ndarray, tuned_x: np.ndarray,
                   pca: _BasePCA) -> LayerShift:
    ok = np.isfinite(base_x).all(axis=1) & np.isfinite(tuned_x).all(axis=1)
    delta = tuned_x[ok].astype(np.float64).mean(0) - base_x[ok].astype(np.float64).mean(0)
    shift = float(np.linalg.norm(delta))
    return LayerShift(model, layer, shift, shift / pca.rms if pca.rms > 0 else None,
                      float(np.linalg.norm(pca.components @ delta)))


def analyze_latents(base: Path | str, checkpoints: Mapping[str, Path | str],
                    texts: Sequence[TextSample], options: LatentOptions | None = None,
                    progress: Callable[[int], None] | None = None) -> LatentsReport:
    """Pool every model's states on the same texts, then PCA, shifts and probes per layer."""
    opts = options or LatentOptions()
    tok = lm.load_tokenizer(base)
    for path in checkpoints.values():
        lm.check_same_tokenizer(tok, lm.load_tokenizer(path), base, path)
    device = lm.resolve_device(opts.device)
    max_len = opts.max_length
    encoded = [lm.encode_pair(tok, s.index, s.prompt, s.completion, max_len) for s in texts]
    states: dict[str, np.ndarray] = {}
    for label, path in {"base": base, **checkpoints}.items():
        model = lm.load_lm(path, device, opts.dtype)
        states[label] = pooled_states(model, encoded, opts, lm.pad_id(tok), progress)
        del model
    return latents_from_states(str(base), states, texts, opts)


def latents_from_states(base: str, states: Mapping[str, np.ndarray],
                        texts: Sequence[TextSample], opts: LatentOptions) -> LatentsReport:
    """The statistics of pooled states (`states["base"]` is the reference); pure numpy and
    scikit-learn, so it is tested on synthetic representations directly."""
    base_x = states["base"]
    n_layers = base_x.shape[1]
    layers = list(opts.layers) if opts.layers is not None else list(range(n_layers))
    labels = {t: [getattr(s, t) for s in texts] for t in opts.targets}
    pcas = {layer: fit_base_pca(base_x[:, layer], opts.pca_components, opts.seed)
            for layer in range(n_layers)}
    shifts = [centroid_shift(m, layer, base_x[:, layer], x[:, layer], pcas[layer])
              for m, x in states.items() if m != "base" for layer in range(n_layers)]
    probes = []
    for m, x in states.items():
        for layer in layers:
            for target, y in labels.items():
                acc, std, k = probe_accuracy(x[:, layer], y, folds=opts.folds, seed=opts.seed,
                                             C=opts.C, max_iter=opts.max_iter)
                shuf, _, _ = probe_accuracy(x[:, layer], y, folds=opts.folds, seed=opts.seed,
                                            C=opts.C, max_iter=opts.max_iter,
                                            shuffle_labels=True)
                probes.append(ProbeResult(m, layer, target, acc, std, shuf, majority_rate(y),
                                          sum(v is not None for v in y), len(set(y) - {None}),
                                          k))
    mid = n_layers // 2
    coords = {}
    for m, x in states.items():
        p = pcas[mid]
        proj = (np.nan_to_num(x[:, mid]) - p.mean) @ p.components[:2].T
        coords[m] = [[float(v) for v in row] for row in proj]
    return LatentsReport(base=base, models=[m for m in states if m != "base"],
                         n_texts=len(texts), n_layers=n_layers, span=opts.span,
                         explained_variance=[pcas[layer].ratios for layer in range(n_layers)],
                         shifts=shifts, probes=probes, pca_coords=coords,
                         labels={"behavior": [s.behavior for s in texts]})
