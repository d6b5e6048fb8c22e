"""Where the tuned model's next-token distribution left the base's (DESIGN section 8, Tokens).

Teacher forcing on identical ids: ids = tokens(prompt) + tokens(completion), and completion
token i is scored from both models' logits at position i − 1 (the first completion token from
the prompt's last position). Only completion positions are scored. The backbones run once per
batch; the output heads are applied to chunks of the scored positions, in fp32, so memory is
one chunk of (positions × vocabulary) however long the texts or large the vocabulary.

Per text: means over its completion positions, the share of positions with KL(tuned || base)
above a threshold (0.1: sparsity of the change), KL by relative-position decile. Per cell: the
mean over its texts of each per-text number (every sample weighs the same, as in item accuracy).
Movers: realized tokens whose rank moved most on average.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reasonscope.analysis import models as lm
from reasonscope.analysis.texts import TextSample
from reasonscope.analysis.token_metrics import PositionMetrics, position_metrics

DECILES = 10


@dataclass(frozen=True)
class TokenOptions:
    device: str | None = None
    dtype: str = "float32"
    batch_size: int = 8
    max_batch_tokens: int = 16384
    chunk_elems: int = 1 << 24
    """Scored positions × vocabulary per head chunk (64 MB of fp32 logits per model)."""
    max_length: int | None = None
    kl_threshold: float = 0.1
    movers: int = 20


@dataclass
class TextDivergence:
    index: int
    item_id: str | None
    behavior: str | None
    domain: str | None
    n_tokens: int
    kl_tuned_base: float | None
    kl_base_tuned: float | None
    js: float | None
    top1_agree: float | None
    delta_logprob: float | None
    rank_change: float | None
    share_kl_above: float | None
    kl_by_decile: list[float | None]
    n_prompt_tokens: int = 0
    truncated: bool = False


@dataclass
class GroupDivergence:
    key: str
    n_texts: int
    n_tokens: int
    kl_tuned_base: float | None
    kl_base_tuned: float | None
    js: float | None
    top1_agree: float | None
    delta_logprob: float | None
    rank_change: float | None
    share_kl_above: float | None
    kl_by_decile: list[float | None]


@dataclass
class TokenMover:
    token_id: int
    token: str
    count: int
    mean_rank_change: float
    mean_delta_logprob: float


@dataclass
class TokensReport:
    base: str
    tuned: str
    kl_threshold: float
    texts: list[TextDivergence]
    cells: list[GroupDivergence]
    overall: GroupDivergence
    movers_up: list[TokenMover] = field(default_factory=list)
    movers_down: list[TokenMover] = field(default_factory=list)
    positions: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    """Per scored position: text index, position, token id and every metric (Parquet)."""

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base, "tuned": self.tuned, "kl_threshold": self.kl_threshold,
                "texts": [asdict(t) for t in self.texts],
                "cells": [asdict(c) for c in self.cells], "overall": asdict(self.overall),
                "movers_up": [asdict(m) for m in self.movers_up],
                "movers_down": [asdict(m) for m in self.movers_down]}


def _mean(x: np.ndarray) -> float | None:
    return float(x.mean()) if x.size else None


def _deciles(kl: np.ndarray) -> list[float | None]:
    n = kl.size
    if n == 0:
        return [None] * DECILES
    bins = np.minimum(np.arange(n) * DECILES // n, DECILES - 1)
    return [float(kl[bins == d].mean()) if (bins == d).any() else None for d in range(DECILES)]


def text_divergence(sample: TextSample, m: PositionMetrics, n_prompt: int, truncated: bool,
                    threshold: float) -> TextDivergence:
    kl = m.kl_tb.numpy()
    return TextDivergence(
        index=sample.index, item_id=sample.item_id, behavior=sample.behavior,
        domain=sample.domain, n_tokens=int(kl.size), kl_tuned_base=_mean(kl),
        kl_base_tuned=_mean(m.kl_bt.numpy()), js=_mean(m.js.numpy()),
        top1_agree=_mean(m.top1.numpy()), delta_logprob=_mean(m.dlogp.numpy()),
        rank_change=_mean((m.rank_t - m.rank_b).double().numpy()),
        share_kl_above=_mean((kl > threshold).astype(np.float64)),
        kl_by_decile=_deciles(kl), n_prompt_tokens=n_prompt, truncated=truncated)


def _avg(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def group_divergence(key: str, texts: Sequence[TextDivergence]) -> GroupDivergence:
    scored = [t for t in texts if t.n_tokens]
    return GroupDivergence(
        key=key, n_texts=len(scored), n_tokens=sum(t.n_tokens for t in scored),
        kl_tuned_base=_avg([t.kl_tuned_base for t in scored]),
        kl_base_tuned=_avg([t.kl_base_tuned for t in scored]),
        js=_avg([t.js for t in scored]), top1_agree=_avg([t.top1_agree for t in scored]),
        delta_logprob=_avg([t.delta_logprob for t in scored]),
        rank_change=_avg([t.rank_change for t in scored]),
        share_kl_above=_avg([t.share_kl_above for t in scored]),
        kl_by_decile=[_avg([t.kl_by_decile[d] for t in scored]) for d in range(DECILES)])


def movers(positions: dict[str, np.ndarray], decode: Callable[[int], str], top: int
           ) -> tuple[list[TokenMover], list[TokenMover]]:
    """Realized tokens (seen at least twice when any is) by mean rank change: most promoted
    (rank fell: the tuned model prefers them) and most demoted."""
    ids = positions["token_id"]
    if ids.size == 0 or top <= 0:
        return [], []
    change = positions["rank_tuned"].astype(np.float64) - positions["rank_base"]
    dlogp = positions["delta_logprob"]
    uniq, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
    mean_change = np.bincount(inverse, change) / counts
    mean_dlogp = np.bincount(inverse, dlogp) / counts
    keep = counts >= 2 if (counts >= 2).any() else counts >= 1
    cand = np.flatnonzero(keep)

    def make(order: np.ndarray) -> list[TokenMover]:
        return [TokenMover(int(uniq[i]), decode(int(uniq[i])), int(counts[i]),
                           float(mean_change[i]), float(mean_dlogp[i])) for i in order[:top]]

    up = cand[np.argsort(mean_change[cand], kind="stable")]
    down = cand[np.argsort(-mean_change[cand], kind="stable")]
    return make(up[mean_change[up] < 0]), make(down[mean_change[down] > 0])


ProgressFn = Callable[[int], None]


def score_texts(base_model: Any, tuned_model: Any, encoded: Sequence[lm.Encoded],
                options: TokenOptions, pad: int, progress: ProgressFn | None = None
                ) -> dict[int, PositionMetrics]:
    """Per text index, the metrics of its completion positions (in order)."""
    device = next(base_model.parameters()).device
    vocab = base_model.get_output_embeddings().weight.shape[0]
    per_chunk = max(1, options.chunk_elems // vocab)
    out: dict[int, PositionMetrics] = {}
    for batch in lm.batches(encoded, options.batch_size, options.max_batch_tokens):
        ids, mask = lm.pad_batch(batch, pad, device)
        rows, cols, index_of = [], [], []
        for r, e in enumerate(batch):
            first = max(e.n_prompt, 1)  # token 0 has no preceding logits
            for j in range(first, len(e.ids)):
                rows.append(r)
                cols.append(j - 1)
                index_of.append(e.index)
        with torch.inference_mode():
            hb = base_model.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
            ht = tuned_model.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
            r_idx = torch.tensor(rows, dtype=torch.long, device=device)
            c_idx = torch.tensor(cols, dtype=torch.long, device=device)
            targets = ids[r_idx, c_idx + 1]
            hb_sel, ht_sel = hb[r_idx, c_idx], ht[r_idx, c_idx]
            del hb, ht
            parts = []
            for s in range(0, len(rows), per_chunk):
                zb = lm.head_logits(base_model, hb_sel[s:s + per_chunk])
                zt = lm.head_logits(tuned_model, ht_sel[s:s + per_chunk])
                pm = position_metrics(zt, zb, targets[s:s + per_chunk])
                parts.append(PositionMetrics(**{k: v.cpu() for k, v in vars(pm).items()}))
        allm = PositionMetrics.concat(parts)
        owner = np.array(index_of, dtype=np.int64)
        for e in batch:
            sel = torch.from_numpy(np.flatnonzero(owner == e.index))
            out[e.index] = PositionMetrics(**{k: v[sel] for k, v in vars(allm).items()})
        if progress is not None:
            progress(len(batch))
    return out


class DivergenceScorer:
    """The base model loaded once, scored against any number of tuned checkpoints."""

    def __init__(self, base: Path | str, options: TokenOptions | None = None) -> None:
        self.base = base
        self.opts = options or TokenOptions()
        self.tokenizer = lm.load_tokenizer(base)
        self.device = lm.resolve_device(self.opts.device)
        self.model = lm.load_lm(base, self.device, self.opts.dtype)
        self._checked_base = False
        self._tuned: tuple[str, Any] | None = None
        """The last tuned model, kept for the next call on the same checkpoint."""

    def _tuned_model(self, tuned: Path | str) -> Any:
        if self._tuned is None or self._tuned[0] != str(tuned):
            self._tuned = None  # release the previous one before loading the next
            lm.check_same_tokenizer(self.tokenizer, lm.load_tokenizer(tuned), self.base, tuned)
            model = lm.load_lm(tuned, self.device, self.opts.dtype)
            lm.check_same_vocab_dims(self.model, model, self.base, tuned)
            self._tuned = (str(tuned), model)
        return self._tuned[1]

    def score(self, tuned: Path | str, texts: Sequence[TextSample],
              progress: ProgressFn | None = None) -> TokensReport:
        """Teacher-forced divergences of `tuned` from the base on `texts` (refuses a tuned
        checkpoint whose tokenizer or output head differs from the base's)."""
        tok, opts = self.tokenizer, self.opts
        tuned_model = self._tuned_model(tuned)
        max_len = opts.max_length or getattr(self.model.config, "max_position_embeddings",
                                             None)
        encoded = [lm.encode_pair(tok, s.index, s.prompt, s.completion, max_len)
                   for s in texts]
        probe_ids = next((e.ids for e in encoded if e.ids), [0])
        if not self._checked_base:
            lm.check_head(self.model, self.base, probe_ids)
            self._checked_base = True
        lm.check_head(tuned_model, tuned, probe_ids)
        metrics = score_texts(self.model, tuned_model, encoded, opts, lm.pad_id(tok), progress)
        return build_report(str(self.base), str(tuned), texts, encoded, metrics, opts,
                            lambda i: str(tok.decode([i])))


def analyze_tokens(base: Path | str, tuned: Path | str, texts: Sequence[TextSample],
                   options: TokenOptions | None = None, progress: ProgressFn | None = None
                   ) -> TokensReport:
    """Teacher-forced divergences of `tuned` from `base` on `texts` (refuses mismatched
    tokenizers)."""
    return DivergenceScorer(base, options).score(tuned, texts, progress)


def build_report(base: str, tuned: str, texts: Sequence[TextSample],
                 encoded: Sequence[lm.Encoded], metrics: dict[int, PositionMetrics],
                 opts: TokenOptions, decode: Callable[[int], str]) -> TokensReport:
    by_index = {e.index: e for e in encoded}
    rows = []
    cols: dict[str, list[np.ndarray]] = {k: [] for k in (
        "text_index", "position", "token_id", "kl_tuned_base", "kl_base_tuned", "js",
        "top1_agree", "delta_logprob", "rank_tuned", "rank_base")}
    for s in texts:
        e, m = by_index[s.index], metrics[s.index]
        rows.append(text_divergence(s, m, e.n_prompt, e.truncated, opts.kl_threshold))
        n = int(m.kl_tb.numel())
        first = max(e.n_prompt, 1)
        cols["text_index"].append(np.full(n, s.index, dtype=np.int64))
        cols["position"].append(np.arange(first, first + n, dtype=np.int64))
        cols["token_id"].append(np.asarray(e.ids[first:first + n], dtype=np.int64))
        for key, value in (("kl_tuned_base", m.kl_tb), ("kl_base_tuned", m.kl_bt), ("js", m.js),
                           ("top1_agree", m.top1), ("delta_logprob", m.dlogp),
                           ("rank_tuned", m.rank_t), ("rank_base", m.rank_b)):
            cols[key].append(value.numpy())
    positions = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in cols.items()}
    cells: dict[str, list[TextDivergence]] = {}
    for s, row in zip(texts, rows, strict=True):
        cells.setdefault(s.cell, []).append(row)
    up, down = movers(positions, decode, opts.movers)
    return TokensReport(base=base, tuned=tuned, kl_threshold=opts.kl_threshold, texts=rows,
                        cells=[group_divergence(k, v) for k, v in sorted(cells.items())],
                        overall=group_divergence("all", rows), movers_up=up, movers_down=down,
                        positions=positions)
