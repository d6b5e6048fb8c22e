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
from collections.abc import Callable


def main() -> None:
    from probe_decode import compare, load

    from reasonscope.backends import sampling

    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--stride", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    bench = load(args.stride, args.threads)

    fast = sampling.NUCLEUS_CANDIDATES

    def candidates(n: int) -> Callable[[], None]:
        return lambda: setattr(sampling, "NUCLEUS_CANDIDATES", n)

    compare(bench, [("full sort", candidates(10**9)), ("top candidates", candidates(fast))],
            args.reps, args.threads)


if __name__ == "__main__":
    main()
