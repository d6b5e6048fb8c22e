"""Per-position divergences between two next-token distributions, over the full vocabulary.

Inputs are fp32 logits of a chunk of positions, (P, V) each, and the realized next token of
every position. Every quantity is in nats:

- `kl_tb` = KL(tuned || base) = Σ p_t (log p_t − log p_b), `kl_bt` the reverse;
- `js` = ½ KL(p_t || m) + ½ KL(p_b || m), m = ½ (p_t + p_b);
- `top1` = 1 when both argmaxes agree;
- `dlogp` = log p_t(y) − log p_b(y) for the realized token y;
- `rank_t`, `rank_b` = how many tokens score strictly higher than y (0 = top-1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

LOG2 = math.log(2.0)


@dataclass
class PositionMetrics:
    kl_tb: torch.Tensor
    kl_bt: torch.Tensor
    js: torch.Tensor
    top1: torch.Tensor
    dlogp: torch.Tensor
    rank_t: torch.Tensor
    rank_b: torch.Tensor

    @staticmethod
    def concat(parts: list[PositionMetrics]) -> PositionMetrics:
        fields = PositionMetrics.__dataclass_fields__
        if not parts:
            empty = {f: torch.zeros(0) for f in fields}
            return PositionMetrics(**empty)
        return PositionMetrics(**{f: torch.cat([getattr(p, f) for p in parts]) for f in fields})


def position_metrics(logits_t: torch.Tensor, logits_b: torch.Tensor, target: torch.Tensor
                     ) -> PositionMetrics:
    zt, zb = logits_t.float(), logits_b.float()
    lpt = torch.log_softmax(zt, dim=-1)
    lpb = torch.log_softmax(zb, dim=-1)
    pt, pb = lpt.exp(), lpb.exp()
    diff = lpt - lpb
    kl_tb = (pt * diff).sum(-1)
    kl_bt = -(pb * diff).sum(-1)
    # JS = ½ Σ p_t log p_t + ½ Σ p_b log p_b − Σ m log m
    m = 0.5 * (pt + pb)
    js = 0.5 * ((pt * lpt).sum(-1) + (pb * lpb).sum(-1)) - torch.special.xlogy(m, m).sum(-1)
    top1 = (zt.argmax(-1) == zb.argmax(-1)).float()
    idx = target.long().unsqueeze(-1)
    yt, yb = zt.gather(-1, idx), zb.gather(-1, idx)
    dlogp = (lpt.gather(-1, idx) - lpb.gather(-1, idx)).squeeze(-1)
    rank_t = (zt > yt).sum(-1)
    rank_b = (zb > yb).sum(-1)
    return PositionMetrics(kl_tb.clamp_min(0.0), kl_bt.clamp_min(0.0),
                           js.clamp(0.0, LOG2), top1, dlogp, rank_t, rank_b)
