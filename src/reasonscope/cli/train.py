"""`reasonscope train sft|grpo` and `reasonscope probe`.

Every flag has a config-file twin (same name, underscores); flags override the file. Heavy
libraries load inside the commands, after the configuration has been validated.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

train_app = typer.Typer(help="Fine-tune a model (SFT or GRPO) with every setting explicit.",
                        no_args_is_help=True)
console = Console()
err = Console(stderr=True)

# options shared by both trainers (None = not given: the config file or the default applies)
Cfg = Annotated[Path | None, typer.Option("--config", help="TOML/YAML file of settings")]
Model = Annotated[str | None, typer.Option(help="base model directory")]
Data = Annotated[str | None, typer.Option(help="training JSONL (default: generated math set)")]
Out = Annotated[str | None, typer.Option(help="training directory for checkpoints and logs")]
MaxSteps = Annotated[int | None, typer.Option(help="optimizer steps (overrides --epochs)")]
Epochs = Annotated[float | None, typer.Option()]
SaveSteps = Annotated[int | None, typer.Option(help="save a checkpoint every K steps")]
SaveLimit = Annotated[int | None, typer.Option(help="keep only the newest N checkpoints")]
LR = Annotated[float | None, typer.Option("--lr", help="learning rate")]
Batch = Annotated[int | None, typer.Option(help="per-device batch size")]
Accum = Annotated[int | None, typer.Option(help="gradient accumulation steps")]
Seed = Annotated[int | None, typer.Option()]
PromptFormat = Annotated[str | None, typer.Option(help="auto | chat | plain")]
Think = Annotated[str | None, typer.Option(help="auto | on | off (chat template switch)")]
Device = Annotated[str | None, typer.Option(help="auto | cpu | cuda")]
DTypeOpt = Annotated[str | None, typer.Option(help="train dtype: auto (= base) | float32 | "
                                                   "bfloat16 | float16")]
BF16 = Annotated[bool | None, typer.Option("--bf16/--no-bf16", help="mixed precision (CUDA)")]
GC = Annotated[bool | None, typer.Option("--gradient-checkpointing/--no-gradient-checkpointing")]
QField = Annotated[str | None, typer.Option(help="question field of an imported JSONL")]
AField = Annotated[str | None, typer.Option(help="answer field of an imported JSONL")]
SField = Annotated[str | None, typer.Option(help="solution field of an imported JSONL")]
AType = Annotated[str | None, typer.Option("--answer-type", help="answer type of imported rows")]
SkipBad = Annotated[bool | None, typer.Option("--skip-bad-lines", help="skip (and list) bad "
                                                                      "lines instead of failing")]
Limit = Annotated[int | None, typer.Option(help="use only the first N examples")]
PerCell = Annotated[int | None, typer.Option("--per-cell", help="generated items per cell")]
ProbeSuite = Annotated[str | None, typer.Option(help="evaluate each checkpoint on this suite "
                                                     "while training")]
ProbePerCell = Annotated[int | None, typer.Option(help="items per cell for --probe-suite")]
ProbeTokens = Annotated[int | None, typer.Option(help="max new tokens when probing")]
Resume = Annotated[bool, typer.Option("--resume", help="continue from the last checkpoint")]


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
    app.command("probe")(probe_cmd)


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def _common(**kw: Any) -> dict[str, Any]:
    """Flag names to config field names."""
    rename = {"lr": "learning_rate", "per_cell": "data_per_cell", "answer_type":
              "import_answer_type", "skip_bad": "skip_bad_lines"}
    return {rename.get(k, k): v for k, v in kw.items()}


def _run(kind: str, config: Path | None, overrides: dict[str, Any], resume: bool) -> None:
    from reasonscope.items import ItemFileError
    from reasonscope.train.config import ConfigError, GRPOConfig, SFTConfig, resolve_config
    from reasonscope.train.data import ContaminatedDataError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if kind == "sft":
            from reasonscope.train.sft import run_sft

            summary = run_sft(resolve_config(SFTConfig, config, overrides), resume=resume,
                              console=err)
        else:
            from reasonscope.train.config import check_grpo_batch
            from reasonscope.train.grpo import run_grpo

            cfg = resolve_config(GRPOConfig, config, overrides)
            check_grpo_batch(cfg)
            summary = run_grpo(cfg, resume=resume, console=err)
    except (ConfigError, ItemFileError, ContaminatedDataError) as exc:
        raise _fail(str(exc)) from None
    from reasonscope.train.config import is_main_process

    if is_main_process():
        _report(summary)


def _report(summary: dict[str, Any]) -> None:
    if summary.get("status") == "no_signal":
        err.print(Panel(summary["warning"], title="GRPO: no learning signal", style="bold red"))
        console.print(f"{len(summary['checkpoints'])} checkpoint(s) kept for inspection; the run "
                      "summary records status no_signal")
        return
    table = Table(title=f"{summary['kind']} finished at step {summary['global_step']}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key in ("first_loss", "last_loss", "mean_reward", "last_reward",
                "mean_frac_reward_zero_std", "mean_clipped_ratio", "mean_mean_length"):
        if summary.get(key) is not None:
            table.add_row(key, f"{summary[key]:.4g}")
    table.add_row("checkpoints", ", ".join(summary["checkpoints"]) or "-")
    console.print(table)


@train_app.command("sft")
def sft_cmd(
    config: Cfg = None, model: Model = None, data: Data = None, out: Out = None,
    cot: Annotated[str | None, typer.Option(help="short (no-think) | long (think)")] = None,
    max_steps: MaxSteps = None, epochs: Epochs = None, save_steps: SaveSteps = None,
    save_total_limit: SaveLimit = None, lr: LR = None, batch_size: Batch = None,
    grad_accum: Accum = None,
    max_length: Annotated[int | None, typer.Option(help="max tokens per example")] = None,
    on_overflow: Annotated[str | None, typer.Option(help="warn | drop | error when an example "
                                                         "exceeds --max-length")] = None,
    completion_only_loss: Annotated[bool | None, typer.Option(
        "--completion-only-loss/--full-loss")] = None,
    prompt_format: PromptFormat = None, thinking: Think = None, seed: Seed = None,
    device: Device = None,
    dtype: DTypeOpt = None, bf16: BF16 = None, gradient_checkpointing: GC = None,
    question_field: QField = None, answer_field: AField = None, solution_field: SField = None,
    answer_type: AType = None, skip_bad: SkipBad = None, limit: Limit = None,
    per_cell: PerCell = None, probe_suite: ProbeSuite = None,
    probe_per_cell: ProbePerCell = None, probe_max_new_tokens: ProbeTokens = None,
    resume: Resume = False,
) -> None:
    """Supervised fine-tuning on short or long chain-of-thought traces."""
    overrides = _common(**{k: v for k, v in locals().items()
                           if k not in ("config", "resume")})
    _run("sft", config, overrides, resume)


@train_app.command("grpo")
def grpo_cmd(
    config: Cfg = None, model: Model = None, data: Data = None, out: Out = None,
    num_generations: Annotated[int | None, typer.Option(help="rollouts per prompt (G)")] = None,
    max_steps: MaxSteps = None, epochs: Epochs = None, save_steps: SaveSteps = None,
    save_total_limit: SaveLimit = None, lr: LR = None,
    batch_size: Annotated[int | None, typer.Option(
        help="completions per device per step (a multiple of G over the round)")] = None,
    grad_accum: Accum = None,
    steps_per_generation: Annotated[int | None, typer.Option()] = None,
    max_completion_length: Annotated[int | None, typer.Option()] = None,
    temperature: Annotated[float | None, typer.Option(help="rollout temperature")] = None,
    top_p: Annotated[float | None, typer.Option()] = None,
    beta: Annotated[float | None, typer.Option(help="KL coefficient (0: no reference)")] = None,
    epsilon: Annotated[float | None, typer.Option(help="lower clip range")] = None,
    epsilon_high: Annotated[float | None, typer.Option(help="upper clip range")] = None,
    loss_type: Annotated[str | None, typer.Option(help="grpo | dapo | dr_grpo | bnpo")] = None,
    scale_rewards: Annotated[str | None, typer.Option(help="group | batch | none")] = None,
    mask_truncated_completions: Annotated[bool | None, typer.Option(
        "--mask-truncated/--no-mask-truncated")] = None,
    num_iterations: Annotated[int | None, typer.Option()] = None,
    format_weight: Annotated[float | None, typer.Option(help="weight of the format term")] = None,
    overlong_buffer: Annotated[int | None, typer.Option(
        help="tokens before the limit where the overlong penalty starts (0: off)")] = None,
    overlong_weight: Annotated[float | None, typer.Option()] = None,
    use_vllm: Annotated[bool | None, typer.Option("--use-vllm/--no-vllm")] = None,
    vllm_mode: Annotated[str | None, typer.Option(help="server | colocate")] = None,
    vllm_server_base_url: Annotated[str | None, typer.Option("--vllm-server-url")] = None,
    vllm_server_host: Annotated[str | None, typer.Option()] = None,
    vllm_server_port: Annotated[int | None, typer.Option()] = None,
    no_signal_threshold: Annotated[float | None, typer.Option()] = None,
    prompt_format: PromptFormat = None, thinking: Think = None, seed: Seed = None,
    device: Device = None,
    dtype: DTypeOpt = None, bf16: BF16 = None, gradient_checkpointing: GC = None,
    question_field: QField = None, answer_field: AField = None, solution_field: SField = None,
    answer_type: AType = None, skip_bad: SkipBad = None, limit: Limit = None,
    per_cell: PerCell = None, probe_suite: ProbeSuite = None,
    probe_per_cell: ProbePerCell = None, probe_max_new_tokens: ProbeTokens = None,
    resume: Resume = False,
) -> None:
    """Reinforcement learning with the evaluation scorer as reward."""
    overrides = _common(**{k: v for k, v in locals().items()
                           if k not in ("config", "resume")})
    _run("grpo", config, overrides, resume)


def probe_cmd(
    train_dir: Annotated[Path, typer.Argument(help="training directory (train sft|grpo --out)")],
    suite: Annotated[str, typer.Option(help="built-in suite name or JSONL file")],
    out: Annotated[Path, typer.Option(help="directory for one run per checkpoint")],
    per_cell: Annotated[int | None, typer.Option(help="only the first N items per cell")] = None,
    cells: Annotated[list[str] | None, typer.Option(help="e.g. calculation/math")] = None,
    temperature: Annotated[float, typer.Option()] = 0.6,
    top_p: Annotated[float, typer.Option()] = 0.95,
    top_k: Annotated[int, typer.Option()] = 0,
    max_new_tokens: Annotated[int, typer.Option()] = 1024,
    samples: Annotated[int, typer.Option(help="completions per item")] = 1,
    seed: Annotated[int, typer.Option()] = 0,
    thinking: Annotated[str | None, typer.Option(help="on | off | auto (default: as "
                                                      "trained)")] = None,
    chat_template: Annotated[bool | None, typer.Option(
        "--chat-template/--no-chat-template", help="default: as trained")] = None,
    backend: Annotated[str, typer.Option(help="hf | vllm")] = "hf",
    device: Annotated[str | None, typer.Option()] = None,
    dtype: Annotated[str | None, typer.Option()] = None,
    batch_size: Annotated[int | None, typer.Option()] = None,
    base: Annotated[bool, typer.Option("--base/--no-base", help="also the base (step 0)")] = True,
) -> None:
    """Evaluate the base model and every checkpoint of a training run, recording the step."""
    from reasonscope.genconfig import GenerationConfig
    from reasonscope.suites import load_suite
    from reasonscope.taxonomy import parse_cell
    from reasonscope.train.config import ConfigError, config_from_resolved
    from reasonscope.train.probe import ProbeError, probe_training_dir, spec_from_suite

    try:
        saved = config_from_resolved(train_dir)
        resolved, trained = saved.get("resolved", {}), saved.get("config", {})
        the_suite = load_suite(suite)
        if cells:
            the_suite = the_suite.cells([parse_cell(c) for c in cells])
        gen = GenerationConfig(
            temperature=temperature, top_p=top_p, top_k=top_k, max_new_tokens=max_new_tokens,
            samples=samples, seed=seed,
            thinking=thinking or resolved.get("thinking", "auto"),
            chat_template=(chat_template if chat_template is not None
                           else resolved.get("prompt_format", "chat") == "chat"),
            instruction=trained.get("instruction", GenerationConfig().instruction))
        spec = spec_from_suite(the_suite, gen, per_cell=per_cell, backend=backend,
                               device=device, dtype=dtype, batch_size=batch_size)
        outcomes = probe_training_dir(train_dir, spec, out, include_base=base)
    except (ConfigError, ProbeError, FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from None
    table = Table(title=f"probe {train_dir} on {spec.suite_name} ({len(spec.items)} items)")
    for col in ("step", "run", "accuracy"):
        table.add_column(col)
    for o in outcomes:
        acc = "done before" if o.skipped else f"{o.accuracy:.3f}" if o.accuracy is not None else "-"
        table.add_row(str(o.step), str(o.run_dir), acc)
    console.print(table)
