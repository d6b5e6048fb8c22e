"""`reasonscope analyze`: the low-level analyses (DESIGN section 8) as thin commands.

Each command parses its options, calls one library function of reasonscope.analysis, prints a
summary (or the JSON with --json) and, with --out, writes the results under fixed names in that
directory (what `reasonscope report --analysis DIR` reads). Every computation finishes before
anything is written, so a failure leaves no partial result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from reasonscope.analysis.texts import TextSample

analyze_app = typer.Typer(help="Low-level analyses: weights, token divergence, hidden states, "
                               "SAE features, outputs.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

JSON_HELP = "print every number as JSON on stdout"
OUT_HELP = "directory to write the results into (JSON + Parquet, fixed names)"
DEVICE_HELP = "torch device (default: cuda when available, else cpu)"
BATCH_HELP = "texts per forward pass"
DTYPE_HELP = "weights dtype for the forward passes (float32 | bfloat16 | float16)"
Json = Annotated[bool, typer.Option("--json", help=JSON_HELP)]
Out = Annotated[Path | None, typer.Option("--out", help=OUT_HELP)]
Device = Annotated[str | None, typer.Option(help=DEVICE_HELP)]
Batch = Annotated[int, typer.Option("--batch-size", min=1, help=BATCH_HELP)]
DType = Annotated[str, typer.Option(help=DTYPE_HELP)]
RunOpt = Annotated[Path | None, typer.Option("--run", help="stored run directory: its samples")]
TextsOpt = Annotated[Path | None, typer.Option(
    "--texts", help="JSONL of {prompt, completion[, behavior, domain, item_id]}")]
SuiteOpt = Annotated[str | None, typer.Option("--suite", help="suite name or JSONL (prompts)")]
Limit = Annotated[int | None, typer.Option(help="at most this many texts")]


def register(app: typer.Typer) -> None:
    app.add_typer(analyze_app, name="analyze")


def _fail(exc: BaseException) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _errors() -> tuple[type[BaseException], ...]:
    from reasonscope.analysis.models import TokenizerMismatchError
    from reasonscope.analysis.safetensors_io import CheckpointError
    from reasonscope.analysis.study_inputs import StudyLayoutError
    from reasonscope.analysis.texts import TextFileError
    from reasonscope.engine.store import RunDirError
    from reasonscope.items import ItemFileError

    return (CheckpointError, TokenizerMismatchError, TextFileError, RunDirError, ItemFileError,
            StudyLayoutError, FileNotFoundError, ValueError, OSError)


def _emit(data: Any, as_json: bool) -> None:
    if as_json:
        from reasonscope.analysis.results_io import dumps

        typer.echo(dumps(data), nl=False)


def _f(x: Any, digits: int = 4) -> str:
    return "–" if x is None else (f"{x:.{digits}g}" if isinstance(x, float) else str(x))


def _table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title)
    for i, h in enumerate(header):
        table.add_column(h, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(_f(x) for x in row))
    console.print(table)


def _texts(tokenizer_dir: Path, run: Path | None, texts: Path | None, suite: str | None,
           limit: int | None, per_cell: int | None = None) -> list[TextSample]:
    from reasonscope.analysis.models import load_tokenizer
    from reasonscope.analysis.texts import texts_from_items, texts_from_jsonl, texts_from_run

    given = [x for x in (run, texts, suite) if x is not None]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of --run, --texts, --suite")
    tok = load_tokenizer(tokenizer_dir)
    if run is not None:
        return texts_from_run(run, tok, limit=limit)
    if texts is not None:
        return texts_from_jsonl(texts)[:limit]
    from reasonscope.bench.suites import load_suite

    items = list(load_suite(str(suite)).items)
    if per_cell:
        seen: dict[tuple[str, str], int] = {}
        keep = []
        for it in items:
            key = (it.behavior.value, it.domain.value)
            if seen.get(key, 0) < per_cell:
                seen[key] = seen.get(key, 0) + 1
                keep.append(it)
        items = keep
    return texts_from_items(items[:limit] if limit else items, tok)


@analyze_app.command("params")
def params_cmd(
    base: Annotated[Path, typer.Argument(help="base checkpoint (dir or .safetensors)")],
    tuned: Annotated[list[Path], typer.Argument(help="tuned checkpoint(s) of the same base")],
    atol: Annotated[float, typer.Option(help="absolute tolerance of changed_frac_tol")] = 1e-5,
    rtol: Annotated[float, typer.Option(help="relative tolerance of changed_frac_tol")] = 0.0,
    spectral: Annotated[int, typer.Option(help="principal angles of the top-k singular "
                                               "subspaces (0: off)")] = 0,
    power_iters: Annotated[int, typer.Option(min=0, help="extra power iterations for σ_max "
                                                         "of large matrices (each one pass)")
                           ] = 0,
    strict: Annotated[bool, typer.Option(help="exit 1 when any tensor is missing, extra or "
                                              "reshaped")] = False,
    as_json: Json = False, out: Out = None,
) -> None:
    """Per-tensor changed fractions (exact / bf16 / tolerance), update norms and stable rank,
    streamed one tensor pair at a time; aggregates by layer and module."""
    from reasonscope.analysis import results_io as rio
    from reasonscope.analysis.params import ParamsOptions, compare_params, default_labels
    from reasonscope.analysis.safetensors_io import open_checkpoint
    from reasonscope.engine.progress import Progress

    try:
        total = sum(open_checkpoint(p).total_bytes for p in (base, *tuned))
        with Progress(total // (1 << 20), unit="MiB", label="params",
                      enabled=not as_json) as bar:
            report = compare_params(base, default_labels(tuned), ParamsOptions(
                atol=atol, rtol=rtol, spectral_k=spectral, power_iters=power_iters),
                progress=lambda _n, nbytes: bar.advance(nbytes >> 20))
    except _errors() as exc:
        raise _fail(exc) from None
    data = report.to_dict()
    for p in data["problems"]:
        err.print(f"[yellow]{p['model']}: {p['kind']} {p['name']}[/yellow]: {p['detail']}",
                  highlight=False, soft_wrap=True)
    hard = [p for p in data["problems"] if p["kind"] in ("missing", "extra", "shape")]
    if strict and hard:
        err.print(f"[red]{len(hard)} tensor(s) cannot be compared (--strict); nothing written")
        raise typer.Exit(1)
    if out is not None:
        rio.write_table(out / rio.PARAMS_TABLE, data["tensors"])
        rio.write_json(out, "params", data)
    if as_json:
        return _emit(data, True)
    _table("whole model", ["model", "tensors", "exact", "bf16", "tol", "mean |Δ|", "‖Δ‖/‖W0‖"],
           [[r["model"], r["n_tensors"], r["changed_frac_exact"], r["changed_frac_bf16"],
             r["changed_frac_tol"], r["mean_abs"], r["rel_update"]] for r in data["overall"]])
    _table("by module", ["model", "module", "exact", "bf16", "tol", "‖Δ‖/‖W0‖"],
           [[r["model"], r["key"], r["changed_frac_exact"], r["changed_frac_bf16"],
             r["changed_frac_tol"], r["rel_update"]] for r in data["by_module"]])
    for c in (c for c in data["cosines"] if c["name"] == "*"):
        console.print(f"cosine of updates {c['a']} vs {c['b']}: {_f(c['cosine'])}")


@analyze_app.command("tokens")
def tokens_cmd(
    base: Annotated[Path, typer.Option("--base", help="base model directory")],
    tuned: Annotated[Path, typer.Option("--tuned", help="tuned model directory")],
    run: RunOpt = None, texts: TextsOpt = None, limit: Limit = None,
    split: Annotated[str, typer.Option(help="what the texts are (eval | train | ...)")] = "eval",
    device: Device = None, batch_size: Batch = 8, dtype: DType = "float32",
    as_json: Json = False, out: Out = None,
) -> None:
    """Teacher-forced KL both ways, JS, top-1 agreement, Δ log-prob and rank change of the
    realized token, on completion tokens only."""
    from reasonscope.analysis import results_io as rio
    from reasonscope.analysis.tokens import TokenOptions, analyze_tokens
    from reasonscope.engine.progress import Progress

    try:
        samples = _texts(base, run, texts, None, limit)
        with Progress(len(samples), label="tokens", unit="texts", enabled=not as_json) as bar:
            report = analyze_tokens(base, tuned, samples, TokenOptions(
                device=device, dtype=dtype, batch_size=batch_size), progress=bar.advance)
    except _errors() as exc:
        raise _fail(exc) from None
    data = report.to_dict()
    if out is not None:
        entry = {"model": tuned.name, "split": split, "method": None, **data}
        rio.write_json(out, "tokens", rio.merge_runs(rio.read_json(out, "tokens"), [entry]))
    if as_json:
        return _emit(data, True)
    o = data["overall"]
    _table(f"{tuned} vs {base}", ["texts", "tokens", "KL(t‖b)", "KL(b‖t)", "JS", "top-1",
                                  f"KL>{report.kl_threshold}"],
           [[o["n_texts"], o["n_tokens"], o["kl_tuned_base"], o["kl_base_tuned"], o["js"],
             o["top1_agree"], o["share_kl_above"]]])
    _table("per cell", ["cell", "texts", "KL(t‖b)", "top-1"],
           [[c["key"], c["n_texts"], c["kl_tuned_base"], c["top1_agree"]]
            for c in data["cells"]])


@analyze_app.command("latents")
def latents_cmd(
    base: Annotated[Path, typer.Option("--base", help="base model directory (PCA reference)")],
    tuned: Annotated[list[Path] | None, typer.Option("--tuned", help="tuned model(s)")] = None,
    run: RunOpt = None, texts: TextsOpt = None, suite: SuiteOpt = None, limit: Limit = None,
    per_cell: Annotated[int | None, typer.Option(help="suite items per cell")] = None,
    span: Annotated[str, typer.Option(help="tokens pooled: all | prompt | completion")] = "all",
    folds: Annotated[int, typer.Option(min=2, help="cross-validation folds")] = 5,
    device: Device = None, batch_size: Batch = 8, dtype: DType = "float32",
    as_json: Json = False, out: Out = None,
) -> None:
    """Mean-pooled hidden states per layer: base-fitted PCA, centroid shifts of each tuned
    model, and cross-validated logistic-regression probes for behavior and domain."""
    from reasonscope.analysis import results_io as rio
    from reasonscope.analysis.latents import LatentOptions, Span, analyze_latents
    from reasonscope.analysis.params import default_labels

    if span not in ("all", "prompt", "completion"):
        raise typer.BadParameter("--span must be all, prompt or completion")
    try:
        samples = _texts(base, run, texts, suite, limit, per_cell)
        report = analyze_latents(base, default_labels(tuned or []), samples, LatentOptions(
            device=device, dtype=dtype, batch_size=batch_size, span=cast("Span", span),
            folds=folds))
    except _errors() as exc:
        raise _fail(exc) from None
    data = report.to_dict()
    if out is not None:
        rio.write_json(out, "latents", data)
    if as_json:
        return _emit(data, True)
    _table("probe accuracy (behavior)", ["model", "layer", "accuracy", "shuffled", "chance"],
           [[p["model"], p["layer"], p["accuracy"], p["shuffled_accuracy"], p["chance"]]
            for p in data["probes"] if p["target"] == "behavior"])


@analyze_app.command("sae")
def sae_cmd(
    model: Annotated[Path, typer.Option("--model", help="model whose residual stream is used")],
    layer: Annotated[int, typer.Option(help="decoder block whose output is encoded")],
    out: Annotated[Path, typer.Option("--out", help="directory: <hook>/cfg.json, "
                                                    "sae.safetensors, sae.json")],
    width: Annotated[int, typer.Option(min=1, help="latents")] = 4096,
    k: Annotated[int, typer.Option(min=1, help="active latents per token")] = 32,
    steps: Annotated[int, typer.Option(min=1, help="optimizer steps")] = 1000,
    sae_batch: Annotated[int, typer.Option(min=2, help="activation vectors per step")] = 4096,
    tuned: Annotated[list[Path] | None, typer.Option("--tuned", help="checkpoints to apply the "
                                                                     "SAE to")] = None,
    run: RunOpt = None, texts: TextsOpt = None, suite: SuiteOpt = None, limit: Limit = None,
    per_cell: Annotated[int | None, typer.Option(help="suite items per cell")] = None,
    device: Device = None, batch_size: Batch = 8, dtype: DType = "float32",
    seed: Annotated[int, typer.Option(help="seed")] = 0, as_json: Json = False,
) -> None:
    """Train a TopK SAE on the residual stream at one layer (sparsify layout), report FVU, L0,
    dead latents and behavior-selective latents, and apply it to tuned checkpoints."""
    from reasonscope.analysis import results_io as rio
    from reasonscope.analysis.features import SaeOptions, analyze_sae
    from reasonscope.analysis.params import default_labels
    from reasonscope.engine.progress import Progress

    try:
        samples = _texts(model, run, texts, suite, limit, per_cell)
        opts = SaeOptions(layer=layer, width=width, k=k, steps=steps, batch_size=sae_batch,
                          seed=seed, device=device, dtype=dtype, forward_batch=batch_size)
        with Progress(steps, label="sae", unit="steps", enabled=not as_json) as bar:
            report = analyze_sae(model, samples, out / "sae", opts, default_labels(tuned or []),
                                 progress=None if as_json else lambda n: bar.advance(n))
    except _errors() as exc:
        raise _fail(exc) from None
    data = report.to_dict()
    rio.write_json(out, "sae", data)
    if as_json:
        return _emit(data, True)
    console.print(f"SAE saved in {report.sae_dir}")
    _table("SAE", ["model", "FVU", "FVU held out", "L0", "dead"],
           [[report.model, report.fvu, report.fvu_heldout, report.l0, report.dead_frac],
            *([c.model, c.fvu, None, c.l0, c.dead_frac] for c in report.checkpoints)])
    _table("selective latents (AUROC >= 0.8)", ["behavior", "count"],
           [[b, n] for b, n in report.selective_counts.items()])


@analyze_app.command("outputs")
def outputs_cmd(
    runs: Annotated[list[Path], typer.Argument(help="run directories")],
    as_json: Json = False, out: Out = None,
) -> None:
    """Length, truncation, parse rate, reflection words and repeated 4-grams per cell."""
    from reasonscope.analysis import results_io as rio
    from reasonscope.analysis.outputs import analyze_outputs
    from reasonscope.analysis.params import default_labels

    try:
        report = analyze_outputs(default_labels(runs))
    except _errors() as exc:
        raise _fail(exc) from None
    data = report.to_dict()
    if out is not None:
        rio.write_json(out, "outputs", data)
    if as_json:
        return _emit(data, True)
    _table("outputs", ["run", "samples", "tokens", "truncated", "parsed", "reflect/100w",
                       "repeat 4-gram"],
           [[c["model"], c["n_samples"], c["length_tokens"], c["truncation_rate"],
             c["parse_rate"], c["reflection_rate"], c["repeat_4gram"]] for c in data["overall"]])


@analyze_app.command("all")
def all_cmd(
    study: Annotated[Path, typer.Argument(help="study directory (train/, runs/: as the demo "
                                               "writes it)")],
    out: Annotated[Path | None, typer.Option("--out", help="default: STUDY/analysis")] = None,
    only: Annotated[str | None, typer.Option(help="comma-separated subset of params,tokens,"
                                                  "latents,sae,outputs,predictors")] = None,
    max_texts: Annotated[int, typer.Option(help="samples per run scored by tokens/SAE")] = 400,
    train_items: Annotated[int, typer.Option(help="training prompts sampled per checkpoint "
                                                  "for KL_train")] = 32,
    sae_steps: Annotated[int, typer.Option(help="SAE optimizer steps")] = 300,
    all_models: Annotated[bool, typer.Option("--all-checkpoints", help="latents and SAE on "
                                             "every checkpoint (default: last of each method)")
                          ] = False,
    device: Device = None, batch_size: Batch = 8, dtype: DType = "float32",
) -> None:
    """Every analysis over the study's base and checkpoints; `reasonscope report --analysis
    OUT` shows them."""
    from reasonscope.analysis.study import ANALYSES, StudyConfig, run_study
    from reasonscope.analysis.study_inputs import discover_study

    chosen = tuple(a.strip() for a in only.split(",")) if only else ANALYSES
    unknown = [a for a in chosen if a not in ANALYSES]
    if unknown:
        raise typer.BadParameter(f"unknown analysis {unknown[0]!r}; choose from "
                                 f"{', '.join(ANALYSES)}")
    cfg = StudyConfig(device=device, dtype=dtype, batch_size=batch_size, max_texts=max_texts,
                      train_items=train_items, sae_steps=sae_steps, analyses=chosen,
                      models="all" if all_models else "final")
    try:
        inputs = discover_study(study)
        summary = run_study(inputs, out or study / "analysis", cfg,
                            lambda m: console.print(m, highlight=False, soft_wrap=True))
    except _errors() as exc:
        raise _fail(exc) from None
    for name, why in summary.skipped.items():
        err.print(f"[yellow]{name} skipped[/yellow]: {why}", soft_wrap=True)
    console.print(json.dumps({"out": str(summary.out), "written": summary.written,
                              "timings": summary.timings}, indent=2))
