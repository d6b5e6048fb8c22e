"""`reasonscope organism pretrain`: the recipe that makes the organism's base model.

The recipe is data (a frozen pydantic model): the model's shape, the tokenizer, which generated
items it reads, and the optimisation schedule. `pretrain` turns it into a saved checkpoint and
writes `organism-recipe.json` beside the weights: the recipe, what the corpus held, the loss
curve's ends, the wall time and the weights' SHA-256. The shipped base
(`reasonscope/data/organism/base`) is this function's output for `PretrainRecipe()`, and
`demo --from-scratch` runs it again.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reasonscope.engine.progress import Progress
from reasonscope.fsutil import atomic_write_text

RECIPE_NAME = "organism-recipe.json"
HEAD_STEPS = 8
"""The first losses are recorded exactly: rerunning them checks the recipe reproduces its base."""
WEIGHTS_NAME = "model.safetensors"


class PretrainRecipe(BaseModel):
    """Every setting the base depends on; the defaults are the shipped base's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hidden_size: int = Field(default=128, ge=16)
    num_layers: int = Field(default=4, ge=1)
    num_heads: int = Field(default=4, ge=1)
    num_kv_heads: int = Field(default=2, ge=1)
    intermediate_size: int = Field(default=384, ge=16)
    vocab_size: int = Field(default=1024, ge=300)
    split_digits: bool = True
    per_cell: int = Field(default=2400, ge=1, description="generated training items per cell")
    difficulties: tuple[int, ...] = (1, 2)
    math_share: float = Field(default=0.25, gt=0, le=1, description=(
        "math cells get this fraction of per_cell: the base meets the fine-tuning domain "
        "less often than the others, so fine-tuning on it has something to add"))
    math_format: Literal["chat", "text"] = Field(default="text", description=(
        "how the math items are written: 'chat' as the probe renders them, 'text' as plain "
        "problem and solution with no chat template and no boxed answer (a skill the base "
        "has met only outside the format it is scored in)"))
    data_seed: int = Field(default=7, ge=0, description="training-seed block of the items")
    fact_statements: bool = True
    steps: int = Field(default=24000, ge=1)
    batch_tokens: int = Field(default=4096, ge=64)
    lr: float = Field(default=3e-3, gt=0)
    warmup: int = Field(default=100, ge=1)
    min_lr_ratio: float = Field(default=0.1, ge=0, le=1)
    weight_decay: float = Field(default=0.1, ge=0)
    context_weight: float = Field(default=0.1, ge=0, le=1)
    max_length: int = Field(default=512, ge=16)
    seed: int = 0
    checkpoint_every: int = Field(default=250, ge=1)

    @classmethod
    def quick(cls) -> PretrainRecipe:
        """Smoke size: a small model on little data for few steps (tests)."""
        return cls(hidden_size=64, num_layers=2, intermediate_size=128, vocab_size=512,
                   per_cell=20, steps=30, batch_tokens=2048, warmup=5, checkpoint_every=10)


def as_recipe(data: Any) -> Any:
    """A recorded recipe validated, so a record written before a defaulted field existed
    compares equal to the recipe it holds; data that is not a recipe comes back unchanged.
    A record without `math_format` predates the field, when every base was written as
    "chat": it gets that value, not today's default."""
    if isinstance(data, dict) and "math_format" not in data:
        data = {**data, "math_format": "chat"}
    try:
        return PretrainRecipe.model_validate(data)
    except ValueError:
        return data


def weights_sha256(model_dir: Path) -> str:
    return hashlib.sha256((Path(model_dir) / WEIGHTS_NAME).read_bytes()).hexdigest()


def read_recipe_record(model_dir: Path) -> dict[str, Any]:
    path = Path(model_dir) / RECIPE_NAME
    if not path.exists():
        raise FileNotFoundError(f"{model_dir}: no {RECIPE_NAME}; not an organism base")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def corpus_items(recipe: PretrainRecipe) -> list[Any]:
    from reasonscope.organism.corpus import collect_items
    from reasonscope.taxonomy import CELLS, Domain

    if recipe.math_share == 1.0:
        return collect_items(CELLS, recipe.difficulties, recipe.per_cell, recipe.data_seed)
    math = [c for c in CELLS if c[1] is Domain.MATH]
    rest = [c for c in CELLS if c[1] is not Domain.MATH]
    n_math = max(1, round(recipe.per_cell * recipe.math_share))
    return (collect_items(rest, recipe.difficulties, recipe.per_cell, recipe.data_seed)
            + collect_items(math, recipe.difficulties, n_math, recipe.data_seed))


def corpus_sha256(items: list[Any]) -> str:
    """Hash of the pretraining items: it changes when a generator changes its output."""
    from reasonscope.items import dumps_items

    return hashlib.sha256(dumps_items(items)).hexdigest()


