"""Every analysis over a base and its checkpoints, written into one directory.

`analyze_study` is what `reasonscope analyze all STUDY_DIR` (and the demo) calls. Stages whose
inputs are absent are skipped and say why in `analysis.json`; results go under the fixed names
of `results_io.FILES`, so the report shows whatever exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from reasonscope.analysis import results_io as rio
from reasonscope.analysis.features import SaeOptions, analyze_sae
from reasonscope.analysis.latents import LatentOptions, analyze_latents
from reasonscope.analysis.outputs import analyze_outputs
from reasonscope.analysis.params import ParamsOptions, ParamsReport, compare_params
from reasonscope.analysis.predictors import CheckpointStats, behavior_drift, correlate
from reasonscope.analysis.study_inputs import StudyInputs, training_items
from reasonscope.analysis.texts import TextSample, texts_from_run
from reasonscope.analysis.tokens import DivergenceScorer, TokenOptions, TokensReport
from reasonscope.genconfig import GenerationConfig

ANALYSES: tuple[str, ...] = ("params", "tokens", "latents", "sae", "outputs", "predictors")
PARAMS_GROUP = 4


@dataclass(frozen=True)
class StudyConfig:
    device: str | None = None
    dtype: str = "float32"
    batch_size: int = 8
    max_texts: int | None = 400
    """Stored samples per run scored by `tokens` (None: all)."""
    train_items: int = 32
    """Training prompts each checkpoint is sampled on for KL_train."""
    train_max_new_tokens: int | None = None
    """Default: the base evaluation run's max_new_tokens."""
    sae_layer: int | None = None
    """Default: the middle decoder block."""
    sae_width: int | None = None
    """Default: 8 x the hidden size."""
    sae_k: int = 16
    sae_steps: int = 300
    sae_batch: int = 1024
    models: Literal["final", "all"] = "final"
    """Checkpoints that latents and SAE look at: the last of each method, or all."""
    analyses: tuple[str, ...] = ANALYSES
    params: ParamsOptions = field(default_factory=ParamsOptions)
    seed: int = 0


@dataclass
class StudySummary:
    out: Path
    written: dict[str, str]
    skipped: dict[str, str]
    timings: dict[str, float]


Log = Callable[[str], None]


def _safe(label: str) -> str:
    return label.replace("/", "__")


def study_params(inputs: StudyInputs, opts: ParamsOptions) -> ParamsReport:
    """Final checkpoints of each method in the first pass (their update cosines: SFT vs RL),
    the rest in groups of PARAMS_GROUP, so memory stays at a few tensors per group."""
    finals = list(inputs.finals())
    order = finals + [k for k in inputs.checkpoints if k not in finals]
    report: ParamsReport | None = None
    for i in range(0, len(order), PARAMS_GROUP):
        group = {k: inputs.checkpoints[k] for k in order[i:i + PARAMS_GROUP]}
        part = compare_params(inputs.base, group, opts)
        if report is None:
            report = part
        else:
            report.models += part.models
            report.cosines += part.cosines
            report.tied_embeddings.update(part.tied_embeddings)
    assert report is not None
    return report


def _gen_config(inputs: StudyInputs, cfg: StudyConfig) -> GenerationConfig:
    from reasonscope.engine.store import read_manifest

    base_run = inputs.eval_runs.get("base")
    gen = (GenerationConfig.model_validate(read_manifest(base_run).gen_config)
           if base_run is not None else GenerationConfig(max_new_tokens=256))
    update: dict[str, Any] = {"samples": 1, "seed": cfg.seed}
    if cfg.train_max_new_tokens:
        update["max_new_tokens"] = cfg.train_max_new_tokens
    return gen.model_copy(update=update)


def sample_train_runs(inputs: StudyInputs, cfg: StudyConfig, out: Path) -> dict[str, Path]:
    """Each checkpoint's samples on its own training prompts (sampled once, then resumed)."""
    from reasonscope.engine.runner import run_items
    from reasonscope.items import items_hash

    runs = dict(inputs.train_runs)
    gen = _gen_config(inputs, cfg)
    for label, ckpt in inputs.checkpoints.items():
        data = inputs.train_data.get(label)
        if label in runs or data is None:
            continue
        items = training_items(data, cfg.train_items)
        if not items:
            continue
        target = out / "train-samples" / _safe(label)
        run_items(ckpt, items, gen, target, suite_name=f"train:{inputs.methods.get(label, '')}",
                  suite_hash=items_hash(items), step=inputs.steps.get(label),
                  device=cfg.device, batch_size=cfg.batch_size * 4, progress=False)
        runs[label] = target
    return runs


