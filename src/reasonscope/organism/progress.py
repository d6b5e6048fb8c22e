"""Training progress that is visible when stderr is not a terminal.

The trainers draw a rich bar, which on a terminal is live but under a pipe or in a CI log
prints nothing until training ends: a fine-tuning stage would look hung for minutes. This
callback feeds reasonscope's own `Progress`, which prints a plain line with done/total, rate and
ETA every few seconds there. On a terminal it stays silent (the rich bar already shows).
"""

from __future__ import annotations

import sys
from typing import Any

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from reasonscope.engine.progress import Progress

SHOWN_KEYS = ("loss", "reward", "frac_reward_zero_std")


class PlainProgressCallback(TrainerCallback):
    def __init__(self, label: str, *, interval_s: float = 10.0, force: bool = False) -> None:
        self.label, self.interval_s = label, interval_s
        self.enabled = force or not sys.stderr.isatty()
        self.bar: Progress | None = None
        self.last_step = 0

    def on_train_begin(self, args: TrainingArguments, state: TrainerState,
                       control: TrainerControl, **kwargs: Any) -> None:
        if self.enabled and state.is_world_process_zero:
            self.bar = Progress(state.max_steps, done=state.global_step, label=self.label,
                                unit="steps", interval_s=self.interval_s)
            self.last_step = state.global_step

    def on_step_end(self, args: TrainingArguments, state: TrainerState,
                    control: TrainerControl, **kwargs: Any) -> None:
        if self.bar is not None:
            self.bar.advance(state.global_step - self.last_step)
            self.last_step = state.global_step

    def on_log(self, args: TrainingArguments, state: TrainerState, control: TrainerControl,
               logs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if self.bar is None or not logs or state.global_step % max(1, state.max_steps // 4):
            return
        shown = [f"{k}={logs[k]:.3g}" for k in SHOWN_KEYS if isinstance(logs.get(k), int | float)]
        if shown:
            self.bar.note(f"step {state.global_step}: {' '.join(shown)}")

    def on_train_end(self, args: TrainingArguments, state: TrainerState,
                     control: TrainerControl, **kwargs: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
