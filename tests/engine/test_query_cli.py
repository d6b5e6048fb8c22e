"""DuckDB queries across runs, exports, and the eval / rescore / runs commands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from reasonscope.cli import evaluate as evaluate_cli
from reasonscope.engine.runner import run_items as evaluate
from reasonscope.engine.schema import SAMPLE_COLUMNS
from reasonscope.engine.store import read_samples, write_shard
from reasonscope.genconfig import GenerationConfig
from reasonscope.items import Item
from reasonscope.results.query import export, find_runs, query

CFG = GenerationConfig(samples=2, max_new_tokens=8, seed=1)


@pytest.fixture(scope="module")
def two_runs(tiny_model_dir: Path, tiny_model_dir_b: Path, tiny_items: list[Item],
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    for name, model in (("a", tiny_model_dir), ("b", tiny_model_dir_b)):
        evaluate(model, tiny_items[:3], CFG, root / "nested" / name, suite_name="tiny",
                 suite_hash="h", progress=False)
    return root


def test_query_across_runs_counts_each_sample_once(two_runs: Path) -> None:
    runs = find_runs([two_runs])
    assert [p.name for p in runs] == ["a", "b"]
    dup = read_samples(runs[0]).slice(0, 1).to_pylist()
    dup[0]["completion"] = "a later duplicate"
    write_shard(runs[0], dup)
    table = query("SELECT run_dir, count(*) AS n, count(DISTINCT fingerprint) AS f "
                  "FROM samples GROUP BY run_dir ORDER BY run_dir", [two_runs])
    assert table.column("n").to_pylist() == [6, 6]
    assert table.column("f").to_pylist() == [1, 1]
    texts = query("SELECT completion FROM samples", [runs[0]]).column("completion").to_pylist()
    assert "a later duplicate" not in texts  # the first row of a key wins, as in read_samples
    joined = query("SELECT r.model, avg(s.correct::INT) AS acc FROM runs r JOIN samples s "
                   "USING (run_dir) GROUP BY 1", [two_runs])
    assert joined.num_rows == 2
    fps = query("SELECT DISTINCT fingerprint FROM runs", [two_runs]).num_rows
    assert fps == 2


def test_exports_round_trip(two_runs: Path, tmp_path: Path) -> None:
    pq_path = export([two_runs], tmp_path / "all.parquet")
    table = pq.read_table(pq_path)
    assert table.num_rows == 12 and set(SAMPLE_COLUMNS) <= set(table.column_names)
    with export([two_runs], tmp_path / "all.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12 and rows[0]["behavior"]
    lines = export([two_runs], tmp_path / "cells.jsonl",
                   sql="SELECT behavior, domain, count(*) AS n FROM samples GROUP BY ALL "
                       "ORDER BY ALL").read_text().splitlines()
    assert sum(json.loads(line)["n"] for line in lines) == 12
    with pytest.raises(ValueError, match="export format"):
        export([two_runs], tmp_path / "x.xlsx")


@pytest.fixture()
def cli() -> typer.Typer:
    app = typer.Typer()
    evaluate_cli.register(app)
    return app


def test_eval_command_table_resume_and_refusal(cli: typer.Typer, tiny_model_dir: Path,
                                               tiny_model_dir_b: Path, tiny_suite_file: Path,
                                               tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "run"
    args = ["eval", "--model", str(tiny_model_dir), "--suite", str(tiny_suite_file), "--out",
            str(out), "--samples", "2", "--max-new-tokens", "6", "--limit", "4", "--quiet",
            "--cells", "calculation/math,calculation/general,diagnostic/math"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "calculation" in res.output and "truncated" in res.output
    assert "8 samples (8 new)" in res.output
    rows = read_samples(out).to_pylist()
    assert {r["behavior"] + "/" + r["domain"] for r in rows} == {
        "calculation/math", "calculation/general", "diagnostic/math"}
    res = runner.invoke(cli, args)
    assert res.exit_code == 0 and "8 samples (0 new)" in res.output
    res = runner.invoke(cli, [*args[:2], str(tiny_model_dir_b), *args[3:]])
    assert res.exit_code == 2 and "different run" in res.output
    res = runner.invoke(cli, [*args, "--temperature", "0.9"])
    assert res.exit_code == 2 and "temperature: 0.6 -> 0.9" in res.output
    res = runner.invoke(cli, [*args, "--base-url", "http://x/v1"])
    assert res.exit_code == 2

    res = runner.invoke(cli, ["rescore", str(out)])
    assert res.exit_code == 0 and "rescored 8 samples, 0 changed" in res.output
    res = runner.invoke(cli, ["runs", "list", str(tmp_path)])
    assert res.exit_code == 0 and str(tiny_model_dir.name) in res.output
    res = runner.invoke(cli, ["runs", "query", "SELECT count(*) AS n FROM samples",
                              str(tmp_path), "--format", "csv"])
    assert res.exit_code == 0 and res.output.split() == ["n", "8"]
    res = runner.invoke(cli, ["runs", "query", "SELECT nope FROM samples", str(tmp_path)])
    assert res.exit_code == 2 and "error" in res.output
    res = runner.invoke(cli, ["runs", "export", str(tmp_path), "--out",
                              str(tmp_path / "x.jsonl")])
    assert res.exit_code == 0 and len((tmp_path / "x.jsonl").read_text().splitlines()) == 8