def _token_entry(label: str, split: str, method: str | None, report: TokensReport
                 ) -> dict[str, Any]:
    return {"model": label, "split": split, "method": method, **report.to_dict()}


def _positions(label: str, split: str, report: TokensReport) -> dict[str, np.ndarray]:
    n = report.positions["text_index"].size
    return {"model": np.full(n, label, dtype=object), "split": np.full(n, split, dtype=object),
            **report.positions}


def study_tokens(inputs: StudyInputs, cfg: StudyConfig, out: Path, log: Log
                 ) -> tuple[list[dict[str, Any]], dict[str, dict[str, float | None]]]:
    """KL on the evaluation samples (kl_eval) and on the training prompts (kl_train)."""
    opts = TokenOptions(device=cfg.device, dtype=cfg.dtype, batch_size=cfg.batch_size)
    scorer = DivergenceScorer(inputs.base, opts)
    sampled = sample_train_runs(inputs, cfg, out)
    entries: list[dict[str, Any]] = []
    columns: list[dict[str, np.ndarray]] = []
    kl: dict[str, dict[str, float | None]] = {}
    for label, ckpt in inputs.checkpoints.items():
        for split, run in (("eval", inputs.eval_runs.get(label)), ("train", sampled.get(label))):
            if run is None:
                continue
            texts = texts_from_run(run, scorer.tokenizer, limit=cfg.max_texts)
            report = scorer.score(ckpt, texts)
            entries.append(_token_entry(label, split, inputs.methods.get(label), report))
            columns.append(_positions(label, split, report))
            kl.setdefault(label, {})[f"kl_{split}"] = report.overall.kl_tuned_base
            log(f"tokens {label} ({split}): mean KL(tuned||base) "
                f"{report.overall.kl_tuned_base}")
    if columns:
        merged = {k: np.concatenate([c[k] for c in columns]) for k in columns[0]}
        rio.write_table(out / rio.POSITIONS_TABLE, merged)
    return entries, kl


def _item_prompts(run: Path, tokenizer: Any, limit: int | None) -> list[TextSample]:
    """One text per item (its first sample's prompt), for representations of the question."""
    seen: set[str | None] = set()
    out: list[TextSample] = []
    for s in texts_from_run(run, tokenizer):
        if s.item_id not in seen:
            seen.add(s.item_id)
            out.append(replace(s, index=len(out), completion=""))
    return out[:limit] if limit else out


def analyze_study(base: Path | str, checkpoints: Mapping[str, Path | str], out: Path | str,
                  *, eval_runs: Mapping[str, Path | str] | None = None,
                  methods: Mapping[str, str] | None = None,
                  steps: Mapping[str, int] | None = None,
                  train_data: Mapping[str, Path | str] | None = None,
                  train_runs: Mapping[str, Path | str] | None = None,
                  config: StudyConfig | None = None, log: Log | None = None) -> StudySummary:
    """Run the analyses of `config.analyses` over `base` and `checkpoints` into `out`.

    `eval_runs` maps "base" and checkpoint labels to evaluation runs; `train_data` maps labels
    to the training JSONL (for KL_train, sampled here) or `train_runs` to existing runs of the
    checkpoint on its training prompts."""
    inputs = StudyInputs(
        base=Path(base), checkpoints={k: Path(v) for k, v in checkpoints.items()},
        methods=dict(methods or {}), steps=dict(steps or {}),
        eval_runs={k: Path(v) for k, v in (eval_runs or {}).items()},
        train_data={k: Path(v) for k, v in (train_data or {}).items()},
        train_runs={k: Path(v) for k, v in (train_runs or {}).items()})
    return run_study(inputs, Path(out), config or StudyConfig(), log or (lambda _m: None))


