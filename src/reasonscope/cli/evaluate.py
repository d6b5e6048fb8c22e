"""`reasonscope eval`, `rescore` and `runs`: generate into run directories and read them back.

Only typer/rich and light project modules are imported at module level; torch and
transformers load inside the commands that need them, so `reasonscope --help` stays fast.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from reasonscope.bench.suites import DEFAULT_SUITE
from reasonscope.cli.errors import fail
from reasonscope.cli.modelopts import with_model_options
from reasonscope.cli.runopts import (
    GENERATION_OPTIONS,
    SELECTION_OPTIONS,
    budget_warning,
    build_task,
)
from reasonscope.engine.store import RunDirError

if TYPE_CHECKING:
    from reasonscope.results.fold import CellStats

console = Console()
runs_app = typer.Typer(help="List, query (SQL) and export run directories.",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cmd)
    app.command("rescore")(rescore_cmd)
    app.add_typer(runs_app, name="runs")


def cell_table(stats: Sequence[CellStats], title: str) -> Table:
    table = Table(title=title)
    for name in ("behavior", "domain"):
        table.add_column(name)
    for name in ("items", "samples", "accuracy", "parsed", "truncated"):
        table.add_column(name, justify="right")
    for s in stats:
        table.add_row(s.behavior, s.domain, str(s.items), str(s.samples), f"{s.accuracy:.3f}",
                      f"{s.parse_rate:.1%}", f"{s.truncation_rate:.1%}")
    return table


@with_model_options(SELECTION_OPTIONS, GENERATION_OPTIONS)
def eval_cmd(
    model: Annotated[str, typer.Option(help="local checkpoint directory, cached hub id, or the "
                                       "served model name (openai backend)")],
    out: Annotated[Path, typer.Option(help="run directory: created, or resumed when it holds "
                                      "the same model and settings")],
    selection: dict[str, Any],
    generation: dict[str, Any],
    suite: Annotated[str, typer.Option(help="built-in suite name or JSONL file")] = DEFAULT_SUITE,
    backend: Annotated[str, typer.Option(help="hf | openai | vllm | sglang")] = "hf",
    base_url: Annotated[str | None, typer.Option(help="server URL, e.g. "
                                                 "http://127.0.0.1:8000/v1")] = None,
    api_key: Annotated[str | None, typer.Option(envvar="OPENAI_API_KEY",
                                                show_envvar=True)] = None,
    endpoint: Annotated[str, typer.Option(help="chat | completions (openai)")] = "chat",
    concurrency: Annotated[int, typer.Option(help="parallel requests (openai)")] = 16,
    n_per_request: Annotated[bool, typer.Option(help="ask for all samples of an item in one "
                                                "request (openai; one seed per item)")] = False,
    weights: Annotated[Path | None, typer.Option(help="local copy of the served weights, to "
                                                 "fingerprint them (openai)")] = None,
    batch_size: Annotated[int | None, typer.Option(min=1, help="sequences per batch (hf; "
                                                   "default: 64 on CPU, from free memory on "
                                                   "CUDA)")] = None,
    device: Annotated[str | None, typer.Option(help="cpu, cuda, cuda:1 (hf)")] = None,
    dtype: Annotated[str | None, typer.Option(help="auto | float32 | bfloat16 | float16 (hf; "
                                              "default bf16 on CUDA, fp32 on CPU)")] = None,
    max_prompt_tokens: Annotated[int | None, typer.Option(
        min=1, help="refuse items whose prompt is longer (default: the model's context length "
        "minus --max-new-tokens)")] = None,
    step: Annotated[int | None, typer.Option(help="training step of this checkpoint")] = None,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Generate and score completions of a model on a suite into a run directory."""
    from reasonscope.api import evaluate

    task = build_task(suite, selection, generation)
    budget_warning(task)
    kwargs: dict[str, Any] = {}
    if backend != "hf":
        kwargs = {"base_url": base_url, "api_key": api_key, "endpoint": endpoint,
                  "concurrency": concurrency, "n_per_request": n_per_request,
                  "weights": weights}
    elif base_url or weights:
        raise fail("--base-url/--weights need a server backend (--backend openai|vllm|sglang)")
    if max_prompt_tokens is not None:
        kwargs["max_prompt_tokens"] = max_prompt_tokens
    try:
        summary = evaluate(task, model, out, backend=backend, step=step, device=device,
                           dtype=dtype, batch_size=batch_size, progress=not quiet, **kwargs)
    except (RunDirError, ValueError, FileNotFoundError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        where = exc.filename or out
        raise fail(f"{where}: {exc.strerror or exc} (is --out a writable directory?)") from None
    console.print(cell_table(summary.cells, f"{model} on {task.suite_name}"))
    acc = "n/a" if math.isnan(summary.accuracy) else f"{summary.accuracy:.3f}"
    console.print(f"{summary.n_rows} samples ({summary.n_new} new) in {out}; accuracy {acc}; "
                  f"{summary.elapsed_s:.1f} s, {summary.tokens_per_s:.0f} tokens/s")


def rescore_cmd(
    run: Annotated[Path, typer.Argument(help="run directory")],
    suite: Annotated[str | None, typer.Option(help="suite the run was made with (default: "
                                              "the one its manifest names)")] = None,
) -> None:
    """Score a run's stored completions again, without generating (after a scorer change)."""
    from reasonscope.bench.suites import load_suite
    from reasonscope.engine.runner import rescore
    from reasonscope.engine.store import RunDirError, read_manifest, read_samples
    from reasonscope.results.fold import cell_stats

    try:
        manifest = read_manifest(run)
        extra = manifest.model_extra or {}
        source = suite or extra.get("suite_path") or manifest.suite
        if not suite and source and not Path(str(source)).exists():
            source = manifest.suite
        summary = rescore(run, load_suite(str(source)).items)
    except (RunDirError, FileNotFoundError, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(cell_table(cell_stats(read_samples(run)), f"{run} (rescored)"))
    console.print(f"rescored {summary.n_rows} samples, {summary.n_changed} changed "
                  f"(score generation {summary.generation})")


@runs_app.command("list")
def runs_list_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(help="run directories or folders "
                                                       "holding them [.]")] = None,
) -> None:
    """One line per run: model, step, suite, samples, accuracy."""
    from reasonscope.results.query import query

    try:
        result = query("""
            SELECT r.run_dir AS run, r.model, r.step, r.suite, r.samples AS per_item,
                   count(s.item_id) AS rows, avg(s.correct::INT) AS sample_acc,
                   left(r.created, 16) AS created
            FROM runs r LEFT JOIN samples s ON s.run_dir = r.run_dir
            GROUP BY ALL ORDER BY r.run_dir""", paths or [Path(".")])
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    rows = result.to_pylist()
    for row in rows:  # paths are long: show what tells runs apart
        row["run"] = _short_path(row["run"])
        row["model"] = Path(row["model"]).name if "/" in row["model"] else row["model"]
    console.print(_arrow_table(rows, result.column_names))


