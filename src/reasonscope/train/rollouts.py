"""GRPO rollouts sampled by the project's decoder, through TRL's `rollout_func` hook.

TRL's own path calls `model.generate`, which keeps every row of the batch until the longest
rollout ends, grows its KV cache by copying, and draws the whole batch from one random stream.
`reasonscope.backends.decode` prefills each prompt once for its G rollouts, drops finished rows,
writes into a reserved cache, and gives every rollout its own seeded stream: the sampler the
probe uses, so the rollouts of a round are a function of (seed, step, position) alone and a
resumed run draws what an uninterrupted one would have drawn. On the tiny organism a round
of 8 prompts x 16 rollouts decodes 3.3x faster this way (benchmarks/RESULTS.md).

It covers the sampling settings the decoder implements (temperature, top-k, top-p) on a model
that each process holds whole: vLLM, min-p and repetition penalty stay on TRL's path
(`GRPOConfig` refuses them with `rollouts="decoder"`), and so do DeepSpeed and FSDP, whose
sharded models the first round refuses.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from reasonscope.backends.base import sample_seed


def group_prompts(prompt_ids: Sequence[Sequence[int]]) -> tuple[list[list[int]], list[int]]:
    """Runs of identical consecutive prompts as (prompt, count): TRL's sampler lays out a round
    as each prompt repeated G times, and the decoder prefills each run once."""
    prompts: list[list[int]] = []
    counts: list[int] = []
    for ids in prompt_ids:
        if prompts and prompts[-1] == list(ids):
            counts[-1] += 1
        else:
            prompts.append(list(ids))
            counts.append(1)
    return prompts, counts


def rollout_seeds(seed: int, step: int, rank: int, n: int, *, evaluation: bool = False
                  ) -> list[int]:
    """One sampler seed per rollout of a round, from the run's seed, the optimizer step the
    round is drawn at and the process: independent of batch layout and of earlier rounds.
    An evaluation round at a step draws apart from that step's training round."""
    key = f"grpo-rollout/step-{step}/rank-{rank}" + ("/eval" if evaluation else "")
    return [sample_seed(seed, key, i) for i in range(n)]


def decoder_rollouts(*, seed: int, max_new_tokens: int, temperature: float, top_p: float,
                     top_k: int) -> Callable[[list[str], Any], dict[str, Any]]:
    """A TRL `rollout_func`: tokenizes the round's prompts as TRL does for text prompts, and
    returns one decoded completion per prompt (the round is already repeated G times)."""
    from reasonscope.backends.decode import Sampling

    sampling = Sampling(max_new_tokens, temperature, top_k, top_p)

    def rollout(prompts: list[str], trainer: Any) -> dict[str, Any]:
        import torch

        from reasonscope.backends.decode import decode, eos_token_ids

        if getattr(trainer, "is_deepspeed_enabled", False) or getattr(
                trainer, "is_fsdp_enabled", False):
            raise RuntimeError("rollouts='decoder' needs the whole model in each process; "
                               "with DeepSpeed or FSDP use rollouts='trl' or use_vllm")
        if any(not isinstance(p, str) for p in prompts):
            raise TypeError("rollouts='decoder' takes rendered text prompts, not messages")
        tokenizer = trainer.processing_class
        prompt_ids = tokenizer(text=prompts)["input_ids"]
        model = trainer.accelerator.unwrap_model(trainer.model)
        unique, counts = group_prompts(prompt_ids)
        rank = int(os.environ.get("RANK", "0"))
        was_training = model.training
        seeds = rollout_seeds(seed, int(trainer.state.global_step), rank, len(prompt_ids),
                              evaluation=not was_training)
        eos = eos_token_ids(model, tokenizer)
        pad = tokenizer.pad_token_id
        if pad is None:
            pad = eos[0] if eos else 0
        model.eval()
        try:
            with torch.no_grad():
                outs = decode(model, unique, counts, seeds, sampling, eos_ids=eos, pad_id=pad)
        finally:
            model.train(was_training)
        return {"prompt_ids": [list(p) for p in prompt_ids],
                "completion_ids": [o.tokens for o in outs], "logprobs": None}

    return rollout
