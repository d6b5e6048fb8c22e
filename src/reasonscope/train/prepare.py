"""Everything a training run decides before the model is loaded.

The order matters: the output directory, the base checkpoint's dtype, the data (every line
validated) and the batch arithmetic are checked first, so a bad configuration fails in seconds
with a message naming the field, file or line, not after minutes of model loading.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from reasonscope.fingerprint import weight_fingerprint
from reasonscope.train.config import (
    DATA_NAME,
    RESOLVED_NAME,
    SUMMARY_NAME,
    ConfigError,
    TrainConfig,
    config_from_resolved,
    is_main_process,
    world_size,
)
from reasonscope.train.data import (
    ImportFields,
    TrainExample,
    contamination_summary,
    generated_math_examples,
    read_examples,
    write_examples,
)
from reasonscope.train.modelio import base_dtype, checkpoints, load_tokenizer
from reasonscope.train.traces import CotStyle

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    cfg: TrainConfig
    out: Path
    base_dtype: str
    train_dtype: str
    device: str
    bf16: bool
    chat: bool
    thinking: str
    tokenizer: Any
    examples: list[TrainExample]
    data_file: Path
    data_info: dict[str, Any] = field(default_factory=dict)
    resume_from: Path | None = None
    world_size: int = 1
    model_dir: Path = Path()
    base_fingerprint: str | None = None

    def resolved(self) -> dict[str, Any]:
        """What `auto` settings became, and where the data came from."""
        return {"base_dtype": self.base_dtype, "train_dtype": self.train_dtype,
                "checkpoint_dtype": self.base_dtype, "device": self.device, "bf16": self.bf16,
                "prompt_format": "chat" if self.chat else "plain", "thinking": self.thinking,
                "examples": len(self.examples), "data_file": str(self.data_file),
                "data": self.data_info, "world_size": self.world_size,
                "resume_from": str(self.resume_from) if self.resume_from else None,
                "base_model": str(self.model_dir),
                "base_fingerprint": self.base_fingerprint}


def _device(cfg: TrainConfig) -> str:
    import torch

    if cfg.device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' requested but torch sees no CUDA device")
    if cfg.device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return cfg.device


def _bf16(cfg: TrainConfig, device: str) -> bool:
    """bf16 autocast on CUDA; never on CPU, where it is 11-20x slower on common hardware."""
    if device == "cpu":
        if cfg.bf16:
            log.warning("bf16 mixed precision is disabled on CPU (much slower than fp32 there)")
        return False
    if cfg.bf16 is not None:
        return cfg.bf16
    import torch

    return bool(torch.cuda.is_bf16_supported())


def _model_dir(model: str) -> Path:
    """A local directory, or a hub id already in the Hugging Face cache (no download here)."""
    from reasonscope.fingerprint import resolve_model_dir

    found = resolve_model_dir(model)
    if found is None or not (found / "config.json").exists():
        raise ConfigError(f"model {model!r}: not a saved model directory (no config.json) nor a "
                          "cached hub model; download it first (`hf download <id>`)")
    return found


def _out_dir(cfg: TrainConfig, resume: bool) -> tuple[Path, Path | None]:
    out = Path(cfg.out)
    found = checkpoints(out)
    if found and not resume:
        raise ConfigError(f"{out} already holds {len(found)} checkpoint(s) (last: "
                          f"{found[-1][1].name}); pass --resume to continue that run, or "
                          "choose another --out")
    if resume and not found:
        log.warning("--resume: no checkpoint in %s yet, starting from the base model", out)
    return out, (found[-1][1] if resume and found else None)


RESUME_MAY_CHANGE = frozenset({"max_steps", "epochs", "save_steps", "save_total_limit",
                               "save_only_model", "logging_steps", "device", "out",
                               "dataloader_num_workers", "probe_suite", "probe_per_cell",
                               "probe_max_new_tokens", "probe_out", "no_signal_threshold",
                               "skip_bad_lines", "data"})


def _check_resumable(cfg: TrainConfig, out: Path) -> None:
    """Resuming with other settings would silently mix two different runs in one directory."""
    if not (out / RESOLVED_NAME).exists():
        return
    before = config_from_resolved(out).get("config", {})
    now = cfg.model_dump(mode="json")
    changed = [f"{k} (was {before[k]!r}, now {now[k]!r})" for k in sorted(now)
               if k in before and k not in RESUME_MAY_CHANGE and before[k] != now[k]]
    if changed:
        raise ConfigError(f"--resume with changed setting(s): {'; '.join(changed)}. Only the "
                          "schedule may change when resuming; train into another --out instead")


def _examples(cfg: TrainConfig, out: Path, style: CotStyle | None, need_completion: bool,
              need_answer: bool, resuming: bool) -> tuple[list[TrainExample], dict[str, Any]]:
    saved = out / DATA_NAME
    if resuming and saved.exists():
        ex = read_examples(saved, style=style or "short", need_completion=need_completion,
                           need_answer=need_answer, instruction=cfg.instruction)
        return ex, {"source": "resumed", "file": str(saved)}
    if cfg.data:
        fields = ImportFields(question=cfg.question_field, answer=cfg.answer_field,
                              solution=cfg.solution_field, id=cfg.id_field,
                              answer_type=cfg.import_answer_type)
        ex = read_examples(Path(cfg.data), style=style or "short",
                           need_completion=need_completion, need_answer=need_answer,
                           fields=fields, instruction=cfg.instruction,
                           skip_bad_lines=cfg.skip_bad_lines)
        info: dict[str, Any] = {"source": "file", "file": str(Path(cfg.data).resolve())}
    else:
        ex, report = generated_math_examples(
            style=style, per_cell=cfg.data_per_cell, difficulties=cfg.data_difficulties,
            seed=cfg.data_seed, behaviors=cfg.data_behaviors, instruction=cfg.instruction)
        if not ex:
            raise ConfigError("the generators produced no math training items (are the math "
                              "generators registered?); pass --data FILE")
        info = {"source": "generated", "per_cell": cfg.data_per_cell, "seed": cfg.data_seed,
                "without_steps": report.without_steps}
    if cfg.limit:
        ex = ex[: cfg.limit]
    info["contamination"] = contamination_summary(ex)
    return ex, info


def prepare(cfg: TrainConfig, *, style: CotStyle | None, need_completion: bool,
            need_answer: bool, resume: bool, thinking_default: str = "auto") -> Prepared:
    """Validate and resolve a run; writes only the training data file (main process)."""
    model_dir = _model_dir(cfg.model)
    stored = base_dtype(model_dir)
    out, resume_from = _out_dir(cfg, resume)
    if resume_from is not None:
        _check_resumable(cfg, out)
    examples, info = _examples(cfg, out, style, need_completion, need_answer,
                               resume_from is not None)
    tokenizer = load_tokenizer(model_dir)
    chat = cfg.prompt_format == "chat" or (
        cfg.prompt_format == "auto" and bool(getattr(tokenizer, "chat_template", None)))
    if cfg.prompt_format == "chat" and not getattr(tokenizer, "chat_template", None):
        raise ConfigError(f"prompt_format 'chat' but {model_dir} has no chat template")
    device = _device(cfg)
    data_file = out / DATA_NAME
    if is_main_process() and not (resume_from is not None and data_file.exists()):
        write_examples(data_file, examples)
    return Prepared(
        cfg=cfg, out=out, base_dtype=stored,
        train_dtype=stored if cfg.dtype == "auto" else cfg.dtype, device=device,
        bf16=_bf16(cfg, device), chat=chat,
        thinking=cfg.thinking if cfg.thinking != "auto" else thinking_default,
        tokenizer=tokenizer, examples=examples, data_file=data_file, data_info=info,
        resume_from=resume_from, world_size=world_size(), model_dir=model_dir,
        base_fingerprint=weight_fingerprint(model_dir))


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("reasonscope", "torch", "transformers", "trl", "accelerate", "datasets"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            continue
    return out


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def write_resolved(prep: Prepared, trl_args: dict[str, Any], extra: dict[str, Any]) -> Path:
    """`reasonscope-train.json`: our config, what `auto` became, and TRL's full arguments."""
    from reasonscope.fsutil import atomic_write_text

    doc = {"kind": getattr(prep.cfg, "kind", "train"), "config": prep.cfg.model_dump(mode="json"),
           "resolved": {**prep.resolved(), **extra}, "trl_args": _jsonable(trl_args),
           "versions": _versions(),
           "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    return atomic_write_text(prep.out / RESOLVED_NAME,
                             json.dumps(doc, indent=2, sort_keys=True) + "\n")


