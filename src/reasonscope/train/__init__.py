"""Fine-tuning (TRL SFT and GRPO) with every setting explicit, and probing checkpoints.

Names load lazily so that importing the package (and the CLI) does not pull in torch,
transformers or TRL until a run needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "SFTConfig": "reasonscope.train.config",
    "GRPOConfig": "reasonscope.train.config",
    "ConfigError": "reasonscope.train.config",
    "resolve_config": "reasonscope.train.config",
    "check_grpo_batch": "reasonscope.train.config",
    "TrainExample": "reasonscope.train.data",
    "ImportFields": "reasonscope.train.data",
    "read_examples": "reasonscope.train.data",
    "write_examples": "reasonscope.train.data",
    "generated_math_examples": "reasonscope.train.data",
    "short_trace": "reasonscope.train.traces",
    "long_trace": "reasonscope.train.traces",
    "run_sft": "reasonscope.train.sft",
    "run_grpo": "reasonscope.train.grpo",
    "signal_summary": "reasonscope.train.grpo",
    "build_rewards": "reasonscope.train.rewards",
    "ProbeCallback": "reasonscope.train.probe",
    "ProbeSpec": "reasonscope.train.probe",
    "probe_training_dir": "reasonscope.train.probe",
    "probe_one": "reasonscope.train.probe",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'reasonscope.train' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
