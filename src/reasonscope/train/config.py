"""Training configurations: every setting a run depends on, written out explicitly.

TRL's defaults are not the study's (and they change between releases), so each value handed to
TRL comes from a field here, never from TRL itself. A run is configured from a TOML/YAML file,
flags, or both (flags win); the resolved configuration is saved next to the checkpoints so a run
can be audited and resumed exactly.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reasonscope.genconfig import DEFAULT_INSTRUCTION

RESOLVED_NAME = "reasonscope-train.json"
STEP_LOG_NAME = "train-log.jsonl"
SUMMARY_NAME = "train-summary.json"
DATA_NAME = "train-data.jsonl"

DType = Literal["auto", "float32", "bfloat16", "float16"]


class ConfigError(ValueError):
    """A configuration problem found before anything heavy is loaded."""


class TrainConfig(BaseModel):
    """Settings shared by SFT and GRPO."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    model: str = Field(description="base checkpoint directory (safetensors + tokenizer)")
    out: str = Field(description="training directory: checkpoints, logs, resolved config")
    data: str | None = Field(default=None, description="JSONL; None = generated math set")

    # generated training set (used when `data` is None)
    data_per_cell: int = Field(default=200, ge=1)
    """generated training items per cell (seeds disjoint from every built-in suite)"""
    data_difficulties: tuple[int, ...] = (1, 2, 3, 4, 5)
    """difficulty levels of the generated training items"""
    data_seed: int = Field(default=0, ge=0)
    """seed offset of the generated training set"""
    data_behaviors: tuple[str, ...] = (
        "calculation", "enumeration", "simulation", "fact_retrieval", "diagnostic")
    """behaviors of the generated training set (math domain)"""

    # importing a user's question/answer file
    question_field: str = "question"
    """question field of an imported JSONL"""
    answer_field: str | None = "answer"
    """gold-answer field of an imported JSONL (None: from the solution's boxed answer)"""
    solution_field: str | None = "solution"
    """worked-solution field of an imported JSONL (the SFT target)"""
    id_field: str | None = None
    """id field of an imported JSONL (None: content-derived ids)"""
    import_answer_type: str = "expression"
    """answer type of imported rows (integer | number | expression | ...)"""
    skip_bad_lines: bool = False
    """skip (and list) bad lines of the data file instead of failing"""
    limit: int | None = Field(default=None, ge=1, description="use only the first N examples")

    # prompt format
    instruction: str = DEFAULT_INSTRUCTION
    """answer-format instruction appended to every prompt"""
    prompt_format: Literal["auto", "chat", "plain"] = "auto"
    """chat template or plain text prompts; auto = chat when the tokenizer has one"""
    thinking: Literal["auto", "on", "off"] = "auto"
    """Qwen3 enable_thinking switch of the chat template"""

    # optimisation
    seed: int = 0
    """seed of data order, initialisation of heads and sampling"""
    learning_rate: float = Field(default=1e-5, gt=0)
    """peak learning rate"""
    epochs: float = Field(default=1.0, gt=0)
    """passes over the data (max_steps > 0 overrides)"""
    max_steps: int = Field(default=-1, description="> 0 overrides epochs")
    batch_size: int = Field(default=8, ge=1, description="per-device batch")
    grad_accum: int = Field(default=1, ge=1)
    """gradient accumulation steps"""
    lr_scheduler: str = "linear"
    """transformers scheduler name (linear, cosine, constant, ...)"""
    warmup_steps: int = Field(default=0, ge=0)
    """linear warm-up steps"""
    weight_decay: float = Field(default=0.0, ge=0)
    """AdamW weight decay"""
    max_grad_norm: float = Field(default=1.0, gt=0)
    """gradient clipping norm"""
    optim: str = "adamw_torch"
    """transformers optimizer name"""
    adam_beta1: float = 0.9
    """Adam beta1"""
    adam_beta2: float = 0.999
    """Adam beta2"""
    adam_epsilon: float = 1e-8
    """Adam epsilon"""

    # checkpoints and logs
    save_steps: int = Field(default=100, ge=1)
    """save a checkpoint every K optimizer steps"""
    save_total_limit: int | None = Field(default=None, ge=1)
    """keep only the newest N checkpoints (None: all)"""
    save_only_model: bool = False
    """checkpoints without optimizer state (smaller; no exact resume)"""
    logging_steps: int = Field(default=1, ge=1)
    """log every K steps"""

    # hardware and precision
    device: Literal["auto", "cpu", "cuda"] = "auto"
    """where to train"""
    dtype: DType = Field(default="auto", description="load/train dtype; auto = the base's")
    bf16: bool | None = Field(default=None, description="mixed precision; None = on for CUDA")
    gradient_checkpointing: bool = False
    """recompute activations to save memory (slower)"""
    dataloader_num_workers: int = Field(default=0, ge=0)
    """data-loading worker processes"""

    # probing at save events (ProbeCallback)
    probe_suite: str | None = None
    """evaluate the base and each saved checkpoint on this suite while training"""
    probe_per_cell: int = Field(default=4, ge=1)
    """items per cell for probe_suite"""
    probe_max_new_tokens: int = Field(default=256, ge=1)
    """token budget of the probe's completions"""
    probe_out: str | None = None
    """run directories of the probe (default: OUT/probe-runs)"""


