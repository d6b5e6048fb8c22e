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

if TYPE_CHECKING:
    from reasonscope.items import Item
    from reasonscope.query import CellStats
    from reasonscope.suites import Suite

console = Console()
err = Console(stderr=True)
runs_app = typer.Typer(help="List, query (SQL) and export run directories.",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cmd)
    app.command("rescore")(rescore_cmd)
    app.add_typer(runs_app, name="runs")


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def select_items(suite: Suite, cells: str | None, limit: int | None) -> list[Item]:
    """The suite's items in `cells` (comma-separated `behavior/domain`), at most `limit` of
    them, taken round-robin across cells so that a small limit still covers every cell."""
    from reasonscope.taxonomy import parse_cell

    items = list(suite.items)
    if cells:
        wanted = {parse_cell(c.strip()) for c in cells.split(",") if c.strip()}
        items = [i for i in items if i.cell in wanted]
    if limit is None or limit >= len(items):
        return items
    by_cell: dict[Any, list[Item]] = {}
    for item in items:
        by_cell.setdefault(item.cell, []).append(item)
    queues = list(by_cell.values())
    picked: list[Item] = []
    depth = 0
    while len(picked) < limit:
        picked += [q[depth] for q in queues if depth < len(q)][: limit - len(picked)]
        depth += 1
    return picked


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


def eval_cmd(
    model: Annotated[str, typer.Option(help="local checkpoint directory, cached hub id, or the "
                                       "served model name (openai backend)")],
    out: Annotated[Path, typer.Option(help="run directory: created, or resumed when it holds "
                                      "the same model and settings")],
    suite: Annotated[str, typer.Option(help="built-in suite name or JSONL file")] = "rs-synth-v1",
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
    samples: Annotated[int | None, typer.Option(help="completions per item [1]")] = None,
    temperature: Annotated[float | None, typer.Option(help="[0.6]; 0 = greedy")] = None,
    top_p: Annotated[float | None, typer.Option(help="[0.95]")] = None,
    top_k: Annotated[int | None, typer.Option(help="[0 = off]")] = None,
    max_new_tokens: Annotated[int | None, typer.Option(help="[1024]")] = None,
    thinking: Annotated[str | None, typer.Option(help="on | off | auto (Qwen3 "
                                                 "enable_thinking) [auto]")] = None,
    chat_template: Annotated[bool, typer.Option(help="use the tokenizer's chat template "
                                                "when it has one")] = True,
    stop: Annotated[list[str] | None, typer.Option(help="stop string (repeatable)")] = None,
    cells: Annotated[str | None, typer.Option(help="comma-separated behavior/domain cells, "
                                              "e.g. calculation/math,simulation/coding")] = None,
    limit: Annotated[int | None, typer.Option(help="at most N items, round-robin across "
                                              "cells")] = None,
    seed: Annotated[int | None, typer.Option(help="base seed of every sample's sampler "
                                             "[0]")] = None,
    batch_size: Annotated[int | None, typer.Option(help="sequences per batch (hf; default: 64 "
                                                   "on CPU, from free memory on CUDA)")] = None,
    device: Annotated[str | None, typer.Option(help="cpu, cuda, cuda:1 (hf)")] = None,
    dtype: Annotated[str | None, typer.Option(help="auto | float32 | bfloat16 | float16 (hf; "
                                              "default bf16 on CUDA, fp32 on CPU)")] = None,
    step: Annotated[int | None, typer.Option(help="training step of this checkpoint")] = None,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Generate and score completions of a model on a suite into a run directory."""
    from pydantic import ValidationError

    from reasonscope.genconfig import GenerationConfig
    from reasonscope.store import RunDirError
    from reasonscope.suites import load_suite

    given = {"samples": samples, "temperature": temperature, "top_p": top_p, "top_k": top_k,
             "max_new_tokens": max_new_tokens, "thinking": thinking, "seed": seed}
    try:
        config = GenerationConfig(**{k: v for k, v in given.items() if v is not None},
                                  chat_template=chat_template, stop=tuple(stop or ()))
    except ValidationError as exc:
        raise _fail(f"invalid generation settings: {exc.errors()[0]['loc'][0]}: "
                    f"{exc.errors()[0]['msg']}") from None
    try:
        loaded = load_suite(suite)
        items = select_items(loaded, cells, limit)
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if not items:
        raise _fail("no items selected (check --cells / --limit)")
    kwargs: dict[str, Any] = {}
    if backend != "hf":
        kwargs = {"base_url": base_url, "api_key": api_key, "endpoint": endpoint,
                  "concurrency": concurrency, "n_per_request": n_per_request,
                  "weights": weights}
    elif base_url or weights:
        raise _fail("--base-url/--weights need a server backend (--backend openai|vllm|sglang)")
    from reasonscope.runner import evaluate, requested_rows

    try:
        summary = evaluate(model, items, config, out, suite_name=loaded.name,
                           suite_hash=loaded.hash, backend=backend, step=step, device=device,
                           dtype=dtype, batch_size=batch_size, progress=not quiet,
                           suite_path=str(loaded.path) if loaded.path else None, **kwargs)
    except (RunDirError, FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from None
    from reasonscope.query import cell_stats
    from reasonscope.store import read_manifest

    manifest = read_manifest(out)
    rows = requested_rows(out, manifest.fingerprint, manifest.gen_config_hash,
                          [i.id for i in items], config.samples)
    console.print(cell_table(cell_stats(rows), f"{model} on {loaded.name}"))
    acc = "n/a" if math.isnan(summary.accuracy) else f"{summary.accuracy:.3f}"
    console.print(f"{summary.n_rows} samples ({summary.n_new} new) in {out}; accuracy {acc}; "
                  f"{summary.elapsed_s:.1f} s, {summary.tokens_per_s:.0f} tokens/s")


def rescore_cmd(
    run: Annotated[Path, typer.Argument(help="run directory")],
    suite: Annotated[str | None, typer.Option(help="suite the run was made with (default: "
                                              "the one its manifest names)")] = None,
) -> None:
    """Score a run's stored completions again, without generating (after a scorer change)."""
    from reasonscope.query import cell_stats
    from reasonscope.runner import rescore
    from reasonscope.store import RunDirError, read_manifest, read_samples
    from reasonscope.suites import load_suite

    try:
        manifest = read_manifest(run)
        extra = manifest.model_extra or {}
        source = suite or extra.get("suite_path") or manifest.suite
        if not suite and source and not Path(str(source)).exists():
            source = manifest.suite
        summary = rescore(run, load_suite(str(source)).items)
    except (RunDirError, FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc)) from None
    console.print(cell_table(cell_stats(read_samples(run)), f"{run} (rescored)"))
    console.print(f"rescored {summary.n_rows} samples, {summary.n_changed} changed "
                  f"(score generation {summary.generation})")