def _setup(recipe: PretrainRecipe) -> tuple[Any, Any, list[Any], list[Any], int, Any]:
    """Tokenizer, model, items, encoded corpus and loop settings (no training yet)."""
    from reasonscope.organism import corpus
    from reasonscope.organism.model import build_model
    from reasonscope.organism.pretrain import LoopSettings, encode
    from reasonscope.organism.tokenizer import build_tokenizer

    items = corpus_items(recipe)
    tokenizer = build_tokenizer(corpus.tokenizer_texts(items), vocab_size=recipe.vocab_size,
                                split_digits=recipe.split_digits)
    from reasonscope.taxonomy import Domain

    text_domains = frozenset({Domain.MATH}) if recipe.math_format == "text" else frozenset()
    docs = corpus.documents(items, tokenizer, fact_statements=recipe.fact_statements,
                            text_domains=text_domains)
    encoded = encode(docs, tokenizer, recipe.max_length)
    model = build_model(tokenizer, hidden_size=recipe.hidden_size, num_layers=recipe.num_layers,
                        num_heads=recipe.num_heads, num_kv_heads=recipe.num_kv_heads,
                        intermediate_size=recipe.intermediate_size, seed=recipe.seed)
    settings = LoopSettings(steps=recipe.steps, batch_tokens=recipe.batch_tokens, lr=recipe.lr,
                            warmup=recipe.warmup, min_lr_ratio=recipe.min_lr_ratio,
                            weight_decay=recipe.weight_decay,
                            context_weight=recipe.context_weight, max_length=recipe.max_length,
                            seed=recipe.seed, checkpoint_every=recipe.checkpoint_every)
    return tokenizer, model, items, encoded, len(docs), settings


def recipe_head(recipe: PretrainRecipe, work: Path, steps: int = HEAD_STEPS
                ) -> tuple[Any, list[float]]:
    """The recipe's tokenizer and the losses of its first `steps` steps, exactly as the full
    run trains them (same corpus, batch plan and schedule): the cheap check that a recipe
    still makes the base it recorded."""
    from reasonscope.organism.pretrain import train

    tokenizer, model, _, encoded, _, settings = _setup(recipe)
    losses = train(model, encoded, settings, work, pad_id=tokenizer.pad_token_id,
                   stop_after=steps)
    return tokenizer, losses


ELAPSED_NAME = "elapsed.json"


def _earlier_seconds(work: Path) -> float:
    """Seconds that earlier, interrupted runs spent up to their last saved state, so that a
    resumed base records the time of all its steps, not only of the run that finished it."""
    from reasonscope.organism.pretrain import STATE_NAME

    path = work / ELAPSED_NAME
    if not (work / STATE_NAME).exists() or not path.exists():
        return 0.0
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))["seconds"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: unreadable elapsed time ({exc}); delete it to resume "
                         "without the earlier runs' seconds") from None


def pretrain(recipe: PretrainRecipe, out: Path, *, progress: bool = True,
             threads: int | None = None) -> Path:
    """Build the tokenizer and model, train them, save them in `out`; resumes an interrupted
    run from its last state in `out/work`, and returns at once when `out` is complete.
    `threads` sets torch's CPU threads (an execution detail, not part of the recipe)."""
    from reasonscope.organism.pretrain import train

    out = Path(out)
    if (out / RECIPE_NAME).exists() and (out / WEIGHTS_NAME).exists():
        if as_recipe(read_recipe_record(out).get("recipe")) != recipe:
            raise ValueError(f"{out} holds a base made by another recipe; choose another --out")
        return out
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    earlier = _earlier_seconds(work)
    if threads is not None:
        import torch

        torch.set_num_threads(threads)
    tokenizer, model, items, encoded, n_docs, settings = _setup(recipe)
    bar = Progress(recipe.steps, enabled=progress, label="organism pretrain", unit="steps")
    recent: list[float] = []

    def on_step(step: int, loss: float) -> None:
        recent.append(loss)
        bar.advance(1)
        if step % 100 == 0:
            bar.note(f"step {step}, loss {sum(recent) / len(recent):.3f}")
            recent.clear()
        if step % recipe.checkpoint_every == 0:  # the loop saves its state at this step too
            atomic_write_text(work / ELAPSED_NAME, json.dumps(
                {"seconds": earlier + time.perf_counter() - t0}) + "\n")

    with bar:
        losses = train(model, encoded, settings, work, pad_id=tokenizer.pad_token_id,
                       on_step=on_step)
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the shard-writing bar of a one-file checkpoint
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    tail = losses[-100:]
    record = {
        "recipe": recipe.model_dump(mode="json"),
        "parameters": sum(p.numel() for p in model.parameters()),
        "corpus": {"items": len(items), "items_sha256": corpus_sha256(items),
                   "documents": n_docs, "encoded": len(encoded),
                   "tokens": sum(len(e.ids) for e in encoded)},
        "loss": {"first": losses[0], "last_100_mean": sum(tail) / len(tail),
                 "head": losses[:HEAD_STEPS],
                 "per_100_steps": [round(sum(losses[i:i + 100]) / len(losses[i:i + 100]), 4)
                                   for i in range(0, len(losses), 100)]},
        "seconds": round(earlier + time.perf_counter() - t0, 1),
        "weights_sha256": weights_sha256(out),
    }
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()
    atomic_write_text(out / RECIPE_NAME, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return out