class SFTConfig(TrainConfig):
    kind: Literal["sft"] = "sft"
    cot: Literal["short", "long"] = "short"
    """short (no-think) or long (<think>) chain-of-thought targets"""
    max_length: int = Field(default=1024, ge=8)
    """max tokens per example (prompt + completion)"""
    on_overflow: Literal["warn", "error", "drop"] = "warn"
    """what to do with an example longer than max_length"""
    completion_only_loss: bool = True
    """loss on completion tokens only (not the prompt)"""
    packing: bool = False
    """pack several examples into one sequence"""
    learning_rate: float = Field(default=1e-5, gt=0)
    """peak learning rate"""
    batch_size: int = Field(default=8, ge=1)


GRPOLoss = Literal["grpo", "dapo", "dr_grpo", "bnpo"]

LOSS_DESCRIPTIONS: dict[str, str] = {
    "grpo": "GRPO (DeepSeekMath): token losses averaged per sequence, then over sequences",
    "dapo": "DAPO: token-level loss normalised by the active tokens of the whole accumulated batch",
    "dr_grpo": "Dr. GRPO: token losses summed and divided by a constant (max_completion_length)",
    "bnpo": "BNPO: token-level loss normalised by the active tokens of the local batch",
}


class GRPOConfig(TrainConfig):
    kind: Literal["grpo"] = "grpo"
    learning_rate: float = Field(default=1e-6, gt=0)
    """peak learning rate"""
    batch_size: int = Field(default=16, ge=1, description="completions per device per step")
    num_generations: int = Field(default=16, ge=2)
    """rollouts per prompt (G)"""
    steps_per_generation: int | None = Field(default=None, ge=1,
                                             description="None = grad_accum")
    max_completion_length: int = Field(default=1024, ge=1)
    """token budget of each rollout"""
    temperature: float = Field(default=1.0, gt=0)
    """rollout sampling temperature"""
    top_p: float = Field(default=1.0, gt=0, le=1)
    """rollout nucleus sampling mass"""
    top_k: int = Field(default=0, ge=0)
    """rollout top-k (0: off)"""
    min_p: float | None = None
    """rollout min-p (None: off)"""
    repetition_penalty: float = 1.0
    """rollout repetition penalty"""
    rollouts: Literal["trl", "decoder"] = "trl"
    """who samples the rollouts: TRL's generate (vLLM with use_vllm), or the project's decoder
    (per-rollout seeded streams, finished rows dropped; reasonscope.train.rollouts)"""
    beta: float = Field(default=0.0, ge=0)
    """KL coefficient against the reference model (0: no reference model)"""
    epsilon: float = Field(default=0.2, gt=0)
    """lower clip range of the importance ratio"""
    epsilon_high: float = Field(default=0.28, gt=0)
    """upper clip range (DAPO clip-higher)"""
    loss_type: GRPOLoss = "dapo"
    """loss normalisation variant (see LOSS_DESCRIPTIONS)"""
    scale_rewards: Literal["group", "batch", "none"] = "group"
    """advantage scaling by the std of the group, the batch, or none"""
    mask_truncated_completions: bool = False
    """no loss on rollouts cut by max_completion_length"""
    num_iterations: int = Field(default=1, ge=1)
    """optimisation passes per generation batch (mu)"""
    importance_sampling_level: Literal["token", "sequence"] = "token"
    """importance ratio per token or per sequence (GSPO)"""
    shuffle_dataset: bool = True
    """shuffle the prompts"""
    disable_dropout: bool = False
    """turn dropout off in the policy"""

    # reward terms: correctness (the evaluation scorer), optional format and overlong terms
    correct_weight: float = 1.0
    """weight of the correctness reward (the evaluation scorer)"""
    format_weight: float = 0.0
    """weight of the boxed-answer format reward"""
    overlong_buffer: int = Field(default=0, ge=0, description="0 disables the overlong term")
    overlong_weight: float = 1.0
    """weight of the overlong penalty"""

    # generation through vLLM
    use_vllm: bool = False
    """generate rollouts with vLLM"""
    vllm_mode: Literal["server", "colocate"] = "server"
    """vLLM as a separate server or colocated in the trainer"""
    vllm_server_base_url: str | None = None
    """vLLM server URL (server mode)"""
    vllm_server_host: str = "0.0.0.0"
    """vLLM server host (server mode)"""
    vllm_server_port: int = 8000
    """vLLM server port (server mode)"""
    vllm_server_timeout: float = 240.0
    """seconds to wait for the vLLM server"""
    vllm_gpu_memory_utilization: float = 0.3
    """GPU memory share of colocated vLLM"""
    vllm_tensor_parallel_size: int = 1
    """tensor parallel size of colocated vLLM"""
    vllm_importance_sampling_correction: bool = True
    """correct for vLLM/trainer sampling mismatch"""

    no_signal_threshold: float = Field(default=0.9, ge=0, le=1)
    """share of same-reward groups above which a run is flagged as having no learning signal"""

    @model_validator(mode="after")
    def _consistent(self) -> GRPOConfig:
        if self.overlong_buffer >= self.max_completion_length:
            raise ValueError(f"overlong_buffer ({self.overlong_buffer}) must be smaller than "
                             f"max_completion_length ({self.max_completion_length})")
        if self.rollouts == "decoder":
            clash = [name for name, on in (
                ("use_vllm", self.use_vllm), ("min_p", self.min_p is not None),
                ("repetition_penalty", self.repetition_penalty != 1.0)) if on]
            if clash:
                raise ValueError(f"rollouts='decoder' samples with temperature, top_k and top_p "
                                 f"only; {', '.join(clash)} need rollouts='trl'")
        return self


