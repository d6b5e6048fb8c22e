"""The study in miniature: a tiny Qwen3 pretrained on all 20 cells, fine-tuned on math only by
SFT (short and long chain of thought) and by GRPO from the same base, probed along training,
compared and reported.

Every stage writes into one output directory and is skipped when its result is already there,
so an interrupted demo picks up where it stopped. The numbers it reports are measurements of
this tiny model, whatever they turn out to be; the point is that the whole pipeline (generators,
training through TRL, probing by weight fingerprint, paired statistics, report) runs end to end.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from reasonscope.bench.suites import DEFAULT_SUITE
from reasonscope.engine.task import EvalTask
from reasonscope.genconfig import GenerationConfig
from reasonscope.items import Item
from reasonscope.taxonomy import DOMAINS


@dataclass(frozen=True)
class DemoConfig:
    """Sizes chosen so the whole demo runs in minutes on 2 CPU cores."""

    hidden_size: int = 128
    num_layers: int = 4
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 384
    vocab_size: int = 1024
    pretrain_per_cell: int = 120
    pretrain_difficulties: tuple[int, ...] = (1, 2)
    pretrain_steps: int = 300
    pretrain_lr: float = 2e-3
    finetune_per_cell: int = 80
    finetune_difficulties: tuple[int, ...] = (1, 2)
    sft_steps: int = 60
    sft_lr: float = 5e-4
    grpo_steps: int = 12
    grpo_lr: float = 2e-5
    grpo_generations: int = 8
    grpo_prompts_per_step: int = 2
    grpo_max_completion: int = 64
    save_every: int = 20
    grpo_save_every: int = 4
    probe_per_cell: int = 8
    probe_difficulties: tuple[int, ...] = (1,)
    probe_samples: int = 2
    probe_max_new_tokens: int = 256
    batch_size: int = 16
    seed: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def quick(cls) -> DemoConfig:
        """A smoke-sized run (tests): every stage, a fraction of the steps."""
        return cls(hidden_size=64, num_layers=2, intermediate_size=128, vocab_size=512,
                   pretrain_per_cell=20, pretrain_steps=30, finetune_per_cell=10, sft_steps=6,
                   grpo_steps=3, grpo_generations=4, save_every=2, grpo_save_every=1,
                   probe_per_cell=2, probe_samples=1, probe_max_new_tokens=32, batch_size=8)


Stage = Callable[[], None]
PROBE_SUITE = DEFAULT_SUITE


def _done(marker: Path) -> bool:
    return marker.exists()


def _mark(marker: Path, info: dict[str, Any]) -> None:
    marker.write_text(json.dumps(info, indent=2, sort_keys=True, default=str) + "\n")


def pretraining_rows(items: Sequence[Item]) -> list[dict[str, str]]:
    """Prompt/completion rows for the base model: the worked solution where the generator
    wrote one, else the bare boxed answer (facts and most non-math cells)."""
    from reasonscope.train.data import user_prompt
    from reasonscope.train.traces import TraceError, short_trace

    rows = []
    for item in items:
        try:
            completion = short_trace(item)
        except TraceError:
            completion = f"The answer is \\boxed{{{item.answer}}}."
        rows.append({"prompt": user_prompt(item.prompt), "completion": completion,
                     "answer": item.answer, "answer_type": item.answer_type.value})
    return rows


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    from reasonscope.fsutil import atomic_write_text

    return atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n"
                                           for r in rows))


def probe_task(cfg: DemoConfig) -> EvalTask:
    """The probe: the first `probe_per_cell` items per cell at the probe difficulties."""
    gen = GenerationConfig(temperature=0.6, top_p=0.95, samples=cfg.probe_samples,
                           max_new_tokens=cfg.probe_max_new_tokens, seed=cfg.seed)
    return EvalTask.create(PROBE_SUITE, difficulties=cfg.probe_difficulties,
                           per_cell=cfg.probe_per_cell, generation=gen)


def run_demo(out: Path, cfg: DemoConfig | None = None, console: Console | None = None) -> Path:
    """Run (or resume) every stage; returns the path of the HTML report."""
    cfg = cfg or DemoConfig()
    con = console or Console()
    out.mkdir(parents=True, exist_ok=True)
    (out / "demo-config.json").write_text(json.dumps(asdict(cfg), indent=2) + "\n")
    timings: dict[str, float] = {}

    def stage(name: str, fn: Stage) -> None:
        marker = out / f".done-{name}"
        if _done(marker):
            con.print(f"[dim]{name}: done earlier, skipped[/dim]")
            return
        con.rule(f"[bold]{name}")
        t0 = time.perf_counter()
        fn()
        timings[name] = round(time.perf_counter() - t0, 1)
        _mark(marker, {"seconds": timings[name]})

    init_dir, base_train = out / "model-init", out / "train" / "base"
    base_dir = base_train / "final"
    runs = out / "runs"
    task = probe_task(cfg)

    def build() -> None:
        from reasonscope.bench.suites import training_items
        from reasonscope.organism.model import save_pretrained_tiny

        corpus = training_items(domains=DOMAINS, per_cell=cfg.pretrain_per_cell,
                                difficulties=cfg.pretrain_difficulties, seed=cfg.seed + 1)
        rows = pretraining_rows(corpus)
        _write_jsonl(out / "data" / "pretrain.jsonl", rows)
        texts = [r["prompt"] + "\n" + r["completion"] for r in rows]
        save_pretrained_tiny(init_dir, texts, vocab_size=cfg.vocab_size,
                             hidden_size=cfg.hidden_size, num_layers=cfg.num_layers,
                             num_heads=cfg.num_heads, num_kv_heads=cfg.num_kv_heads,
                             intermediate_size=cfg.intermediate_size, seed=cfg.seed)
        con.print(f"{len(rows)} pretraining examples from all 20 cells; model in {init_dir}")

    def pretrain() -> None:
        from reasonscope.train.config import SFTConfig
        from reasonscope.train.sft import run_sft

        sc = SFTConfig(model=str(init_dir), out=str(base_train),
                       data=str(out / "data" / "pretrain.jsonl"), cot="short",
                       max_steps=cfg.pretrain_steps, save_steps=cfg.pretrain_steps,
                       learning_rate=cfg.pretrain_lr, batch_size=cfg.batch_size,
                       warmup_steps=max(1, cfg.pretrain_steps // 20), lr_scheduler="cosine",
                       max_length=512, seed=cfg.seed, device="cpu", save_only_model=True)
        run_sft(sc, console=con)
        from reasonscope.train.modelio import checkpoints

        last = checkpoints(base_train)[-1][1]
        last.rename(base_dir)
        for extra in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
            if (init_dir / extra).exists() and not (base_dir / extra).exists():
                (base_dir / extra).write_bytes((init_dir / extra).read_bytes())

    def finetune(kind: str) -> Stage:
        def run() -> None:
            from reasonscope.train.config import GRPOConfig, SFTConfig
            from reasonscope.train.grpo import run_grpo
            from reasonscope.train.sft import run_sft

            common: dict[str, Any] = dict(
                model=str(base_dir), out=str(out / "train" / kind), seed=cfg.seed,
                data_per_cell=cfg.finetune_per_cell, data_seed=cfg.seed + 2,
                data_difficulties=cfg.finetune_difficulties, device="cpu")
            if kind == "grpo":
                g = cfg.grpo_generations
                run_grpo(GRPOConfig(**common, max_steps=cfg.grpo_steps,
                                    save_steps=cfg.grpo_save_every, learning_rate=cfg.grpo_lr,
                                    num_generations=g, batch_size=g * cfg.grpo_prompts_per_step,
                                    max_completion_length=cfg.grpo_max_completion),
                         console=con)
            else:
                cot = "short" if kind == "sft-short" else "long"
                run_sft(SFTConfig(**common, cot=cot, max_steps=cfg.sft_steps,
                                  save_steps=cfg.save_every, learning_rate=cfg.sft_lr,
                                  batch_size=cfg.batch_size, max_length=768), console=con)
        return run

    def probe_base() -> None:
        from reasonscope.engine.runner import run_items

        run_items(base_dir, task.items(), task.generation, runs / "base",
                  suite_name=task.suite_name, suite_hash=task.suite_hash,
                  suite_path=task.suite_path, step=0, device="cpu")

    def probe(kind: str) -> Stage:
        def run() -> None:
            from reasonscope.train.probe import ProbeSpec, probe_training_dir

            spec = ProbeSpec(task, device="cpu")
            for o in probe_training_dir(out / "train" / kind, spec, runs / kind,
                                        include_base=False):
                con.print(f"{kind} step {o.step}: accuracy {o.accuracy}")
        return run

    def report() -> None:
        from reasonscope.report.export import comparison_to_dict
        from reasonscope.report.html import write_report
        from reasonscope.results.comparison import compare

        run_dirs = sorted(p for kind in ("sft-short", "sft-long", "grpo")
                          for p in (runs / kind).glob("step-*"))
        comp = compare(run_dirs, runs / "base", seed=cfg.seed)
        write_report(comp, out / "report.html")
        (out / "compare.json").write_text(json.dumps(comparison_to_dict(comp), indent=2) + "\n")

    stage("build", build)
    stage("pretrain", pretrain)
    for kind in ("sft-short", "sft-long", "grpo"):
        stage(f"train-{kind}", finetune(kind))
    stage("probe-base", probe_base)
    for kind in ("sft-short", "sft-long", "grpo"):
        stage(f"probe-{kind}", probe(kind))
    stage("report", report)
    if timings:
        _mark(out / "timings.json", timings)
    return out / "report.html"
