"""SAE features of the residual stream and what they select for (DESIGN section 8, SAE).

The SAE is trained on one model's residual stream at the output of decoder block `layer`
(sparsify's hook name `layers.<layer>`), over the tokens of prompts and completions. Position 0
is skipped by default: the first token's state has an outsized norm (an attention sink) and
would dominate the reconstruction loss.

Selectivity: each item's mean activation of each latent (over all its tokens and samples), then
for behavior b the AUROC of that mean for b's items against all other items (ties averaged); a
latent is selective for b at AUROC >= 0.8. Across checkpoints the base SAE is applied unchanged
to each tuned model's states on the same tokens: its FVU there, the selective latents per
behavior, and the Jaccard index of the sets of latents that fire at least once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reasonscope.analysis import models as lm
from reasonscope.analysis.sae import (
    SaeConfig,
    SaeMetrics,
    TopKSae,
    TrainLog,
    evaluate_sae,
    save_sae,
    train_sae,
)
from reasonscope.analysis.texts import TextSample


@dataclass(frozen=True)
class SaeOptions:
    layer: int
    width: int = 4096
    k: int = 32
    steps: int = 1000
    batch_size: int = 4096
    """Activation vectors per SAE optimizer step."""
    lr: float | None = None
    seed: int = 0
    device: str | None = None
    dtype: str = "float32"
    forward_batch: int = 8
    max_batch_tokens: int = 16384
    max_length: int | None = None
    max_tokens: int = 1 << 18
    """Activation vectors kept (positions sampled uniformly, seeded, when there are more)."""
    skip_first: bool = True
    heldout: float = 0.1
    threshold: float = 0.8
    top_features: int = 5
    contexts: int = 5
    window: int = 8


def hook_name(layer: int) -> str:
    return f"layers.{layer}"


@dataclass
class Activations:
    acts: torch.Tensor
    """(tokens, d_in) float32 on the CPU."""
    text_index: np.ndarray
    position: np.ndarray


class _Stop(Exception):
    """Raised by the capture hook: nothing after the hooked layer needs computing."""


def _positions(encoded: Sequence[lm.Encoded], opts: SaeOptions) -> dict[int, np.ndarray]:
    first = 1 if opts.skip_first else 0
    total = sum(max(0, len(e.ids) - first) for e in encoded)
    keep = min(1.0, opts.max_tokens / total) if total else 1.0
    out = {}
    for e in encoded:
        pos = np.arange(first, len(e.ids))
        if keep < 1.0:
            rng = np.random.default_rng([opts.seed, e.index])
            pos = pos[rng.random(pos.size) < keep]
        out[e.index] = pos
    return out


def collect_activations(model: Any, encoded: Sequence[lm.Encoded], opts: SaeOptions, pad: int,
                        progress: Callable[[int], None] | None = None) -> Activations:
    """Residual-stream vectors at the output of block `opts.layer`, at sampled positions."""
    device = next(model.parameters()).device
    layers = lm.decoder_layers(model)
    if not 0 <= opts.layer < len(layers):
        raise ValueError(f"layer must be in 0..{len(layers) - 1}, got {opts.layer}")
    wanted = _positions(encoded, opts)
    captured: list[torch.Tensor] = []

    def hook(_mod: Any, _inp: Any, output: Any) -> None:
        captured.append(output[0] if isinstance(output, tuple) else output)
        raise _Stop

    parts, owners, places = [], [], []
    handle = layers[opts.layer].register_forward_hook(hook)
    try:
        for batch in lm.batches(encoded, opts.forward_batch, opts.max_batch_tokens):
            ids, mask = lm.pad_batch(batch, pad, device)
            captured.clear()
            with torch.inference_mode(), contextlib.suppress(_Stop):
                model.base_model(input_ids=ids, attention_mask=mask)
            states = captured[0]
            for r, e in enumerate(batch):
                pos = wanted[e.index]
                if pos.size:
                    parts.append(states[r, torch.from_numpy(pos).to(device)].float().cpu())
                    owners.append(np.full(pos.size, e.index, dtype=np.int64))
                    places.append(pos.astype(np.int64))
            if progress is not None:
                progress(len(batch))
    finally:
        handle.remove()
    if not parts:
        raise ValueError("no token positions to collect activations from (texts too short)")
    return Activations(torch.cat(parts), np.concatenate(owners), np.concatenate(places))


@torch.no_grad()
def item_means(sae: TopKSae, acts: torch.Tensor, item_of_token: np.ndarray, n_items: int,
               batch_size: int = 4096) -> np.ndarray:
    """(items, latents): each item's mean activation over its tokens."""
    device = sae.b_dec.device
    sums = torch.zeros(n_items, sae.cfg.num_latents, dtype=torch.float32)
    owner = torch.from_numpy(item_of_token)
    for s in range(0, acts.shape[0], batch_size):
        a, idx = sae.encode(acts[s:s + batch_size].to(device))
        rows = owner[s:s + batch_size].unsqueeze(1).expand(-1, idx.shape[1])
        sums.index_put_((rows.reshape(-1), idx.cpu().reshape(-1)), a.cpu().reshape(-1),
                        accumulate=True)
    counts = torch.bincount(owner, minlength=n_items).clamp_min(1).unsqueeze(1)
    return (sums / counts).numpy()