C = TypeVar("C", bound=TrainConfig)


def world_size() -> int:
    """Processes of this launch (set by accelerate/torchrun), read without importing torch."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


def check_grpo_batch(cfg: GRPOConfig, processes: int | None = None) -> int:
    """The generation batch (completions per rollout round) TRL will use, or a clear error.

    TRL's batch counts completions, not prompts: a round holds batch_size x processes x
    steps_per_generation completions, which must be whole groups of num_generations.
    """
    n_proc = processes if processes is not None else world_size()
    spg = cfg.steps_per_generation or cfg.grad_accum
    gen_batch = cfg.batch_size * n_proc * spg
    if gen_batch % cfg.num_generations:
        raise ConfigError(
            f"batch_size ({cfg.batch_size}) x processes ({n_proc}) x steps_per_generation ({spg}) "
            f"= {gen_batch} completions per generation round, which is not a multiple of "
            f"num_generations ({cfg.num_generations}); each prompt needs all its "
            f"{cfg.num_generations} completions in one round. Use e.g. --batch-size "
            f"{cfg.num_generations} or --num-generations dividing {gen_batch}.")
    return gen_batch


def load_config_file(path: Path) -> dict[str, Any]:
    """Read a flat TOML or YAML mapping of config fields."""
    if not path.exists():
        raise ConfigError(f"{path}: config file does not exist")
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() == ".toml":
            data: Any = tomllib.loads(text)
        elif path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            raise ConfigError(f"{path}: config must be .toml, .yaml or .yml")
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{path}: cannot parse: {exc}") from None
    except Exception as exc:  # yaml.YAMLError without importing yaml at module level
        raise ConfigError(f"{path}: cannot parse: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of config fields at the top level")
    return data


def resolve_config(cls: type[C], file: Path | None, overrides: dict[str, Any]) -> C:
    """File values, then flags (None = not given); unknown or invalid fields name their source."""
    values: dict[str, Any] = load_config_file(file) if file is not None else {}
    kind = cls.model_fields["kind"].default
    if "kind" in values and values["kind"] != kind:
        raise ConfigError(f"{file}: kind is {values['kind']!r}, but this is `train {kind}`")
    flags = {k: v for k, v in overrides.items() if v is not None}
    values.update(flags)
    try:
        return cls.model_validate(values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(config)"
            if err["type"] == "missing":
                problems.append(f"config field '{field}' is required: pass --"
                                f"{field.replace('_', '-')} or set it in a --config file")
                continue
            source = "flag" if err["loc"] and err["loc"][0] in flags else (file or "defaults")
            problems.append(f"config field '{field}' ({source}): {err['msg']}")
        raise ConfigError("; ".join(problems)) from None


def config_from_resolved(train_dir: Path) -> dict[str, Any]:
    """The saved resolved configuration of a training directory."""
    path = Path(train_dir) / RESOLVED_NAME
    if not path.exists():
        raise ConfigError(f"{train_dir}: no {RESOLVED_NAME}; not a reasonscope training directory")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