def write_summary(out: Path, summary: dict[str, Any]) -> Path:
    from reasonscope.fsutil import atomic_write_text

    return atomic_write_text(out / SUMMARY_NAME,
                             json.dumps(_jsonable(summary), indent=2, sort_keys=True) + "\n")


def common_trainer_args(prep: Prepared) -> dict[str, Any]:
    """The TrainingArguments both trainers share, every one set here rather than defaulted."""
    cfg = prep.cfg
    return dict(
        output_dir=str(prep.out),
        seed=cfg.seed,
        data_seed=cfg.seed,
        learning_rate=cfg.learning_rate,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps,
        per_device_train_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.grad_accum,
        lr_scheduler_type=cfg.lr_scheduler,
        warmup_steps=cfg.warmup_steps,
        weight_decay=cfg.weight_decay,
        max_grad_norm=cfg.max_grad_norm,
        optim=cfg.optim,
        adam_beta1=cfg.adam_beta1,
        adam_beta2=cfg.adam_beta2,
        adam_epsilon=cfg.adam_epsilon,
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=cfg.save_total_limit,
        save_only_model=cfg.save_only_model,
        logging_strategy="steps",
        logging_steps=cfg.logging_steps,
        logging_first_step=False,
        eval_strategy="no",
        report_to="none",
        disable_tqdm=True,
        ddp_find_unused_parameters=False,
        bf16=prep.bf16,
        fp16=False,
        use_cpu=prep.device == "cpu",
        **_checkpointing_arg(cfg.gradient_checkpointing),
        dataloader_num_workers=cfg.dataloader_num_workers,
        use_liger_kernel=False,
    )


def _checkpointing_arg(on: bool) -> dict[str, bool]:
    """transformers 5 renamed gradient to activation checkpointing; TRL defaults it to on."""
    import dataclasses

    from transformers import TrainingArguments

    names = {f.name for f in dataclasses.fields(TrainingArguments)}
    key = "activation_checkpointing" if "activation_checkpointing" in names else (
        "gradient_checkpointing")
    return {key: on}
