"""GRPO rollouts: the project's decoder (`rollouts="decoder"`) vs TRL's generate path.

One GRPO round as the demo draws it: `--prompts` of the demo's GRPO candidates (generated math
items at difficulty 1, rendered with the chat template as `train grpo` renders them), each
repeated 16 times, sampled from the shipped organism base at temperature 1.0 with 96 new
tokens. Baseline: what TRL's GRPOTrainer does without vLLM, `model.generate` on the left-padded
round with the generation config it builds (do_sample, top_p 1, top_k 0), then its cut after
the first EOS. New: `reasonscope.train.rollouts.decoder_rollouts`, as the trainer calls it.
The two draw different random numbers, so the script reports the mean completion length of
each (the same distribution should give similar lengths), seconds per round (alternated, the
median of `--reps`) and the ratio of the medians.

    .venv/bin/python benchmarks/bench_rollouts.py [--reps 5] [--prompts 8] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import time
from types import SimpleNamespace
from typing import Any

GENERATIONS = 16
MAX_NEW = 96


def _rounds(tokenizer: Any, n_prompts: int, reps: int) -> list[list[str]]:
    from reasonscope.bench.suites import training_items
    from reasonscope.organism.demo import DemoConfig
    from reasonscope.taxonomy import BEHAVIORS, Domain
    from reasonscope.train.data import render_prompt, user_prompt

    cfg = DemoConfig()
    items = training_items(behaviors=BEHAVIORS, domains=(Domain.MATH,),
                           per_cell=cfg.grpo_per_cell, difficulties=cfg.grpo_difficulties,
                           seed=cfg.finetune_data_seed)
    texts = [render_prompt(tokenizer, user_prompt(i.prompt), chat=True, thinking="on")
             for i in items]
    step = max(1, len(texts) // (n_prompts * reps))
    picked = texts[::step]
    return [[t for t in picked[r * n_prompts:(r + 1) * n_prompts] for _ in range(GENERATIONS)]
            for r in range(reps)]


def trl_path(model: Any, tokenizer: Any, round_: list[str], step: int) -> list[list[int]]:
    """TRL 1.x `_generate_single_turn` without vLLM: left-pad, generate, cut after EOS."""
    import torch
    from transformers import GenerationConfig

    torch.manual_seed(step)
    ids = tokenizer(text=round_)["input_ids"]
    width = max(map(len, ids))
    x = torch.full((len(ids), width), tokenizer.pad_token_id)
    mask = torch.zeros_like(x)
    for i, p in enumerate(ids):
        x[i, width - len(p):] = torch.tensor(p)
        mask[i, width - len(p):] = 1
    gc = GenerationConfig(max_new_tokens=MAX_NEW, do_sample=True, temperature=1.0, top_p=1.0,
                          top_k=0, pad_token_id=tokenizer.pad_token_id,
                          eos_token_id=tokenizer.eos_token_id)
    with torch.no_grad():
        out = model.generate(input_ids=x, attention_mask=mask, generation_config=gc)
    completions = []
    for row in out[:, width:].tolist():
        cut = row.index(tokenizer.eos_token_id) + 1 if tokenizer.eos_token_id in row else len(row)
        completions.append(row[:cut])
    return completions


def main() -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasonscope.organism.shipped import shipped_dir
    from reasonscope.train.rollouts import decoder_rollouts

    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--prompts", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    base = shipped_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForCausalLM.from_pretrained(base)
    rounds = _rounds(tokenizer, args.prompts, args.reps)
    rollout = decoder_rollouts(seed=0, max_new_tokens=MAX_NEW, temperature=1.0, top_p=1.0,
                               top_k=0)

    def decoder(round_: list[str], step: int) -> list[list[int]]:
        trainer = SimpleNamespace(processing_class=tokenizer, model=model,
                                  accelerator=SimpleNamespace(unwrap_model=lambda m: m),
                                  state=SimpleNamespace(global_step=step))
        completions: list[list[int]] = rollout(round_, trainer)["completion_ids"]
        return completions

    ways = [("TRL generate (baseline)", lambda r, s: trl_path(model, tokenizer, r, s)),
            ("decoder", decoder)]
    ways[1][1](rounds[0], -1)  # warm-up
    seconds: dict[str, list[float]] = {name: [] for name, _ in ways}
    lengths: dict[str, list[int]] = {name: [] for name, _ in ways}
    for step, round_ in enumerate(rounds):
        for name, fn in ways:
            t0 = time.perf_counter()
            out = fn(round_, step)
            seconds[name].append(time.perf_counter() - t0)
            lengths[name] += [len(c) for c in out]
    print(f"{args.reps} rounds of {args.prompts} prompts x {GENERATIONS} rollouts, {MAX_NEW} "
          f"new tokens, {args.threads} thread(s)")
    print("| rollouts | seconds per round (median; all) | mean completion length |")
    print("|---|---|---:|")
    for name, _ in ways:
        runs = ", ".join(f"{s:.2f}" for s in seconds[name])
        print(f"| {name} | {statistics.median(seconds[name]):.2f} ({runs}) | "
              f"{statistics.mean(lengths[name]):.1f} |")
    ratio = statistics.median(seconds[ways[0][0]]) / statistics.median(seconds[ways[1][0]])
    print(f"speed-up {ratio:.2f}x")


if __name__ == "__main__":
    main()
