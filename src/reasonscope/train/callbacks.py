"""Trainer callbacks: a per-step JSONL log, the checkpoint dtype guard, a rich progress bar."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from reasonscope.train.modelio import enforce_dtype

PROGRESS_KEYS = ("loss", "reward", "frac_reward_zero_std", "completions/mean_length")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class StepLogCallback(TrainerCallback):
    """Append every training log event, with its step, to a JSONL file next to the checkpoints.

    Appending (not rewriting) keeps the log intact across `--resume`, where the steps after the
    last checkpoint are trained again and logged a second time; readers keep the last record of
    each step.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def on_log(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
               logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not logs:
            return
        if "train_runtime" in logs:  # the end-of-training aggregate, not a step
            return
        record = {"step": state.global_step, "epoch": state.epoch,
                  **{k: _clean(v) for k, v in logs.items() if isinstance(v, int | float)}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, sort_keys=True) + "\n")


def read_step_log(path: Path) -> list[dict[str, Any]]:
    """The step log, one record per step (the last one written wins)."""
    by_step: dict[int, dict[str, Any]] = {}
    if Path(path).exists():
        for raw in Path(path).read_text(encoding="utf-8").splitlines():
            if raw.strip():
                rec = json.loads(raw)
                by_step[int(rec["step"])] = rec
    return [by_step[k] for k in sorted(by_step)]


class DtypeGuardCallback(TrainerCallback):
    """Cast each saved checkpoint to the base dtype (a no-op when training ran in it)."""

    def __init__(self, dtype: str) -> None:
        self.dtype = dtype
        self.rewritten = 0

    def on_save(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
                **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        ckpt = Path(str(args.output_dir)) / f"checkpoint-{state.global_step}"
        if ckpt.is_dir():
            self.rewritten += enforce_dtype(ckpt, self.dtype)


class RichProgressCallback(TrainerCallback):
    """One progress line with the metrics that matter for the run at hand."""

    def __init__(self, console: Console | None = None, label: str = "training") -> None:
        self.console = console or Console(stderr=True)
        self.label = label
        self.progress: Progress | None = None
        self.task: Any = None

    def on_train_begin(self, args: TrainingArguments, state: TrainerState,
                       control: TrainerControl, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TimeRemainingColumn(),
                                 TextColumn("{task.fields[metrics]}"), console=self.console,
                                 transient=False)
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=state.max_steps,
                                           completed=state.global_step, metrics="")

    def on_step_end(self, args: TrainingArguments, state: TrainerState,
                    control: TrainerControl, **kwargs: Any) -> None:
        if self.progress is not None:
            self.progress.update(self.task, completed=state.global_step)

    def on_log(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
               logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if self.progress is None or not logs:
            return
        shown = [f"{k.split('/')[-1]}={logs[k]:.3g}" for k in PROGRESS_KEYS
                 if isinstance(logs.get(k), int | float)]
        self.progress.update(self.task, metrics="  ".join(shown))

    def on_train_end(self, args: TrainingArguments, state: TrainerState,
                     control: TrainerControl, **kwargs: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def use_rich_progress(trainer: Any, console: Console | None = None, label: str = "") -> None:
    """Swap transformers' tqdm/print callbacks for the rich one."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(ProgressCallback)
    trainer.remove_callback(PrinterCallback)
    trainer.add_callback(RichProgressCallback(console, label or "training"))
