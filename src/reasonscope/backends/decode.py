"""A batched decoding loop with a KV cache, per-sequence seeds and shared prompt prefill.

Why not `model.generate`: its sampler draws the whole batch from one random stream, so a
sequence's text depends on its batch neighbours and a resumed run cannot reproduce an
interrupted one. Here each prompt is prefilled once (left-padded), its KV cache is copied to
its n samples, and every sequence samples from its own seeded stream (reasonscope.backends.
sampling). Finished sequences are dropped from the batch once they are a quarter of it, so a
batch with mixed lengths does not keep paying for its finished rows. The KV cache is reserved
for prompt + max_new_tokens at prefill (reasonscope.backends.kvcache), not grown by copying.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from reasonscope.backends.sampling import sample_tokens, uniform_streams

COMPACT_FRACTION = 0.25


def _forward_names(model: torch.nn.Module) -> tuple[str, str | None]:
    """transformers 5 renames forward's `past_key_values` to `cache`; older releases and remote
    code keep the old name, and some lack `logits_to_keep`."""
    params = inspect.signature(model.forward).parameters
    cache = "cache" if "cache" in params else "past_key_values"
    keep = next((k for k in ("logits_to_keep", "num_logits_to_keep") if k in params), None)
    return cache, keep


def eos_token_ids(model: Any, tokenizer: Any) -> list[int]:
    """Every id that ends a sequence: the model's generation-config eos ids (an end-of-turn
    token, say) and the tokenizer's, as transformers' generate and TRL count them."""
    ids: set[int] = set()
    for value in (getattr(getattr(model, "generation_config", None), "eos_token_id", None),
                  tokenizer.eos_token_id):
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list | tuple):
            ids.update(int(v) for v in value)
    return sorted(ids)


@dataclass
class SeqOut:
    tokens: list[int]
    """Generated ids, the terminating EOS included when there was one."""
    finish_reason: str
    elapsed_s: float


@dataclass(frozen=True)
class Sampling:
    max_new_tokens: int
    temperature: float
    top_k: int
    top_p: float


def _left_pad(prompts: Sequence[Sequence[int]], pad_id: int, device: torch.device
              ) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(prompts), width), dtype=torch.long)
    for i, p in enumerate(prompts):
        if p:
            ids[i, width - len(p):] = torch.tensor(p, dtype=torch.long)
            mask[i, width - len(p):] = 1
    return ids.to(device), mask.to(device)


@torch.inference_mode()
def decode(
    model: torch.nn.Module,
    prompts: Sequence[Sequence[int]],
    counts: Sequence[int],
    seeds: Sequence[int],
    sampling: Sampling,
    *,
    eos_ids: Sequence[int],
    pad_id: int,
    stop_check: Callable[[list[int]], bool] | None = None,
) -> list[SeqOut]:
    """Generate `counts[p]` sequences for each prompt p; seeds are per sequence, in order."""
    from reasonscope.backends.kvcache import reserved_cache

    if len(prompts) != len(counts) or sum(counts) != len(seeds):
        raise ValueError("need one count per prompt and one seed per sequence")
    device = next(model.parameters()).device
    start = time.perf_counter()
    ids, mask = _left_pad(prompts, pad_id, device)
    positions = (mask.cumsum(-1) - 1).clamp_min(0)
    cache_name, keep_arg = _forward_names(model)
    cache = reserved_cache(getattr(model, "config", None), ids.shape[1] + sampling.max_new_tokens)
    prefill: dict[str, Any] = {cache_name: cache}
    if keep_arg:
        prefill[keep_arg] = 1  # logits of the last position only: no (B, L, V) tensor
    out = model(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=True,
                **prefill)
    expand = torch.repeat_interleave(torch.arange(len(prompts)), torch.tensor(list(counts)))
    if len(expand) != len(prompts):
        cache.batch_select_indices(expand.to(device))
    logits = out.logits[:, -1, :][expand.to(device)]
    mask = mask[expand.to(device)]
    next_pos = positions[:, -1][expand.to(device)] + 1
    uniforms = uniform_streams(seeds, sampling.max_new_tokens, device)
    eos = torch.tensor(sorted(set(eos_ids)), dtype=torch.long, device=device)

    n = len(seeds)
    tokens: list[list[int]] = [[] for _ in range(n)]
    results: list[SeqOut | None] = [None] * n
    rows = torch.arange(n, device=device)  # sequence index of each batch row
    live = torch.ones(n, dtype=torch.bool, device=device)
    for step in range(sampling.max_new_tokens):
        nxt = sample_tokens(logits, uniforms[rows, step], temperature=sampling.temperature,
                            top_k=sampling.top_k, top_p=sampling.top_p)
        is_eos = torch.isin(nxt, eos)
        last = step == sampling.max_new_tokens - 1
        for r, (seq, tok, alive, stop_tok) in enumerate(zip(
                rows.tolist(), nxt.tolist(), live.tolist(), is_eos.tolist(), strict=True)):
            if not alive:
                continue
            tokens[seq].append(tok)
            reason = None
            if stop_tok or (stop_check is not None and stop_check(tokens[seq])):
                reason = "stop"
            elif last:
                reason = "length"
            if reason is not None:
                results[seq] = SeqOut(tokens[seq], reason, time.perf_counter() - start)
                live[r] = False
        n_live = int(live.sum())
        if n_live == 0 or last:
            break
        if n_live <= len(rows) * (1 - COMPACT_FRACTION):
            keep = live.nonzero().squeeze(-1)
            cache.batch_select_indices(keep)
            rows, live, nxt = rows[keep], live[keep], nxt[keep]
            mask, next_pos = mask[keep], next_pos[keep]
        mask = torch.cat([mask, torch.ones_like(mask[:, :1])], dim=-1)
        out = model(input_ids=nxt.unsqueeze(-1), attention_mask=mask,
                    position_ids=next_pos.unsqueeze(-1), use_cache=True, **{cache_name: cache})
        logits = out.logits[:, -1, :]
        next_pos = next_pos + 1
    return [r if r is not None else SeqOut(tokens[i], "length", time.perf_counter() - start)
            for i, r in enumerate(results)]
