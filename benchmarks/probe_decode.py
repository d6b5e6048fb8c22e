"""What the decode-loop benchmarks share: the shipped organism base and the demo's probe prompts
with the probe's sampling (temperature 0.6, top-p 0.95, 2 samples, 256 new tokens)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class ProbeDecode:
    model: Any
    tokenizer: Any
    prompts: list[list[int]]
    sampling: Any

    def run(self, per_batch: int | None = None) -> list[list[int]]:
        """Every prompt's 2 samples (seeds 0, 1, ... in prompt order), `per_batch` prompts per
        call of the decode loop (None: all in one)."""
        from reasonscope.backends.decode import decode

        step = per_batch or len(self.prompts)
        out: list[list[int]] = []
        for i in range(0, len(self.prompts), step):
            batch = self.prompts[i:i + step]
            out += [o.tokens for o in decode(
                self.model, batch, [2] * len(batch), list(range(2 * i, 2 * (i + len(batch)))),
                self.sampling, eos_ids=[self.tokenizer.eos_token_id],
                pad_id=self.tokenizer.pad_token_id)]
        return out


def load(stride: int, threads: int, *, longest_first: bool = False) -> ProbeDecode:
    """Every `stride`-th item of `rs-synth-easy-v2` at difficulties 1-2, rendered as the probe
    renders it."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasonscope.backends.decode import Sampling
    from reasonscope.backends.hf import render_prompt
    from reasonscope.engine.task import EvalTask
    from reasonscope.genconfig import GenerationConfig
    from reasonscope.organism.shipped import verify_shipped

    torch.set_num_threads(threads)
    base = verify_shipped()
    model = AutoModelForCausalLM.from_pretrained(base).eval()
    tok = AutoTokenizer.from_pretrained(base)
    gen = GenerationConfig(temperature=0.6, top_p=0.95, samples=2, max_new_tokens=256, seed=0)
    items = list(EvalTask.create("rs-synth-easy-v2", difficulties=(1, 2),
                                 generation=gen).items())[::stride]
    prompts = [tok(render_prompt(tok, it.prompt, gen), add_special_tokens=False)["input_ids"]
               for it in items]
    if longest_first:
        prompts.sort(key=len, reverse=True)
    spec = Sampling(gen.max_new_tokens, gen.temperature, 0, gen.top_p)
    return ProbeDecode(model, tok, prompts, spec)


def compare(bench: ProbeDecode, variants: Sequence[tuple[str, Callable[[], None]]], reps: int,
            threads: int, per_batch: int | None = None) -> None:
    """Time each variant (its callable switches it on) `reps` times, alternated so drift in
    machine load hits all; stop unless all produce the same tokens; print the medians and the
    ratio of the first (the baseline) to the last."""
    seconds: dict[str, list[float]] = {name: [] for name, _ in variants}
    tokens: dict[str, list[list[int]]] = {}
    for _ in range(reps):
        for name, switch_on in variants:
            switch_on()
            t0 = time.perf_counter()
            tokens[name] = bench.run(per_batch)
            seconds[name].append(time.perf_counter() - t0)
    first, last = variants[0][0], variants[-1][0]
    if any(t != tokens[first] for t in tokens.values()):
        raise SystemExit("the variants produced different tokens")
    n_tok = sum(len(t) for t in tokens[first])
    print(f"{len(bench.prompts)} prompts x 2 samples, {n_tok} tokens, {threads} threads")
    for name, s in seconds.items():
        print(f"  {name}: median {statistics.median(s):.2f} s ({', '.join(f'{x:.2f}' for x in s)})")
    ratio = statistics.median(seconds[first]) / statistics.median(seconds[last])
    print(f"  speed-up ({first} / {last}): {ratio:.2f}x")
