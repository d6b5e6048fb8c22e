"""Top-p sampling from the top candidates vs a full sort of the vocabulary, in the decode loop.

Both runs decode the same prompts of the demo's probe (`rs-synth-easy-v2`, difficulties 1-2,
every `--stride`-th item) from the shipped organism base with the probe's sampling
(temperature 0.6, top-p 0.95, 2 samples, 256 new tokens). The baseline sets
`NUCLEUS_CANDIDATES` beyond the vocabulary, which is the full sort every step; the other looks
among the 64 most likely tokens first. The two must produce the same tokens; the script stops
if they do not. Reported: seconds per repetition (alternated, so drift in machine load hits
both) and the ratio of the medians.

    .venv/bin/python benchmarks/bench_nucleus.py [--reps 3] [--stride 10] [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from reasonscope.backends import sampling
    from reasonscope.backends.decode import Sampling, decode
    from reasonscope.backends.hf import render_prompt
    from reasonscope.engine.task import EvalTask
    from reasonscope.genconfig import GenerationConfig
    from reasonscope.organism.shipped import verify_shipped

    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--stride", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    base = verify_shipped()
    model = AutoModelForCausalLM.from_pretrained(base).eval()
    tok = AutoTokenizer.from_pretrained(base)
    gen = GenerationConfig(temperature=0.6, top_p=0.95, samples=2, max_new_tokens=256, seed=0)
    items = list(EvalTask.create("rs-synth-easy-v2", difficulties=(1, 2),
                                 generation=gen).items())[:: args.stride]
    prompts = [tok(render_prompt(tok, it.prompt, gen), add_special_tokens=False)["input_ids"]
               for it in items]
    seeds = list(range(2 * len(prompts)))
    spec = Sampling(gen.max_new_tokens, gen.temperature, 0, gen.top_p)

    seconds: dict[str, list[float]] = {"full sort": [], "top candidates": []}
    tokens: dict[str, list[list[int]]] = {}
    fast = sampling.NUCLEUS_CANDIDATES
    for _ in range(args.reps):
        for name, candidates in (("full sort", 10**9), ("top candidates", fast)):
            sampling.NUCLEUS_CANDIDATES = candidates
            t0 = time.perf_counter()
            outs = decode(model, prompts, [2] * len(prompts), seeds, spec,
                          eos_ids=[tok.eos_token_id], pad_id=tok.pad_token_id)
            seconds[name].append(time.perf_counter() - t0)
            tokens[name] = [o.tokens for o in outs]
    sampling.NUCLEUS_CANDIDATES = fast
    if tokens["full sort"] != tokens["top candidates"]:
        raise SystemExit("the two samplers produced different tokens")
    n_tok = sum(len(t) for t in tokens["full sort"])
    print(f"{len(prompts)} prompts x 2 samples, {n_tok} tokens, {args.threads} threads")
    for name, s in seconds.items():
        print(f"  {name}: median {statistics.median(s):.2f} s ({', '.join(f'{x:.2f}' for x in s)})")
    ratio = statistics.median(seconds["full sort"]) / statistics.median(seconds["top candidates"])
    print(f"  speed-up (full sort / top candidates): {ratio:.2f}x")


if __name__ == "__main__":
    main()
