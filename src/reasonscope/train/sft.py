"""`train sft`: supervised fine-tuning on short or long chain-of-thought traces (TRL SFTTrainer).

The loss covers the completion only (the prompt is context), long traces are never cut without
saying so (counted before training: warn, drop, or refuse), and checkpoints are stored in the
base checkpoint's dtype.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console

from reasonscope.train.config import STEP_LOG_NAME, ConfigError, SFTConfig, is_main_process
from reasonscope.train.data import sft_rows
from reasonscope.train.prepare import (
    Prepared,
    common_trainer_args,
    prepare,
    write_resolved,
    write_summary,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overflow:
    max_length: int
    total: int
    over: int
    longest: int
    action: str

    def as_dict(self) -> dict[str, Any]:
        return {"max_length": self.max_length, "examples": self.total, "over_limit": self.over,
                "longest": self.longest, "action": self.action}


def token_lengths(rows: Sequence[dict[str, str]], tokenizer: Any) -> list[int]:
    """Tokens per example exactly as TRL's prompt-completion path counts them."""
    texts = [r["prompt"] + r["completion"] for r in rows]
    return [len(ids) for ids in tokenizer(text=texts)["input_ids"]]


def check_overflow(rows: list[dict[str, str]], tokenizer: Any, max_length: int,
                   action: str) -> tuple[list[dict[str, str]], Overflow]:
    lengths = token_lengths(rows, tokenizer)
    over = [i for i, n in enumerate(lengths) if n > max_length]
    info = Overflow(max_length, len(rows), len(over), max(lengths, default=0), action)
    if not over:
        return rows, info
    what = (f"{len(over)} of {len(rows)} training examples are longer than max_length "
            f"{max_length} tokens (longest {info.longest})")
    if action == "error":
        raise ConfigError(f"{what}; raise --max-length or pass --on-overflow drop|warn")
    if action == "drop":
        log.warning("%s: dropped", what)
        skip = set(over)
        return [r for i, r in enumerate(rows) if i not in skip], info
    log.warning("%s: their ends (including the final answer) will be cut off; use "
                "--on-overflow drop or error to avoid it", what)
    return rows, info


def _with_eos(rows: list[dict[str, str]], eos: str | None) -> list[dict[str, str]]:
    """Add EOS the way TRL would, so the counted length is the trained length."""
    if not eos:
        return rows
    return [r if r["completion"].endswith(eos) else {**r, "completion": r["completion"] + eos}
            for r in rows]


def _trl_config(prep: Prepared, cfg: SFTConfig) -> Any:
    from trl import SFTConfig as TRLSFTConfig

    return TRLSFTConfig(
        **common_trainer_args(prep),
        max_length=cfg.max_length,
        truncation_mode="keep_start",
        packing=cfg.packing,
        padding_free=False,
        completion_only_loss=cfg.completion_only_loss,
        assistant_only_loss=False,
        loss_type="nll",
        shuffle_dataset=False,
        dataset_text_field="text",
        remove_unused_columns=True,
        activation_offloading=False,
    )


def run_sft(cfg: SFTConfig, *, resume: bool = False, console: Console | None = None,
            callbacks: Sequence[Any] = ()) -> dict[str, Any]:
    """Train, checkpoint on schedule, and return (and save) the run summary."""
    prep = prepare(cfg, style=cfg.cot, need_completion=True, need_answer=False, resume=resume,
                   thinking_default="off" if cfg.cot == "short" else "on")
    tok = prep.tokenizer
    rows = _with_eos(sft_rows(prep.examples, tok, chat=prep.chat, thinking=prep.thinking),
                     tok.eos_token)
    rows, overflow = check_overflow(rows, tok, cfg.max_length, cfg.on_overflow)
    if not rows:
        raise ConfigError("no training examples left after dropping the over-long ones")

    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar
    from transformers import set_seed
    from trl import SFTTrainer

    from reasonscope.train.callbacks import DtypeGuardCallback, StepLogCallback, use_rich_progress
    from reasonscope.train.modelio import load_model
    from reasonscope.train.probe import probe_callback_from_config

    disable_progress_bar()  # the rich bar reports training; dataset maps take milliseconds here
    set_seed(cfg.seed)
    model = load_model(prep.model_dir, prep.train_dtype)
    args = _trl_config(prep, cfg)
    extra = [StepLogCallback(prep.out / STEP_LOG_NAME), DtypeGuardCallback(prep.base_dtype)]
    probe_cb = probe_callback_from_config(prep)
    if probe_cb is not None:
        extra.append(probe_cb)
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows),
                         processing_class=tok, callbacks=[*extra, *callbacks])
    use_rich_progress(trainer, console, f"sft ({cfg.cot} CoT)")
    sample = rows[0]
    if is_main_process():
        write_resolved(prep, args.to_dict(), {"overflow": overflow.as_dict(),
                                              "example": sample})
    result = trainer.train(resume_from_checkpoint=str(prep.resume_from)
                           if prep.resume_from else None)
    from reasonscope.train.callbacks import read_step_log
    from reasonscope.train.modelio import checkpoints

    records = read_step_log(prep.out / STEP_LOG_NAME)
    summary = {"kind": "sft", "status": "trained", "cot": cfg.cot,
               "global_step": trainer.state.global_step,
               "train_loss": result.training_loss,
               "first_loss": next((r["loss"] for r in records if "loss" in r), None),
               "last_loss": next((r["loss"] for r in reversed(records) if "loss" in r), None),
               "checkpoints": [p.name for _, p in checkpoints(prep.out)],
               "checkpoint_dtype": prep.base_dtype, "overflow": overflow.as_dict(),
               "examples": len(rows)}
    if is_main_process():
        write_summary(prep.out, summary)
    return summary