def _short_path(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


@runs_app.command("query")
def runs_query_cmd(
    sql: Annotated[str, typer.Argument(help="SQL over the views `samples` and `runs`")],
    paths: Annotated[list[Path] | None, typer.Argument(help="run directories or folders "
                                                       "holding them [.]")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | csv | jsonl")] = "table",
) -> None:
    """Run SQL across runs, e.g. `SELECT behavior, avg(correct::INT) FROM samples GROUP BY 1`."""
    import duckdb

    from reasonscope.results.query import query

    try:
        result = query(sql, paths or [Path(".")])
    except (FileNotFoundError, ValueError, duckdb.Error) as exc:
        raise fail(str(exc)) from None
    rows = result.to_pylist()
    if fmt == "table":
        console.print(_arrow_table(rows, result.column_names))
    elif fmt in ("csv", "jsonl"):
        _dump(rows, result.column_names, fmt)
    else:
        raise fail(f"unknown --format {fmt!r}")


@runs_app.command("export")
def runs_export_cmd(
    out: Annotated[Path, typer.Option(help="file to write: .csv, .jsonl or .parquet")],
    paths: Annotated[list[Path] | None, typer.Argument(help="run directories or folders "
                                                       "holding them [.]")] = None,
    sql: Annotated[str | None, typer.Option(help="what to export (default: all samples)")] = None,
) -> None:
    """Export samples (or a query's result) of runs to CSV, JSONL or Parquet."""
    import duckdb

    from reasonscope.results.query import export

    try:
        path = export(paths or [Path(".")], out, sql=sql)
    except (FileNotFoundError, ValueError, duckdb.Error) as exc:
        raise fail(str(exc)) from None
    console.print(f"wrote {path}")


def _arrow_table(rows: list[dict[str, Any]], columns: Sequence[str]) -> Table:
    table = Table()
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*(_fmt(row[c]) for c in columns))
    return table


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _dump(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str) -> None:
    import csv
    import json

    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            sys.stdout.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
