"""Throughput of reasonscope's hf backend against lm-evaluation-harness and a bare
`model.generate` loop, on the same ~3.4M-parameter Qwen3, items and settings.

(a) end to end, start-up included: `reasonscope eval` vs `lm_eval --model hf` (generate_until on
    the same items exported as a local JSONL task), both as fresh processes, same prompts
    (chat template), same sampling settings and token budget, same torch thread count;
(b) generation alone, in one process: reasonscope's HFBackend (per-sample seeds, custom loop)
    vs `model.generate` over the same length-sorted batches with num_return_sequences.

lm-eval lives in its own venv (it downgrades a dependency of this project); `--make-lmeval-venv`
creates it. Not run by pytest. Usage:

    .venv/bin/python benchmarks/bench_engine.py --make-lmeval-venv
    .venv/bin/python benchmarks/bench_engine.py --lm-eval /tmp/lmeval-venv/bin/lm_eval
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from reasonscope.genconfig import GenerationConfig, build_user_prompt  # noqa: E402
from reasonscope.items import Item, write_items  # noqa: E402

LMEVAL_VENV = Path("/tmp/lmeval-venv")
MODEL_SHAPE = dict(hidden_size=256, num_layers=4, num_heads=4, num_kv_heads=2,
                   intermediate_size=768)


def bench_items(n: int) -> list[Item]:
    """The mini suite (200 items, all 20 cells): the packaged file, else generated from its
    spec (identical content when generators are unchanged)."""
    from reasonscope.bench.suites import BUILTIN_SUITES, generate_suite, load_suite

    try:
        items = list(load_suite("rs-synth-mini-v1").items)
    except FileNotFoundError:
        items = generate_suite(BUILTIN_SUITES["rs-synth-mini-v1"])
    from reasonscope.engine.task import Selection

    return Selection(limit=n).apply(items)


def build_model(work: Path, items: list[Item]) -> Path:
    from reasonscope.organism import save_pretrained_tiny

    corpus = [i.prompt for i in items] + [f"The answer is \\boxed{{{i.answer}}}." for i in items]
    return save_pretrained_tiny(work / "model", corpus, **MODEL_SHAPE)  # type: ignore[arg-type]


def lmeval_task(work: Path, items: list[Item], cfg: GenerationConfig) -> Path:
    task_dir = work / "lmeval_task"
    task_dir.mkdir(parents=True, exist_ok=True)
    data = task_dir / "data.jsonl"
    with data.open("w") as fh:
        for item in items:
            fh.write(json.dumps({"prompt": build_user_prompt(item.prompt, cfg),
                                 "answer": item.answer}) + "\n")
    (task_dir / "rs_bench.yaml").write_text(f"""task: rs_bench
dataset_path: json
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: generate_until
doc_to_text: "{{{{prompt}}}}"
doc_to_target: "{{{{answer}}}}"
repeats: {cfg.samples}
generation_kwargs:
  until: ["<|im_end|>"]
  do_sample: true
  temperature: {cfg.temperature}
  top_p: {cfg.top_p}
  max_gen_toks: {cfg.max_new_tokens}
metric_list:
  - metric: exact_match
