"""What a larger organism would cost the demo: each shape's time per unit of the demo's three
workloads, as a ratio to the shipped shape (hidden 128, 4 layers), measured in the same run.

The workloads are the demo's: batched sampling (the probe and GRPO's rollouts: 256 sequences,
150-token prompts, 64 new tokens forced so every shape generates the same number, temperature
0.6, top-p 0.95), a fine-tuning step (16 sequences x 300 tokens, AdamW) and a pretraining step
(the loop's 4,096-token batch, 16 x 256). The models are freshly built with random weights on
the shipped tokenizer; speed does not depend on what the weights have learned once the number
of generated tokens is fixed.

    .venv/bin/python benchmarks/bench_organism_shapes.py [--threads 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

SHAPES: dict[str, dict[str, int]] = {
    "h128 L4 (shipped)": dict(hidden_size=128, num_layers=4, num_heads=4, num_kv_heads=2,
                              intermediate_size=384),
    "h192 L4": dict(hidden_size=192, num_layers=4, num_heads=6, num_kv_heads=2,
                    intermediate_size=576),
    "h128 L8": dict(hidden_size=128, num_layers=8, num_heads=4, num_kv_heads=2,
                    intermediate_size=384),
    "h256 L4": dict(hidden_size=256, num_layers=4, num_heads=8, num_kv_heads=2,
                    intermediate_size=768),
}


def _best(fn: Callable[[], None], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(shape: dict[str, int], tokenizer: Any, repeats: int) -> tuple[int, list[float]]:
    """(parameters, [sampling s, fine-tuning step s, pretraining step s])."""
    import torch

    from reasonscope.organism.model import build_model

    g = torch.Generator().manual_seed(0)
    prompts = torch.randint(10, len(tokenizer), (256, 150), generator=g)
    finetune = torch.randint(10, len(tokenizer), (16, 300), generator=g)
    pretrain = torch.randint(10, len(tokenizer), (16, 256), generator=g)
    model = build_model(tokenizer, **shape)

    def sample() -> None:
        with torch.no_grad():
            model.generate(prompts, attention_mask=torch.ones_like(prompts), do_sample=True,
                           temperature=0.6, top_p=0.95, max_new_tokens=64, min_new_tokens=64)

    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

    def step(batch: Any) -> Callable[[], None]:
        def run() -> None:
            model.train()
            model(batch, labels=batch).loss.backward()
            opt.step()
            opt.zero_grad()
            model.eval()
        return run

    times = [_best(sample, repeats), _best(step(finetune), repeats), _best(step(pretrain), repeats)]
    return sum(p.numel() for p in model.parameters()), times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    import torch
    from transformers import AutoTokenizer

    from reasonscope.organism.shipped import shipped_dir

    torch.set_num_threads(a.threads)
    tokenizer = AutoTokenizer.from_pretrained(shipped_dir())
    baseline: list[float] | None = None
    print(f"{'shape':18s} {'params':>7s}  {'sampling':>14s}  {'fine-tune step':>15s}  "
          f"{'pretrain step':>14s}")
    for name, shape in SHAPES.items():
        n, times = measure(shape, tokenizer, a.repeats)
        baseline = baseline or times
        cols = [f"{t:6.2f}s {t / b:4.2f}x" for t, b in zip(times, baseline, strict=True)]
        print(f"{name:18s} {n / 1e6:6.2f}M  {cols[0]:>14s}  {cols[1]:>15s}  {cols[2]:>14s}")


if __name__ == "__main__":
    main()
