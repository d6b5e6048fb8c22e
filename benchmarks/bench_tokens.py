"""`analyze tokens` against two bare forward passes over the same texts.

Two Qwen3 models of the engine benchmark's shape (3.4M parameters: hidden 256, 4 layers, byte-
level BPE with 1,024 tokens; the tuned one is the base plus Gaussian noise), the prompts of
`rs-synth-mini-v1` rendered with the chat template, each followed by a synthetic worked
completion. Both sides use the same loaded models, the same length-sorted right-padded batches
and `torch.inference_mode()`:

- bare: `base(ids).logits` and `tuned(ids).logits` for every batch (full logits, nothing else);
- analyze tokens: backbones, output heads on the completion positions in fp32 chunks, every
  per-position metric (KL both ways, JS, top-1, Δ log-prob, ranks) and the per-text, per-cell
  aggregation (`score_texts` + `build_report`).

Throughput = tokens of the texts (prompt + completion) per second; target >= 0.8x. Repetitions
alternate the two sides; medians are reported. Not run by pytest. Usage:

    .venv/bin/python benchmarks/bench_tokens.py
    .venv/bin/python benchmarks/bench_tokens.py --texts 400 --reps 5 --threads 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

MODEL_SHAPE = dict(hidden_size=256, num_layers=4, num_heads=4, num_kv_heads=2,
                   intermediate_size=768)
STEPS = ("Let me work through this carefully. First, I restate what is asked and list the "
         "given quantities. Next I compute each intermediate value and check it against the "
         "constraints before moving on. Wait, let me verify the previous step once more. ")


def build(work: Path, n_texts: int) -> tuple[Path, Path, list]:  # type: ignore[type-arg]
    import torch
    from transformers import AutoModelForCausalLM

    from reasonscope.analysis.texts import TextSample
    from reasonscope.backends.hf import render_prompt
    from reasonscope.bench.suites import load_suite
    from reasonscope.genconfig import GenerationConfig, build_user_prompt
    from reasonscope.organism import save_pretrained_tiny

    items = list(load_suite("rs-synth-mini-v1").items)
    items = (items * (n_texts // len(items) + 1))[:n_texts]
    corpus = [i.prompt for i in items] + [STEPS, *(f"\\boxed{{{i.answer}}}" for i in items)]
    base = save_pretrained_tiny(work / "base", corpus, **MODEL_SHAPE)  # type: ignore[arg-type]
    tuned_dir = work / "tuned"
    model = AutoModelForCausalLM.from_pretrained(base)
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.02 * torch.randn(p.shape, generator=gen))
    model.save_pretrained(tuned_dir)
    for f in base.iterdir():
        if f.is_file() and not (tuned_dir / f.name).exists():
            (tuned_dir / f.name).write_bytes(f.read_bytes())
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(base)
    config = GenerationConfig()
    texts = [TextSample(i, render_prompt(tok, build_user_prompt(it.prompt, config), config),
                        STEPS * (1 + i % 3) + f"So the answer is \\boxed{{{it.answer}}}.",
                        it.id, it.behavior.value, it.domain.value)
             for i, it in enumerate(items)]
    return base, tuned_dir, texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", type=int, default=120)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    from reasonscope.analysis import models as lm
    from reasonscope.analysis.tokens import TokenOptions, build_report, score_texts

    with tempfile.TemporaryDirectory(prefix="rs-bench-tokens-") as tmp:
        base, tuned, texts = build(Path(tmp), args.texts)
        device = torch.device("cpu")
        tok = lm.load_tokenizer(base)
        mb, mt = lm.load_lm(base, device), lm.load_lm(tuned, device)
        opts = TokenOptions(batch_size=args.batch_size)
        encoded = [lm.encode_pair(tok, s.index, s.prompt, s.completion) for s in texts]
        n_tokens = sum(len(e.ids) for e in encoded)
        n_scored = sum(len(e.ids) - max(e.n_prompt, 1) for e in encoded)
        pad = lm.pad_id(tok)
        batches = list(lm.batches(encoded, opts.batch_size, opts.max_batch_tokens))

        def bare() -> None:
            with torch.inference_mode():
                for batch in batches:
                    ids, mask = lm.pad_batch(batch, pad, device)
                    mb(input_ids=ids, attention_mask=mask).logits  # noqa: B018
                    mt(input_ids=ids, attention_mask=mask).logits  # noqa: B018

        def ours() -> None:
            metrics = score_texts(mb, mt, encoded, opts, pad)
            build_report(str(base), str(tuned), texts, encoded, metrics, opts,
                         lambda i: str(tok.decode([i])))

        bare()
        ours()  # warm-up: allocator, kernels
        times: dict[str, list[float]] = {"bare": [], "ours": []}
        for rep in range(args.reps):
            for name, fn in ((("bare", bare), ("ours", ours)) if rep % 2 == 0
                             else (("ours", ours), ("bare", bare))):
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
        bare_s, our_s = statistics.median(times["bare"]), statistics.median(times["ours"])
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"{len(texts)} texts, {n_tokens} tokens ({n_scored} scored completion tokens), "
              f"batch {args.batch_size}, torch threads {torch.get_num_threads()}, load {load}")
        print(f"two bare forward passes: {bare_s:.2f} s = {n_tokens / bare_s:,.0f} tokens/s "
              f"(runs {[round(t, 2) for t in times['bare']]})")
        print(f"analyze tokens:          {our_s:.2f} s = {n_tokens / our_s:,.0f} tokens/s "
              f"(runs {[round(t, 2) for t in times['ours']]})")
        print(f"throughput ratio: {bare_s / our_s:.2f}x the bare passes (target >= 0.8x)")


if __name__ == "__main__":
    main()