@runs_app.command("list")
def runs_list_cmd(
    paths: Annotated[list[Path] | None, typer.Argument(help="run directories or folders "
                                                       "holding them [.]")] = None,
) -> None:
    """One line per run: model, step, suite, samples, accuracy."""
    from reasonscope.query import query

    try:
        result = query("""
            SELECT r.run_dir AS run, r.model, r.step, r.suite, r.samples AS per_item,
                   count(s.item_id) AS rows, avg(s.correct::INT) AS sample_acc,
                   left(r.created, 16) AS created
            FROM runs r LEFT JOIN samples s ON s.run_dir = r.run_dir
            GROUP BY ALL ORDER BY r.run_dir""", paths or [Path(".")])
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
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

    from reasonscope.query import query

    try:
        result = query(sql, paths or [Path(".")])
    except (FileNotFoundError, ValueError, duckdb.Error) as exc:
        raise _fail(str(exc)) from None
    rows = result.to_pylist()
    if fmt == "table":
        console.print(_arrow_table(rows, result.column_names))
    elif fmt in ("csv", "jsonl"):
        _dump(rows, result.column_names, fmt)
    else:
        raise _fail(f"unknown --format {fmt!r}")


@runs_app.command("export")
def runs_export_cmd(
    out: Annotated[Path, typer.Option(help="file to write: .csv, .jsonl or .parquet")],
    paths: Annotated[list[Path] | None, typer.Argument(help="run directories or folders "
                                                       "holding them [.]")] = None,
    sql: Annotated[str | None, typer.Option(help="what to export (default: all samples)")] = None,
) -> None:
    """Export samples (or a query's result) of runs to CSV, JSONL or Parquet."""
    import duckdb

    from reasonscope.query import export

    try:
        path = export(paths or [Path(".")], out, sql=sql)
    except (FileNotFoundError, ValueError, duckdb.Error) as exc:
        raise _fail(str(exc)) from None
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
