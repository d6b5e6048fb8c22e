"""What a study is made of, and how to find it in a study directory.

A study is a base checkpoint, fine-tuned checkpoints of it (labelled `method/step-N`), the
evaluation runs of each (the base's labelled "base"), and for each checkpoint the training
prompts it was fine-tuned on (a `train-data.jsonl` written by `reasonscope train`) or an
existing run of the checkpoint on those prompts. `discover_study` reads the layout the demo
and the `train` + `probe` commands produce:

    STUDY/train/base/final/            the base model (or STUDY/base/)
    STUDY/train/<method>/checkpoint-N/ checkpoints, with STUDY/train/<method>/train-data.jsonl
    STUDY/runs/base/                   the base's evaluation run
    STUDY/runs/<method>/step-NNNNNNN/  each checkpoint's evaluation run
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from reasonscope.engine.store import is_run_dir, read_manifest
from reasonscope.items import Item
from reasonscope.train.config import DATA_NAME
from reasonscope.train.modelio import checkpoints as list_checkpoints


class StudyLayoutError(ValueError):
    """The directory does not hold a study in the expected layout."""


@dataclass
class StudyInputs:
    base: Path
    checkpoints: dict[str, Path]
    methods: dict[str, str] = field(default_factory=dict)
    """Checkpoint label -> fine-tuning method (sft-short, grpo, ...)."""
    steps: dict[str, int] = field(default_factory=dict)
    eval_runs: dict[str, Path] = field(default_factory=dict)
    """"base" and checkpoint labels -> evaluation run directory."""
    train_data: dict[str, Path] = field(default_factory=dict)
    """Checkpoint label -> the JSONL of training examples it was tuned on."""
    train_runs: dict[str, Path] = field(default_factory=dict)
    """Checkpoint label -> an existing run of it on its training prompts (skips sampling)."""

    def finals(self) -> dict[str, Path]:
        """The last checkpoint of every method (every checkpoint when methods are unknown)."""
        if not self.methods:
            return dict(self.checkpoints)
        best: dict[str, str] = {}
        for label, method in self.methods.items():
            if method not in best or self.steps.get(label, 0) > self.steps.get(best[method], 0):
                best[method] = label
        return {label: self.checkpoints[label] for label in best.values()}


def _base_dir(study: Path) -> Path:
    for cand in (study / "train" / "base" / "final", study / "base", study / "model-base"):
        if cand.is_dir() and any(cand.glob("*.safetensors")):
            return cand
    raise StudyLayoutError(f"{study}: no base model (looked for train/base/final/ and base/ "
                           "with *.safetensors)")


def _run_for(runs: dict[tuple[str, int], Path], by_model: dict[Path, Path], method: str,
             step: int, ckpt: Path) -> Path | None:
    return by_model.get(ckpt.resolve()) or runs.get((method, step))


def discover_study(study: Path | str) -> StudyInputs:
    study = Path(study)
    if not study.is_dir():
        raise StudyLayoutError(f"{study}: no such directory")
    base = _base_dir(study)
    runs_root = study / "runs"
    runs: dict[tuple[str, int], Path] = {}
    by_model: dict[Path, Path] = {}
    eval_runs: dict[str, Path] = {}
    if is_run_dir(runs_root / "base"):
        eval_runs["base"] = runs_root / "base"
    if runs_root.is_dir():
        for method_dir in sorted(p for p in runs_root.iterdir() if p.is_dir()):
            for run in sorted(method_dir.glob("step-*")):
                if not is_run_dir(run):
                    continue
                manifest = read_manifest(run)
                if manifest.step is not None:
                    runs[(method_dir.name, manifest.step)] = run
                by_model[Path(manifest.model).resolve()] = run
    inputs = StudyInputs(base=base, checkpoints={}, eval_runs=eval_runs)
    train_root = study / "train"
    methods = sorted(p for p in train_root.iterdir() if p.is_dir() and p.name != "base") \
        if train_root.is_dir() else []
    for method_dir in methods:
        for step, ckpt in list_checkpoints(method_dir):
            label = f"{method_dir.name}/step-{step}"
            inputs.checkpoints[label] = ckpt
            inputs.methods[label] = method_dir.name
            inputs.steps[label] = step
            found = _run_for(runs, by_model, method_dir.name, step, ckpt)
            if found is not None:
                inputs.eval_runs[label] = found
            if (method_dir / DATA_NAME).is_file():
                inputs.train_data[label] = method_dir / DATA_NAME
    if not inputs.checkpoints:
        raise StudyLayoutError(f"{study}: no fine-tuned checkpoints under train/<method>/"
                               "checkpoint-N/")
    return inputs


def training_items(path: Path, limit: int) -> list[Item]:
    """Up to `limit` items of a training-data JSONL, evenly spread over the file."""
    items = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StudyLayoutError(f"{path}:{line_no}: not JSON ({exc.msg})") from None
        if isinstance(row, dict) and isinstance(row.get("item"), dict):
            try:
                items.append(Item.model_validate(row["item"]))
            except ValueError as exc:
                raise StudyLayoutError(f"{path}:{line_no}: field 'item': {exc}") from None
    if len(items) <= limit:
        return items
    return [items[i * len(items) // limit] for i in range(limit)]
