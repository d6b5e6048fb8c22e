"""Throughput of the scorer against calling math-verify directly, and the sandbox's cost.

(a) math answers: the same (gold, boxed prediction) pairs scored by `score_many` (answer type
    `expression`: the exact readers first, math-verify workers for the rest) and by math-verify
    `parse` + `verify` called directly, in 1 process and in 2 worker processes (the machine's
    2 cores). Pairs: every MATH-500 gold against itself, against the final box of its worked
    solution, and against 2 other items' golds (mismatched). Start-up is excluded on both sides
    (workers warmed first). The ratio that counts is scorer / direct-on-2-processes.
(b) exact paths: answers that never reach math-verify (integer, number, rational, choice,
    line, string, list, set, python items of the built-in suite, right and wrong answers), one
    thread, answers per second.
(c) with `--sandbox`: seconds per code item (HumanEval and MBPP reference solutions), under
    bubblewrap and under the fallback layers (`REASONSCOPE_SANDBOX_BWRAP=off`), 2 threads.

Not run by pytest. Usage:

    .venv/bin/python benchmarks/bench_scoring.py [--reps 3] [--pairs-per-item 2] [--sandbox]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
SHARED = Path(os.environ.get("REASONSCOPE_SHARED", REPO.parent / "shared"))

from reasonscope.items import Item  # noqa: E402
from reasonscope.taxonomy import AnswerType, Behavior, Domain  # noqa: E402


def _item(answer: str, answer_type: str, prompt: str = "Q?") -> Item:
    return Item.create(behavior=Behavior.CALCULATION, domain=Domain.MATH, difficulty=1,
                       prompt=prompt, answer=answer, answer_type=AnswerType(answer_type),
                       source="bench@1+0")


def _boxed(text: str) -> str:
    return f"The answer is $\\boxed{{{text}}}$."


def math_pairs(mismatched_per_item: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """(kind, gold, box content) over MATH-500."""
    from reasonscope.scoring import extract_boxed

    rows = [json.loads(line) for line in (SHARED / "pools" / "math500.jsonl").open()]
    rng = random.Random(seed)
    pairs = []
    for r in rows:
        pairs.append(("self", r["answer"], r["answer"]))
        pairs.append(("solution", r["answer"], extract_boxed(r["meta"]["solution"]) or ""))
        for _ in range(mismatched_per_item):
            other = rng.choice(rows)["answer"]
            if other != r["answer"]:
                pairs.append(("mismatched", r["answer"], other))
    return pairs


# --- math-verify called directly ----------------------------------------------------------

def _direct_init() -> None:
    from math_verify import parse, verify

    verify(parse("$1$"), parse("\\boxed{1}"))  # imports and caches, outside the timing


def _direct_chunk(chunk: list[tuple[str, str]]) -> list[bool]:
    from math_verify import parse, verify

    return [bool(verify(parse(f"${g}$"), parse(f"\\boxed{{{p}}}"))) for g, p in chunk]


def direct(pairs: list[tuple[str, str]], processes: int) -> tuple[float, list[bool]]:
    """math-verify `parse` + `verify` on every pair (its own timeouts on, as by default)."""
    if processes == 1:
        _direct_init()
        t0 = time.perf_counter()
        out = _direct_chunk(pairs)
        return time.perf_counter() - t0, out
    # Contiguous chunks keep math-verify's own parse caches as warm as in one process.
    size = -(-len(pairs) // (processes * 4))
    chunks = [pairs[k:k + size] for k in range(0, len(pairs), size)]
    with ProcessPoolExecutor(processes, initializer=_direct_init) as ex:
        list(ex.map(_direct_init_ping, range(processes)))  # all workers started and warm
        t0 = time.perf_counter()
        results = list(ex.map(_direct_chunk, chunks))
        elapsed = time.perf_counter() - t0
    return elapsed, [v for res in results for v in res]


def _direct_init_ping(_: int) -> int:
    time.sleep(0.2)
    return os.getpid()


# --- the scorer ------------------------------------------------------------------------------

def scorer(pairs: list[tuple[str, str]], fresh_workers: bool) -> tuple[float, list[bool]]:
    """`score_many` on expression items; `fresh_workers`: empty parse caches, as direct has."""
    from reasonscope.scoring import score_many
    from reasonscope.scoring.mathverify_pool import configure_pool, get_pool

    if fresh_workers:
        configure_pool()  # stops the workers; the next ones start with empty caches
    pool = get_pool()
    with ThreadPoolExecutor(pool.size) as ex:  # start every worker before timing
        list(ex.map(lambda _: pool.check("x^2", "x^2"), range(pool.size * 2)))
    work = [(_item(g, "expression"), _boxed(p)) for g, p in pairs]
    t0 = time.perf_counter()
    results = score_many(work)
    return time.perf_counter() - t0, [r.correct for r in results]


def exact_path(reps: int) -> tuple[int, float]:
    from reasonscope.bench.suites import load_suite
    from reasonscope.scoring import compare as compare_mod
    from reasonscope.scoring import score

    items = [i for i in load_suite("rs-synth-v1").items
             if i.answer_type.value not in ("code_tests", "expression")]
    rng = random.Random(1)
    work = []
    for i in items:
        work.append((i, _boxed(i.answer)))
        other = rng.choice([j for j in items[:200] if j.answer_type is i.answer_type] or [i])
        work.append((i, _boxed(other.answer)))

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("an exact-path answer reached math-verify")

    compare_mod.verify_equal = refuse  # type: ignore[assignment]  # prove none needs a worker
    t0 = time.perf_counter()
    for _ in range(reps):
        for item, completion in work:
            score(item, completion)
    return len(work) * reps, time.perf_counter() - t0


# --- the sandbox -----------------------------------------------------------------------------

def sandbox_seconds_per_item(limit_mbpp: int) -> dict[str, Any]:
    """Per-item wall time under each isolation, in fresh processes (isolation is probed once per
    process)."""
    out = {}
    for mode in ("auto", "off"):
        env = {**os.environ, "REASONSCOPE_SANDBOX_BWRAP": mode}
        proc = subprocess.run([sys.executable, __file__, "--sandbox-child", str(limit_mbpp)],
                              capture_output=True, text=True, env=env, check=True)
        out["bwrap" if mode == "auto" else "fallback"] = json.loads(proc.stdout.splitlines()[-1])
    return out


def _sandbox_child(limit_mbpp: int) -> None:
    from reasonscope.scoring import run_code_tests
    from reasonscope.scoring.isolation import isolation

    hum = [json.loads(line) for line in (SHARED / "pools" / "humaneval.jsonl").open()]
    mbpp = [json.loads(line) for line in (SHARED / "pools" / "mbpp.jsonl").open()][:limit_mbpp]
    jobs = [(r["question"] + r["answer"], r["meta"]["test"], r["meta"]["entry_point"])
            for r in hum]
    jobs += [(r["answer"], "\n".join([r["meta"]["test_setup_code"], *r["meta"]["test_list"]]),
              None) for r in mbpp]
    run_code_tests("def f():\n    return 1\n", "assert f() == 1\n")  # probe outside timing
    single = []
    for program, tests, entry in jobs[:40]:
        t0 = time.perf_counter()
        run_code_tests(program, tests, entry)
        single.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(2) as ex:
        results = list(ex.map(lambda j: run_code_tests(*j), jobs))
    elapsed = time.perf_counter() - t0
    modes: dict[str, int] = {}
    for r in results:
        modes[r.mode] = modes.get(r.mode, 0) + 1
    print(json.dumps({"isolation": isolation().kind, "items": len(jobs),
                      "passed": sum(r.passed for r in results), "modes": modes,
                      "median_s_one_at_a_time": statistics.median(single),
                      "s_per_item_2_threads": elapsed / len(jobs)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs-per-item", type=int, default=2, help="mismatched pairs per gold")
    ap.add_argument("--reps", type=int, default=3, help="interleaved repetitions of (a)")
    ap.add_argument("--kinds", default="self,solution,mismatched",
                    help="which pairs of (a): self, solution, mismatched (comma-separated)")
    ap.add_argument("--exact-reps", type=int, default=3)
    ap.add_argument("--sandbox", action="store_true", help="also time the code sandbox")
    ap.add_argument("--mbpp", type=int, default=200, help="MBPP items in the sandbox timing")
    ap.add_argument("--sandbox-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.sandbox_child is not None:
        _sandbox_child(args.sandbox_child)
        return
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()}")
    pairs = [p for p in math_pairs(args.pairs_per_item) if p[0] in args.kinds.split(",")]
    plain = [(g, p) for _, g, p in pairs]
    kinds = [k for k, _, _ in pairs]
    times: dict[str, list[float]] = {"one": [], "two": [], "ours": []}
    for rep in range(args.reps):  # interleaved, so a load spike hits every contender
        t, _ = direct(plain, processes=1)
        times["one"].append(t)
        t, direct_two = direct(plain, processes=2)
        times["two"].append(t)
        t, ours = scorer(plain, fresh_workers=True)
        times["ours"].append(t)
        print(f"  rep {rep + 1}: direct 1 proc {times['one'][-1]:.2f} s, direct 2 procs "
              f"{times['two'][-1]:.2f} s, scorer {times['ours'][-1]:.2f} s, "
              f"load {os.getloadavg()[0]:.1f}")
    t_one, t_two, t_ours = (statistics.median(times[k]) for k in ("one", "two", "ours"))
    n = len(plain)
    mix = ", ".join(f"{kinds.count(k)} {k}" for k in sorted(set(kinds)))
    print(f"\n(a) {n} MATH-500 pairs ({mix}), median of {args.reps}")
    print(f"    math-verify direct, 1 process:  {n / t_one:8.1f} pairs/s  ({t_one:.2f} s)")
    print(f"    math-verify direct, 2 processes: {n / t_two:8.1f} pairs/s  ({t_two:.2f} s)")
    print(f"    reasonscope score_many:          {n / t_ours:8.1f} pairs/s  ({t_ours:.2f} s)")
    print(f"    ratio scorer / direct on 2 processes: {t_two / t_ours:.2f}x (target >= 1.5x); "
          f"/ 1 process: {t_one / t_ours:.2f}x")
    for kind in sorted(set(kinds)):
        agree = sum(1 for k, a, b in zip(kinds, ours, direct_two, strict=True)
                    if k == kind and a == b)
        accepted = sum(1 for k, a in zip(kinds, ours, strict=True) if k == kind and a)
        accepted_mv = sum(1 for k, a in zip(kinds, direct_two, strict=True) if k == kind and a)
        print(f"    {kind:10}: scorer accepts {accepted}, math-verify accepts {accepted_mv}, "
              f"same verdict on {agree}/{kinds.count(kind)}")
    count, t_exact = exact_path(args.exact_reps)
    print(f"\n(b) exact paths: {count} answers in {t_exact:.2f} s = {count / t_exact:,.0f} "
          "answers/s (target >= 10,000), none sent to math-verify")
    if args.sandbox:
        print("\n(c) sandbox, seconds per code item:")
        for name, res in sandbox_seconds_per_item(args.mbpp).items():
            print(f"    {name:8}: {json.dumps(res)}")


if __name__ == "__main__":
    main()
