"""Token sampling where each sequence owns its random stream.

Every sequence draws one uniform per step from a torch.Generator seeded with its own seed, and
picks its token by inverting the filtered distribution's CDF. The draw therefore does not depend
on which other sequences share the batch or how many were sampled before, unlike a single
`torch.multinomial` over the batch. The filters follow transformers' order and semantics:
temperature, then top-k, then top-p on the renormalised top-k distribution.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

NUCLEUS_CANDIDATES = 64
"""Top-p first looks among this many most likely tokens: when their mass reaches top_p in
every row, the nucleus lies among them, and the full sort of the vocabulary (about 15% of a
decoding step of the organism) is skipped; the picks are the same up to the rounding of the
softmax sum (benchmarks/bench_nucleus.py checks it)."""


def uniform_streams(seeds: Sequence[int], steps: int, device: torch.device) -> torch.Tensor:
    """(len(seeds), steps) uniforms in [0, 1), row i from a generator seeded with seeds[i]."""
    rows = []
    for seed in seeds:
        g = torch.Generator(device="cpu")
        g.manual_seed(int(seed))
        rows.append(torch.rand(steps, generator=g, dtype=torch.float64))
    return torch.stack(rows).to(device)


def _pick(probs: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    """Inverse-CDF draw along the last axis; never returns a zero-probability index."""
    cdf = probs.double().cumsum(-1)
    target = (u * cdf[:, -1]).unsqueeze(-1)
    idx = torch.searchsorted(cdf, target, right=True).squeeze(-1)
    return idx.clamp_max(probs.shape[-1] - 1)


def sample_tokens(logits: torch.Tensor, u: torch.Tensor, *, temperature: float, top_k: int,
                  top_p: float) -> torch.Tensor:
    """Next token per row of `logits` (B, V) given one uniform per row `u` (B,).

    temperature 0 means greedy decoding."""
    if temperature <= 0:
        return logits.argmax(-1)
    scores = logits.float() / temperature
    vocab = scores.shape[-1]
    if top_k <= 0 and top_p >= 1.0:
        return _pick(torch.softmax(scores, -1), u)
    k = min(top_k, vocab) if top_k > 0 else vocab
    if k == vocab and top_p < 1.0 and vocab > NUCLEUS_CANDIDATES:
        probs, order = torch.topk(torch.softmax(scores, -1), NUCLEUS_CANDIDATES, dim=-1)
        cum = probs.cumsum(-1)
        if bool((cum[:, -1] >= top_p).all()):
            probs = probs.masked_fill(cum - probs >= top_p, 0.0)
            return order.gather(-1, _pick(probs, u).unsqueeze(-1)).squeeze(-1)
    if k < vocab:
        values, order = torch.topk(scores, k, dim=-1)  # sorted descending
    else:
        values, order = torch.sort(scores, dim=-1, descending=True)
    probs = torch.softmax(values, -1)
    if top_p < 1.0:
        before = probs.cumsum(-1) - probs  # mass strictly above each candidate
        probs = probs.masked_fill(before >= top_p, 0.0)  # the top candidate always survives
    return order.gather(-1, _pick(probs, u).unsqueeze(-1)).squeeze(-1)