def run_study(inputs: StudyInputs, out: Path, cfg: StudyConfig, log: Log) -> StudySummary:
    out.mkdir(parents=True, exist_ok=True)
    summary = StudySummary(out=out, written={}, skipped={}, timings={})
    wanted = [a for a in ANALYSES if a in cfg.analyses]
    stats: dict[str, dict[str, float | None]] = {k: {} for k in inputs.checkpoints}
    has_runs = "base" in inputs.eval_runs

    def stage(name: str, fn: Callable[[], Any]) -> None:
        if name not in wanted:
            return
        t0 = time.perf_counter()
        log(f"[{name}]")
        data = fn()
        summary.timings[name] = round(time.perf_counter() - t0, 2)
        if data is None:
            return
        rio.write_json(out, name, data)
        summary.written[name] = rio.FILES[name]

    def params() -> Any:
        report = study_params(inputs, cfg.params)
        rio.write_table(out / rio.PARAMS_TABLE, report.to_dict()["tensors"])
        for m in report.models:
            stats.setdefault(m.label, {}).update(
                changed_frac_exact=m.overall.changed_frac_exact,
                changed_frac_bf16=m.overall.changed_frac_bf16,
                changed_frac_tol=m.overall.changed_frac_tol, rel_update=m.overall.rel_update)
        return report.to_dict()

    def tokens() -> Any:
        entries, kl = study_tokens(inputs, cfg, out, log)
        for label, values in kl.items():
            stats.setdefault(label, {}).update(values)
        if not entries:
            summary.skipped["tokens"] = "no evaluation runs or training prompts to score"
            return None
        return {"runs": entries}

    def latents() -> Any:
        if not has_runs:
            summary.skipped["latents"] = "no base evaluation run (its prompts are the texts)"
            return None
        from reasonscope.analysis.models import load_tokenizer

        texts = _item_prompts(inputs.eval_runs["base"], load_tokenizer(inputs.base),
                              cfg.max_texts)
        chosen = inputs.finals() if cfg.models == "final" else inputs.checkpoints
        opts = LatentOptions(device=cfg.device, dtype=cfg.dtype, batch_size=cfg.batch_size,
                             span="prompt", seed=cfg.seed)
        return analyze_latents(inputs.base, chosen, texts, opts).to_dict()

    def sae() -> Any:
        if not has_runs:
            summary.skipped["sae"] = "no base evaluation run (its samples are the texts)"
            return None
        from transformers import AutoConfig

        from reasonscope.analysis.models import load_tokenizer

        conf = AutoConfig.from_pretrained(str(inputs.base))
        conf = getattr(conf, "text_config", conf)
        layer = cfg.sae_layer if cfg.sae_layer is not None else conf.num_hidden_layers // 2
        texts = texts_from_run(inputs.eval_runs["base"], load_tokenizer(inputs.base),
                               limit=cfg.max_texts)
        opts = SaeOptions(layer=layer, width=cfg.sae_width or 8 * conf.hidden_size, k=cfg.sae_k,
                          steps=cfg.sae_steps, batch_size=cfg.sae_batch, seed=cfg.seed,
                          device=cfg.device, dtype=cfg.dtype, forward_batch=cfg.batch_size)
        chosen = inputs.finals() if cfg.models == "final" else inputs.checkpoints
        return analyze_sae(inputs.base, texts, out / "sae", opts, chosen).to_dict()

    def outputs() -> Any:
        if not inputs.eval_runs:
            summary.skipped["outputs"] = "no evaluation runs"
            return None
        return analyze_outputs(inputs.eval_runs).to_dict()

    def predictors() -> Any:
        if not has_runs:
            summary.skipped["predictors"] = "no base evaluation run (no behavioral drift)"
            return None
        runs = {k: v for k, v in inputs.eval_runs.items() if k != "base"}
        drift = behavior_drift(inputs.eval_runs["base"], runs)
        rows = [CheckpointStats(label, inputs.methods.get(label), stats.get(label, {}),
                                drift.get(label, {})) for label in inputs.checkpoints]
        return correlate(rows).to_dict()

    for name, fn in (("params", params), ("tokens", tokens), ("latents", latents),
                     ("sae", sae), ("outputs", outputs), ("predictors", predictors)):
        stage(name, fn)
    rio.write_json(out, "study", {
        "base": inputs.base, "checkpoints": inputs.checkpoints, "methods": inputs.methods,
        "eval_runs": inputs.eval_runs, "written": summary.written, "skipped": summary.skipped,
        "timings": summary.timings})
    return summary
