"""The organism's pretraining loop: plain PyTorch, deterministic, resumable.

Why not a Trainer here: speed is not the reason (the loop trains about 1.2x the tokens per
second of transformers' Trainer on the same model and batches, `benchmarks/bench_organism.py`);
control is. The batch plan (which documents form step k's batch) is a pure function of the
seed, so a run resumed from its last checkpoint trains exactly the batches the uninterrupted
run would have and reaches the same weights; batches are cut by a token budget rather than a
document count; and the prompt is trained at a fractional weight, which labels of -100 cannot
say.

Documents are grouped by length (a bucketed batch wastes little on padding, and unlike packing
no document ever attends to another one); each step holds about `batch_tokens` tokens. The loss
is the token-mean cross-entropy over the trained text, plus the context at `context_weight`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonscope.organism.corpus import Document

STATE_NAME = "pretrain-state.pt"


@dataclass(frozen=True)
class Encoded:
    ids: tuple[int, ...]
    n_context: int


@dataclass(frozen=True)
class LoopSettings:
    steps: int
    batch_tokens: int
    lr: float
    warmup: int
    min_lr_ratio: float
    weight_decay: float
    context_weight: float
    max_length: int
    seed: int
    checkpoint_every: int


def encode(docs: Sequence[Document], tokenizer: Any, max_length: int) -> list[Encoded]:
    """Token ids of context + text (each encoded without special tokens); over-long ones are
    cut from the end of the context, never the answer."""
    ctx = tokenizer([d.context for d in docs], add_special_tokens=False)["input_ids"]
    txt = tokenizer([d.text for d in docs], add_special_tokens=False)["input_ids"]
    out = []
    for c, t in zip(ctx, txt, strict=True):
        if len(t) >= max_length:
            continue
        c = c[-(max_length - len(t)):] if len(c) + len(t) > max_length else c
        out.append(Encoded(tuple(c) + tuple(t), len(c)))
    return out


def batch_plan(lengths: Sequence[int], batch_tokens: int, steps: int, seed: int
               ) -> list[list[int]]:
    """`steps` batches of document indices: each epoch sorts a shuffled order into length
    buckets, cuts them into batches of about `batch_tokens` padded tokens, and shuffles those."""
    rng = random.Random(seed)
    plan: list[list[int]] = []
    while len(plan) < steps:
        order = list(range(len(lengths)))
        rng.shuffle(order)
        chunk = 64 * max(1, batch_tokens // max(1, max(lengths)))
        batches: list[list[int]] = []
        for start in range(0, len(order), chunk):
            window = sorted(order[start:start + chunk], key=lambda i: lengths[i])
            batch: list[int] = []
            width = 0
            for i in window:
                w = max(width, lengths[i])
                if batch and w * (len(batch) + 1) > batch_tokens:
                    batches.append(batch)
                    batch, w = [], lengths[i]
                batch.append(i)
                width = w
            if batch:
                batches.append(batch)
        rng.shuffle(batches)
        plan.extend(batches)
    return plan[:steps]


def lr_at(step: int, s: LoopSettings) -> float:
    """Linear warmup, then cosine decay to `min_lr_ratio` of the peak."""
    if step < s.warmup:
        return s.lr * (step + 1) / s.warmup
    progress = (step - s.warmup) / max(1, s.steps - s.warmup)
    return s.lr * (s.min_lr_ratio + (1 - s.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


def _tensors(batch: Sequence[Encoded], pad_id: int, context_weight: float) -> tuple[Any, ...]:
    import torch

    width = max(len(e.ids) for e in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    weight = torch.zeros((len(batch), width), dtype=torch.float32)
    for r, e in enumerate(batch):
        n = len(e.ids)
        ids[r, :n] = torch.tensor(e.ids, dtype=torch.long)
        mask[r, :n] = 1
        weight[r, :e.n_context] = context_weight
        weight[r, e.n_context:n] = 1.0
    return ids, mask, weight


def _loss(model: Any, ids: Any, mask: Any, weight: Any) -> Any:
    import torch.nn.functional as F

    logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
    target, w = ids[:, 1:], weight[:, 1:]
    nll = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                          reduction="none").view_as(w)
    return (nll * w).sum() / w.sum().clamp_min(1e-9)


def _optimizer(model: Any, s: LoopSettings) -> Any:
    import torch

    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "embed" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "embed" not in n)]
    return torch.optim.AdamW([{"params": decay, "weight_decay": s.weight_decay},
                              {"params": rest, "weight_decay": 0.0}],
                             lr=s.lr, betas=(0.9, 0.95), eps=1e-8)


def _save_state(path: Path, model: Any, opt: Any, step: int, losses: list[float]) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "losses": losses}, tmp)
    tmp.replace(path)


def train(model: Any, encoded: Sequence[Encoded], s: LoopSettings, work_dir: Path, *,
          pad_id: int, on_step: Callable[[int, float], None] | None = None,
          stop_after: int | None = None) -> list[float]:
    """Train in place for `s.steps` steps (or only the first `stop_after` of the same
    schedule), resuming from `work_dir/STATE_NAME` when present; returns the loss of every
    step (mean over its trained tokens)."""
    import torch

    plan = batch_plan([len(e.ids) for e in encoded], s.batch_tokens, s.steps, s.seed)
    torch.manual_seed(s.seed)
    model.train()
    opt = _optimizer(model, s)
    Path(work_dir).mkdir(parents=True, exist_ok=True)
    state_path = Path(work_dir) / STATE_NAME
    start, losses = 0, []
    if state_path.exists():
        state = torch.load(state_path, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        start, losses = int(state["step"]), list(state["losses"])
    for step in range(start, min(s.steps, stop_after or s.steps)):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, s)
        ids, mask, weight = _tensors([encoded[i] for i in plan[step]], pad_id, s.context_weight)
        loss = _loss(model, ids, mask, weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(float(loss.detach()))
        if on_step is not None:
            on_step(step + 1, losses[-1])
        if (step + 1) % s.checkpoint_every == 0 and step + 1 < s.steps:
            _save_state(state_path, model, opt, step + 1, losses)
    model.eval()
    return losses
