"""`train grpo`: reinforcement learning with verifiable rewards (TRL GRPOTrainer).

Reward = the evaluation scorer (1 if correct else 0) plus optional format and overlong terms.
The study's settings are written out in full: G = 16 rollouts per prompt, beta = 0 (no KL, no
reference model), clip range 0.2 / 0.28, rollout temperature 1.0, and a named loss variant
(default DAPO token-level aggregation). Per step the log keeps the reward mean/std, the share of
groups whose rollouts all got the same reward (`frac_reward_zero_std`: no learning signal), the
clipped-completion ratio and the mean completion length. A run whose groups mostly carry no
signal is reported as such, not as a trained model.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from reasonscope.train.config import (
    LOSS_DESCRIPTIONS,
    STEP_LOG_NAME,
    GRPOConfig,
    check_grpo_batch,
    is_main_process,
)
from reasonscope.train.data import grpo_rows, thinking_kwargs
from reasonscope.train.prepare import (
    Prepared,
    common_trainer_args,
    prepare,
    write_resolved,
    write_summary,
)
from reasonscope.train.rewards import build_rewards

log = logging.getLogger(__name__)

SIGNAL_KEYS = ("reward", "reward_std", "frac_reward_zero_std", "completions/clipped_ratio",
               "completions/mean_length")


def _trl_config(prep: Prepared, cfg: GRPOConfig, reward_weights: list[float]) -> Any:
    from trl import GRPOConfig as TRLGRPOConfig

    return TRLGRPOConfig(
        **common_trainer_args(prep),
        remove_unused_columns=False,
        shuffle_dataset=cfg.shuffle_dataset,
        disable_dropout=cfg.disable_dropout,
        num_generations=cfg.num_generations,
        steps_per_generation=cfg.steps_per_generation or cfg.grad_accum,
        generation_batch_size=None,
        max_completion_length=cfg.max_completion_length,
        temperature=cfg.temperature,
        top_p=cfg.top_p,
        top_k=cfg.top_k,
        min_p=cfg.min_p,
        repetition_penalty=cfg.repetition_penalty,
        chat_template_kwargs=None,
        beta=cfg.beta,
        num_iterations=cfg.num_iterations,
        epsilon=cfg.epsilon,
        epsilon_high=cfg.epsilon_high,
        delta=None,
        loss_type=cfg.loss_type,
        scale_rewards=cfg.scale_rewards,
        importance_sampling_level=cfg.importance_sampling_level,
        mask_truncated_completions=cfg.mask_truncated_completions,
        reward_weights=reward_weights,
        multi_objective_aggregation="sum_then_normalize",
        top_entropy_quantile=1.0,
        entropy_coef=0.0,
        use_adaptive_entropy=False,
        sync_ref_model=False,
        cast_lm_head_to_fp32=False,
        use_vllm=cfg.use_vllm,
        vllm_mode=cfg.vllm_mode,
        vllm_server_base_url=cfg.vllm_server_base_url,
        vllm_server_host=cfg.vllm_server_host,
        vllm_server_port=cfg.vllm_server_port,
        vllm_server_timeout=cfg.vllm_server_timeout,
        vllm_gpu_memory_utilization=cfg.vllm_gpu_memory_utilization,
        vllm_tensor_parallel_size=cfg.vllm_tensor_parallel_size,
        vllm_importance_sampling_correction=cfg.vllm_importance_sampling_correction,
        log_completions=False,
    )


def _rollout_hook(cfg: GRPOConfig) -> dict[str, Any]:
    """GRPOTrainer's `rollout_func` when the project's decoder samples the rollouts. TRL marks
    the hook experimental, so its contract is checked here: another TRL fails with a clear
    message, not inside a training step."""
    if cfg.rollouts != "decoder":
        return {}
    import typing

    import trl.trainer.grpo_trainer as trl_grpo

    from reasonscope.train.config import ConfigError
    from reasonscope.train.rollouts import decoder_rollouts

    hook = getattr(trl_grpo, "RolloutFunc", None)
    params = typing.get_args(hook)[0] if hook is not None and typing.get_args(hook) else None
    if not isinstance(params, list) or len(params) != 2:
        raise ConfigError("rollouts='decoder' needs a TRL whose GRPOTrainer passes "
                          "(prompts, trainer) to rollout_func (TRL 1.x); use rollouts='trl'")
    return {"rollout_func": decoder_rollouts(
        seed=cfg.seed, max_new_tokens=cfg.max_completion_length, temperature=cfg.temperature,
        top_p=cfg.top_p, top_k=cfg.top_k)}


def signal_summary(records: Sequence[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """Whether the run had a learning signal: mean `frac_reward_zero_std` over logged steps."""
    zero = [r["frac_reward_zero_std"] for r in records
            if isinstance(r.get("frac_reward_zero_std"), int | float)]
    rewards = [r["reward"] for r in records if isinstance(r.get("reward"), int | float)]
    mean_zero = sum(zero) / len(zero) if zero else None
    no_signal = mean_zero is None or mean_zero > threshold
    out: dict[str, Any] = {
        "logged_steps": len(records),
        "mean_frac_reward_zero_std": mean_zero,
        "steps_without_signal": sum(1 for z in zero if z >= 1.0),
        "threshold": threshold,
        "first_reward": rewards[0] if rewards else None,
        "last_reward": rewards[-1] if rewards else None,
        "mean_reward": sum(rewards) / len(rewards) if rewards else None,
        "status": "no_signal" if no_signal else "trained",
    }
    for key in ("completions/clipped_ratio", "completions/mean_length"):
        vals = [r[key] for r in records if isinstance(r.get(key), int | float)]
        out[f"mean_{key.split('/')[-1]}"] = sum(vals) / len(vals) if vals else None
    if no_signal:
        share = "no logged step" if mean_zero is None else f"{mean_zero:.0%} of groups"
        out["warning"] = (
            f"NO LEARNING SIGNAL: in {share} every rollout got the same reward "
            f"(threshold {threshold:.0%}), so the policy gradient was (almost) zero. These "
            "checkpoints are not a GRPO-trained model; start from a stronger base (SFT first), "
            "use easier problems or more generations per prompt.")
    return out


def run_grpo(cfg: GRPOConfig, *, resume: bool = False, console: Console | None = None,
             callbacks: Sequence[Any] = ()) -> dict[str, Any]:
    """Train, checkpoint on schedule, and return (and save) the run summary."""
    gen_batch = check_grpo_batch(cfg)  # before anything is read or loaded
    prep = prepare(cfg, style=None, need_completion=False, need_answer=True, resume=resume)
    rows = grpo_rows(prep.examples, prep.tokenizer, chat=prep.chat, thinking=prep.thinking)
    funcs, weights = build_rewards(
        correct_weight=cfg.correct_weight, format_weight=cfg.format_weight,
        overlong_buffer=cfg.overlong_buffer, overlong_weight=cfg.overlong_weight,
        max_completion_length=cfg.max_completion_length)

    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar
    from transformers import set_seed
    from trl import GRPOTrainer

    from reasonscope.train.callbacks import (
        DtypeGuardCallback,
        StepLogCallback,
        read_step_log,
        use_rich_progress,
    )
    from reasonscope.train.modelio import checkpoints, load_model
    from reasonscope.train.probe import probe_callback_from_config

    disable_progress_bar()  # the rich bar reports training; dataset maps take milliseconds here
    set_seed(cfg.seed)
    model = load_model(prep.model_dir, prep.train_dtype)
    args = _trl_config(prep, cfg, weights)
    extra: list[Any] = [StepLogCallback(prep.out / STEP_LOG_NAME),
                        DtypeGuardCallback(prep.base_dtype)]
    probe_cb = probe_callback_from_config(prep)
    if probe_cb is not None:
        extra.append(probe_cb)
    with warnings.catch_warnings():  # TRL marks its rollout_func hook experimental
        warnings.filterwarnings("ignore", message="You are using 'rollout_func'")
        trainer = GRPOTrainer(model=model, reward_funcs=funcs, args=args,
                              train_dataset=Dataset.from_list(rows),
                              processing_class=prep.tokenizer, callbacks=[*extra, *callbacks],
                              **_rollout_hook(cfg))
    use_rich_progress(trainer, console, f"grpo (G={cfg.num_generations}, {cfg.loss_type})")
    if is_main_process():
        write_resolved(prep, args.to_dict(), {
            "loss_variant": cfg.loss_type, "loss_description": LOSS_DESCRIPTIONS[cfg.loss_type],
            "generation_batch_size": gen_batch,
            "prompts_per_generation_round": gen_batch // cfg.num_generations,
            "rollouts": cfg.rollouts,
            "reward_terms": [f.__name__ for f in funcs], "reward_weights": weights,
            "chat_template_kwargs": thinking_kwargs(prep.thinking),
            "example_prompt": rows[0]["prompt"]})
    trainer.train(resume_from_checkpoint=str(prep.resume_from) if prep.resume_from else None)

    records = read_step_log(prep.out / STEP_LOG_NAME)
    signal = signal_summary(records, cfg.no_signal_threshold)
    summary = {"kind": "grpo", "loss_variant": cfg.loss_type,
               "global_step": trainer.state.global_step,
               "checkpoints": [p.name for _, p in checkpoints(prep.out)],
               "checkpoint_dtype": prep.base_dtype, **signal}
    if is_main_process():
        write_summary(prep.out, summary)
        if signal["status"] == "no_signal":
            log.warning(signal["warning"])
    return summary