""")
    return task_dir


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n"
                           f"{proc.stderr[-3000:]}")
    return elapsed


def end_to_end(args: argparse.Namespace, work: Path, model: Path, suite: Path, task: Path,
               cfg: GenerationConfig, env: dict[str, str]) -> dict[str, Any]:
    rs_cmd = [str(Path(sys.executable).with_name("reasonscope")), "eval", "--model", str(model),
              "--suite", str(suite), "--samples", str(cfg.samples), "--max-new-tokens",
              str(cfg.max_new_tokens), "--batch-size", str(args.batch_size), "--quiet",
              "--out"]
    lm_cmd = [args.lm_eval, "--model", "hf", "--model_args",
              f"pretrained={model},dtype=float32", "--device", "cpu", "--tasks", "rs_bench",
              "--include_path", str(task), "--batch_size", str(args.batch_size),
              "--apply_chat_template", "--seed", "0", "--output_path", str(work / "lm_out")]
    rs_times, lm_times = [], []
    for rep in range(args.reps):
        out = work / f"rs_run_{rep}"
        shutil.rmtree(out, ignore_errors=True)
        rs_times.append(timed([*rs_cmd, str(out)], env))
        if args.lm_eval:
            lm_times.append(timed(lm_cmd, env))
    result: dict[str, Any] = {"reasonscope_s": rs_times, "reasonscope_cmd": " ".join(
        [*rs_cmd, str(work / "rs_run_0")])}
    if lm_times:
        result.update(lm_eval_s=lm_times, lm_eval_cmd=" ".join(lm_cmd),
                      speedup=statistics.median(lm_times) / statistics.median(rs_times))
    return result


def generation_only(args: argparse.Namespace, model_dir: Path, items: list[Item],
                    cfg: GenerationConfig) -> dict[str, Any]:
    import torch

    from reasonscope.backends.base import GenRequest, sample_seed
    from reasonscope.backends.hf import HFBackend

    be = HFBackend(model_dir, batch_size=args.batch_size, device="cpu", dtype="float32")
    requests = [GenRequest(i.id, build_user_prompt(i.prompt, cfg), tuple(range(cfg.samples)),
                           tuple(sample_seed(cfg.seed, i.id, s) for s in range(cfg.samples)))
                for i in items]
    units = be.plan(requests, cfg)
    model, tok = be.load(), be.tokenizer

    def run_backend() -> tuple[int, float]:
        start = time.perf_counter()
        n = sum(r.completion_tokens or 0 for _, res in be.generate(units, cfg) for r in res)
        return n, time.perf_counter() - start

    eos = model.generation_config.eos_token_id

    def run_bare() -> tuple[int, float]:
        torch.manual_seed(cfg.seed)
        start = time.perf_counter()
        n = 0
        for unit in units:  # same length-sorted batches
            texts = [be.render(r.prompt, cfg) for r in unit]
            enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)
            with torch.inference_mode():
                out = model.generate(**enc, do_sample=True, temperature=cfg.temperature,
                                     top_p=cfg.top_p, top_k=0,
                                     max_new_tokens=cfg.max_new_tokens,
                                     num_return_sequences=cfg.samples,
                                     pad_token_id=tok.pad_token_id, eos_token_id=eos)
            gen = out[:, enc["input_ids"].shape[1]:]
            for row in gen.tolist():  # tokens up to and including the first EOS
                eos_pos = [k for k, t in enumerate(row) if t in eos]
                n += eos_pos[0] + 1 if eos_pos else len(row)
            tok.batch_decode(gen, skip_special_tokens=True)
        return n, time.perf_counter() - start

    run_backend()  # warm-up (first-call allocations, lazy imports)
    run_bare()
    rs, bare = [], []
    for _ in range(args.reps):
        rs.append(run_backend())
        bare.append(run_bare())
    rs_tps = statistics.median(n / t for n, t in rs)
    bare_tps = statistics.median(n / t for n, t in bare)
    return {"reasonscope_tok_s": rs_tps, "bare_generate_tok_s": bare_tps,
            "ratio": rs_tps / bare_tps, "reasonscope_runs": rs, "bare_runs": bare}


def make_lmeval_venv() -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(LMEVAL_VENV)], check=True)
    subprocess.run([str(LMEVAL_VENV / "bin" / "pip"), "install", "torch==2.13.0",
                    "lm-eval[hf]==0.4.13"], check=True)
    return LMEVAL_VENV / "bin" / "lm_eval"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/rs-bench"))
    ap.add_argument("--items", type=int, default=200)
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--batch-size", type=int, default=64, help="sequences per batch (both)")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (both)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--lm-eval", default=None, help="path of the lm_eval executable")
    ap.add_argument("--make-lmeval-venv", action="store_true",
                    help=f"create {LMEVAL_VENV} with lm-eval[hf]==0.4.13 and use it")
    ap.add_argument("--skip", choices=("e2e", "gen"), action="append", default=[])
    args = ap.parse_args()
    if args.make_lmeval_venv:
        args.lm_eval = str(make_lmeval_venv())
    env = dict(os.environ)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
        env["OMP_NUM_THREADS"] = str(args.threads)
    env.setdefault("HF_DATASETS_OFFLINE", "1")
    env.setdefault("HF_HUB_OFFLINE", "1")
    cfg = GenerationConfig(samples=args.samples, max_new_tokens=args.max_new_tokens)
    args.work.mkdir(parents=True, exist_ok=True)
    items = bench_items(args.items)
    model = build_model(args.work, items)
    suite = write_items(items, args.work / "items.jsonl")
    task = lmeval_task(args.work, items, cfg)
    from transformers import AutoModelForCausalLM

    params = AutoModelForCausalLM.from_pretrained(model).num_parameters()
    report: dict[str, Any] = {
        "items": len(items), "samples": cfg.samples, "max_new_tokens": cfg.max_new_tokens,
        "batch_size": args.batch_size, "params": params, "threads": args.threads,
        "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()}
    if "gen" not in args.skip:
        report["generation"] = generation_only(args, model, items, cfg)
    if "e2e" not in args.skip:
        report["end_to_end"] = end_to_end(args, args.work, model, suite, task, cfg, env)
    report["loadavg_end"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