def auroc_columns(values: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """AUROC of every column of `values` (rows = items) for `positive` items against the rest,
    ties counted half (Mann-Whitney U / n_pos n_neg); NaN without both classes."""
    from scipy.stats import rankdata

    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return np.full(values.shape[1], np.nan)
    ranks = rankdata(values, axis=0, method="average")
    u = ranks[positive].sum(axis=0) - n_pos * (n_pos + 1) / 2.0
    return np.asarray(u / (n_pos * n_neg), dtype=np.float64)


@dataclass
class SelectiveFeature:
    feature: int
    behavior: str
    auroc: float
    mean_in: float
    mean_out: float
    contexts: list[str] = field(default_factory=list)


@dataclass
class CheckpointFeatures:
    model: str
    fvu: float
    l0: float
    dead_frac: float
    selective_counts: dict[str, int]
    jaccard_vs_base: float | None


@dataclass
class SaeReport:
    model: str
    hook: str
    layer: int
    width: int
    k: int
    steps: int
    sae_dir: str
    n_tokens: int
    n_items: int
    fvu: float
    fvu_heldout: float | None
    l0: float
    dead_frac: float
    threshold: float
    selective_counts: dict[str, int]
    top_features: list[SelectiveFeature]
    checkpoints: list[CheckpointFeatures]
    train_fvu: list[float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _item_index(texts: Sequence[TextSample]) -> tuple[dict[int, int], list[str | None]]:
    """text index -> item row (samples of one item pooled), and each item's behavior."""
    rows: dict[str, int] = {}
    behaviors: list[str | None] = []
    of_text = {}
    for s in texts:
        key = s.item_id or f"text-{s.index}"
        if key not in rows:
            rows[key] = len(rows)
            behaviors.append(s.behavior)
        of_text[s.index] = rows[key]
    return of_text, behaviors


def _selectivity(means: np.ndarray, behaviors: Sequence[str | None]
                 ) -> dict[str, np.ndarray]:
    labels = np.array([b or "" for b in behaviors], dtype=object)
    return {b: auroc_columns(means, labels == b) for b in sorted(set(labels) - {""})}


@torch.no_grad()
def top_contexts(sae: TopKSae, data: Activations, feature: int, decode: Callable[[list[int]], str],
                 encoded: Mapping[int, lm.Encoded], n: int, window: int,
                 batch_size: int = 4096) -> list[str]:
    """The `n` token contexts where `feature` is most active; the token itself in [[ ]]."""
    device = sae.b_dec.device
    values = torch.zeros(data.acts.shape[0])
    for s in range(0, data.acts.shape[0], batch_size):
        a, idx = sae.encode(data.acts[s:s + batch_size].to(device))
        values[s:s + batch_size] = (a * (idx == feature)).sum(1).cpu()
    order = torch.argsort(values, descending=True)[:n]
    out = []
    for i in order.tolist():
        if values[i] <= 0:
            break
        e = encoded[int(data.text_index[i])]
        p = int(data.position[i])
        left, tok, right = (decode(e.ids[max(0, p - window):p]), decode([e.ids[p]]),
                            decode(e.ids[p + 1:p + 1 + window // 2]))
        out.append(f"{left}[[{tok}]]{right}")
    return out


def _split(n: int, heldout: float, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(n, generator=gen)
    n_held = int(n * heldout) if n >= 20 else 0
    return order[n_held:], order[:n_held]


def analyze_sae(model_path: Path | str, texts: Sequence[TextSample], out: Path | str,
                options: SaeOptions, checkpoints: Mapping[str, Path | str] | None = None,
                progress: Callable[[int], None] | None = None) -> SaeReport:
    """Train the SAE on `model_path`'s states, save it under `out`, and apply it to each
    checkpoint's states on the same tokens."""
    opts = options
    tok = lm.load_tokenizer(model_path)
    device = lm.resolve_device(opts.device)
    encoded = [lm.encode_pair(tok, s.index, s.prompt, s.completion, opts.max_length)
               for s in texts]
    by_index = {e.index: e for e in encoded}
    model = lm.load_lm(model_path, device, opts.dtype)
    data = collect_activations(model, encoded, opts, lm.pad_id(tok), progress)
    del model
    train_rows, held_rows = _split(data.acts.shape[0], opts.heldout, opts.seed)
    cfg = SaeConfig(d_in=data.acts.shape[1], num_latents=opts.width, k=opts.k,
                    expansion_factor=max(1, opts.width // data.acts.shape[1]))
    sae, log = train_sae(data.acts[train_rows], cfg, steps=opts.steps,
                         batch_size=opts.batch_size, lr=opts.lr, seed=opts.seed, device=device)
    sae_dir = save_sae(sae, out, hook_name(opts.layer))
    return summarize(str(model_path), sae, sae_dir, data, held_rows, log, texts, by_index, opts,
                     lambda ids: str(tok.decode(ids)),
                     _checkpoint_states(checkpoints or {}, tok, model_path, encoded, opts,
                                        device))


def _checkpoint_states(checkpoints: Mapping[str, Path | str], tok: Any, base: Path | str,
                       encoded: Sequence[lm.Encoded], opts: SaeOptions, device: torch.device
                       ) -> dict[str, Activations]:
    out = {}
    for label, path in checkpoints.items():
        lm.check_same_tokenizer(tok, lm.load_tokenizer(path), base, path)
        model = lm.load_lm(path, device, opts.dtype)
        out[label] = collect_activations(model, encoded, opts, lm.pad_id(tok))
        del model
    return out


def summarize(model: str, sae: TopKSae, sae_dir: Path, data: Activations,
              held_rows: torch.Tensor, log: TrainLog, texts: Sequence[TextSample],
              encoded: Mapping[int, lm.Encoded], opts: SaeOptions,
              decode: Callable[[list[int]], str], tuned: Mapping[str, Activations]
              ) -> SaeReport:
    of_text, behaviors = _item_index(texts)
    item_of_token = np.array([of_text[int(i)] for i in data.text_index], dtype=np.int64)
    metrics = evaluate_sae(sae, data.acts)
    held = evaluate_sae(sae, data.acts[held_rows]).fvu if held_rows.numel() else None
    means = item_means(sae, data.acts, item_of_token, len(behaviors))
    auroc = _selectivity(means, behaviors)
    counts = {b: int((a >= opts.threshold).sum()) for b, a in auroc.items()}
    labels = np.array([b or "" for b in behaviors], dtype=object)
    features = []
    for b, a in auroc.items():
        scores = np.nan_to_num(a, nan=0.0)
        for f in np.argsort(-scores, kind="stable")[:opts.top_features]:
            if scores[f] < opts.threshold:
                break
            inside = labels == b
            features.append(SelectiveFeature(
                int(f), b, float(a[f]), float(means[inside, f].mean()),
                float(means[~inside, f].mean()),
                top_contexts(sae, data, int(f), decode, encoded, opts.contexts, opts.window)))
    base_active = _active(metrics)
    checks = []
    for label, acts in tuned.items():
        m = evaluate_sae(sae, acts.acts)
        t_item = np.array([of_text[int(i)] for i in acts.text_index], dtype=np.int64)
        t_auroc = _selectivity(item_means(sae, acts.acts, t_item, len(behaviors)), behaviors)
        active = _active(m)
        union = base_active | active
        checks.append(CheckpointFeatures(
            label, m.fvu, m.l0, m.dead_frac,
            {b: int((a >= opts.threshold).sum()) for b, a in t_auroc.items()},
            len(base_active & active) / len(union) if union else None))
    return SaeReport(model=model, hook=hook_name(opts.layer), layer=opts.layer,
                     width=opts.width, k=opts.k, steps=opts.steps, sae_dir=str(sae_dir),
                     n_tokens=metrics.n_tokens, n_items=len(behaviors), fvu=metrics.fvu,
                     fvu_heldout=held, l0=metrics.l0, dead_frac=metrics.dead_frac,
                     threshold=opts.threshold, selective_counts=counts, top_features=features,
                     checkpoints=checks, train_fvu=log.fvu)


def _active(m: SaeMetrics) -> set[int]:
    return {i for i, c in enumerate(m.fire_counts) if c > 0}
