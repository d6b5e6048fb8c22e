"""Pretraining throughput of the organism's own loop vs transformers' Trainer, same model.

Both train a freshly built organism (the shipped recipe's shape) on the same encoded corpus,
the same number of documents per step and the same loss masking (the trained text at weight 1,
the prompt at the recipe's context weight for the loop; the Trainer gets labels of -100 on the
prompt, its nearest equivalent), for `--steps` optimizer steps after `--warmup` untimed ones.
The Trainer groups documents by length (`train_sampling_strategy="group_by_length"`), its
fairest setting here. Reported: trained tokens per second of each and the ratio.

    .venv/bin/python benchmarks/bench_organism.py [--steps 60] [--threads 2] [--items 40]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def _setup(items_per_cell: int) -> tuple[Any, Any, list[Any], Any]:
    from reasonscope.organism.recipe import PretrainRecipe, _setup

    recipe = PretrainRecipe(per_cell=items_per_cell)
    tokenizer, model, _, encoded, _, settings = _setup(recipe)
    return tokenizer, model, encoded, settings


def loop_tokens_per_s(steps: int, warmup: int, items: int) -> tuple[float, float]:
    """(tokens/s, mean documents per step) of the organism's loop."""
    from dataclasses import replace

    from reasonscope.organism.pretrain import batch_plan, train

    tokenizer, model, encoded, settings = _setup(items)
    plan = batch_plan([len(e.ids) for e in encoded], settings.batch_tokens, warmup + steps,
                      settings.seed)
    timed = plan[warmup:]
    tokens = sum(len(encoded[i].ids) for b in timed for i in b)
    stamps: list[float] = []
    with tempfile.TemporaryDirectory() as work:
        s = replace(settings, steps=warmup + steps, checkpoint_every=10**9)
        train(model, encoded, s, Path(work), pad_id=tokenizer.pad_token_id,
              on_step=lambda step, _: stamps.append(time.perf_counter()))
    seconds = stamps[-1] - stamps[warmup - 1]
    return tokens / seconds, statistics.mean(len(b) for b in timed)


def trainer_tokens_per_s(steps: int, warmup: int, items: int, docs_per_step: int) -> float:
    import torch
    from transformers import Trainer, TrainerCallback, TrainingArguments

    tokenizer, model, encoded, settings = _setup(items)
    rows = [{"input_ids": list(e.ids), "labels": [-100] * e.n_context + list(e.ids[e.n_context:])}
            for e in encoded]

    def collate(batch: list[dict[str, list[int]]]) -> dict[str, Any]:
        width = max(len(r["input_ids"]) for r in batch)
        ids = torch.full((len(batch), width), tokenizer.pad_token_id)
        labels = torch.full((len(batch), width), -100)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for k, r in enumerate(batch):
            n = len(r["input_ids"])
            ids[k, :n] = torch.tensor(r["input_ids"])
            labels[k, :n] = torch.tensor(r["labels"])
            mask[k, :n] = 1
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}

    class Stamps(TrainerCallback):
        def __init__(self) -> None:
            self.at: list[float] = []

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.at.append(time.perf_counter())

    stamps = Stamps()
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(
            output_dir=out, per_device_train_batch_size=docs_per_step, max_steps=warmup + steps,
            learning_rate=settings.lr, weight_decay=settings.weight_decay, adam_beta2=0.95,
            warmup_steps=settings.warmup, lr_scheduler_type="cosine", max_grad_norm=1.0,
            train_sampling_strategy="group_by_length", logging_strategy="no",
            save_strategy="no", report_to=[],
            use_cpu=True, dataloader_num_workers=0, disable_tqdm=True, seed=settings.seed)
        trainer = Trainer(model=model, args=args, train_dataset=rows, data_collator=collate,
                          callbacks=[stamps])
        trainer.train()
    seconds = stamps.at[-1] - stamps.at[warmup - 1]
    mean_len = statistics.mean(len(r["input_ids"]) for r in rows)
    return steps * docs_per_step * mean_len / seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--items", type=int, default=40, help="corpus items per cell")
    a = ap.parse_args()
    import torch

    torch.set_num_threads(a.threads)
    loop, docs = loop_tokens_per_s(a.steps, a.warmup, a.items)
    trainer = trainer_tokens_per_s(a.steps, a.warmup, a.items, round(docs))
    print(f"organism loop: {loop:,.0f} trained tokens/s ({docs:.1f} documents per step)")
    print(f"transformers Trainer (group_by_length sampler): {trainer:,.0f} tokens/s")
    print(f"ratio loop / Trainer: {loop / trainer:.2f}x")


if __name__ == "__main__":
    main()
