"""The reserved KV cache vs transformers' DynamicCache, in the hf backend's decode loop.

Both runs decode the same prompts of the demo's probe (`rs-synth-easy-v2`, difficulties 1-2,
every `--stride`-th item, longest first, 128 prompts per batch as in the probe's batches of 256
sequences) from the shipped organism base with the probe's sampling (temperature 0.6, top-p
0.95, 2 samples, 256 new tokens). The baseline is DynamicCache, which appends every step with
`torch.cat`; the other writes into storage reserved at prefill. The two must produce the same
tokens; the script stops if they do not. Reported: seconds per repetition (alternated, so drift
in machine load hits both) and the ratio of the medians.

    .venv/bin/python benchmarks/bench_kvcache.py [--reps 3] [--stride 4] [--threads 2]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def main() -> None:
    from probe_decode import compare, load
    from transformers import DynamicCache

    from reasonscope.backends import kvcache

    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--stride", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    bench = load(args.stride, args.threads, longest_first=True)
    reserved = kvcache.reserved_cache

    def dynamic(config: Any, capacity: int) -> DynamicCache:
        return DynamicCache(config=config)

    def use(factory: Any) -> Callable[[], None]:
        return lambda: setattr(kvcache, "reserved_cache", factory)

    compare(bench, [("DynamicCache", use(dynamic)), ("reserved", use(reserved))], args.reps,
            args.threads, per_batch=128)


if __name__ == "__main__":
    main()
