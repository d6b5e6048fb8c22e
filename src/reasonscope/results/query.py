"""SQL over run directories with DuckDB, and exports to CSV / JSONL / Parquet.

Two views are defined: `samples` (every sample row of every run, the DESIGN section 4 columns
plus `run_dir`, with rows written twice by racing writers counted once, exactly as
store.read_samples does) and `runs` (one row per manifest). DuckDB reads the shards in place,
so a query over many large runs does not load them into Python first.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from reasonscope.engine.schema import RESUME_KEY, SAMPLE_SCHEMA
from reasonscope.engine.store import MANIFEST_NAME, is_run_dir, read_manifest, shard_paths

if TYPE_CHECKING:
    import duckdb

EXPORT_FORMATS: dict[str, str] = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl",
                                  ".ndjson": "jsonl", ".parquet": "parquet"}
_COPY_OPTIONS = {"csv": "FORMAT CSV, HEADER", "jsonl": "FORMAT JSON",
                 "parquet": "FORMAT PARQUET, COMPRESSION ZSTD"}


def find_runs(paths: Iterable[Path | str]) -> list[Path]:
    """Run directories at or below `paths` (a directory holding a manifest is not descended)."""
    found: list[Path] = []
    for root in (Path(p) for p in paths):
        if not root.exists():
            raise FileNotFoundError(f"{root}: no such file or directory")
        if is_run_dir(root):
            found.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            if MANIFEST_NAME in filenames:
                found.append(Path(dirpath))
                dirnames.clear()
            else:
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
    return sorted(dict.fromkeys(p.resolve() for p in found))


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _runs_table(run_dirs: Sequence[Path]) -> pa.Table:
    rows: list[dict[str, Any]] = []
    for d in run_dirs:
        m = read_manifest(d)
        g = m.gen_config
        rows.append({
            "run_dir": str(d), "run_id": m.run_id, "model": m.model, "fingerprint": m.fingerprint,
            "step": m.step, "backend": m.backend, "suite": m.suite, "suite_hash": m.suite_hash,
            "gen_config_hash": m.gen_config_hash, "seed": m.seed, "created": m.created,
            "temperature": g.get("temperature"), "top_p": g.get("top_p"),
            "top_k": g.get("top_k"), "samples": g.get("samples"),
            "max_new_tokens": g.get("max_new_tokens"), "thinking": g.get("thinking"),
        })
    schema = pa.schema([("run_dir", pa.string()), ("run_id", pa.string()),
                        ("model", pa.string()), ("fingerprint", pa.string()),
                        ("step", pa.int64()), ("backend", pa.string()), ("suite", pa.string()),
                        ("suite_hash", pa.string()), ("gen_config_hash", pa.string()),
                        ("seed", pa.int64()), ("created", pa.string()),
                        ("temperature", pa.float64()), ("top_p", pa.float64()),
                        ("top_k", pa.int64()), ("samples", pa.int64()),
                        ("max_new_tokens", pa.int64()), ("thinking", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)


def connect(paths: Iterable[Path | str]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the `samples` and `runs` views over `paths`."""
    import duckdb

    run_dirs = find_runs(paths)
    con = duckdb.connect()
    con.register("runs", _runs_table(run_dirs))
    files = [str(p.resolve()) for d in run_dirs for p in shard_paths(d)]
    if not files:
        empty = SAMPLE_SCHEMA.empty_table().append_column("run_dir", pa.array([], pa.string()))
        con.register("samples", empty)
        return con
    file_list = "[" + ", ".join(_sql_str(f) for f in files) + "]"
    cols = ", ".join(SAMPLE_SCHEMA.names)
    key = ", ".join(RESUME_KEY)
    con.execute(f"""
        CREATE VIEW samples AS
        SELECT {cols}, run_dir FROM (
            SELECT *, regexp_replace(filename, '/[^/]*$', '') AS run_dir,
                   row_number() OVER (
                       PARTITION BY regexp_replace(filename, '/[^/]*$', ''), {key}
                       ORDER BY filename, file_row_number) AS _rank
            FROM read_parquet({file_list}, filename = true, file_row_number = true)
        ) WHERE _rank = 1
    """)
    return con


def query(sql: str, paths: Iterable[Path | str]) -> pa.Table:
    """Run `sql` (which may use the `samples` and `runs` views) and return an Arrow table."""
    con = connect(paths)
    try:
        result = con.sql(sql)
        if result is None:
            raise ValueError("the statement returned no rows to show (use SELECT ...)")
        return result.to_arrow_table()
    finally:
        con.close()


def export(paths: Iterable[Path | str], out: Path | str, *, sql: str | None = None,
           fmt: str | None = None) -> Path:
    """Write `sql`'s result (default: all samples) to `out` as CSV, JSONL or Parquet (from the
    suffix unless `fmt` is given), through a temporary file and a rename."""
    out = Path(out)
    fmt = fmt or EXPORT_FORMATS.get(out.suffix.lower())
    if fmt not in _COPY_OPTIONS:
        raise ValueError(f"cannot tell the export format of {out.name!r}; use a suffix "
                         f"({', '.join(EXPORT_FORMATS)}) or fmt=csv|jsonl|parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    con = connect(paths)
    try:
        select = sql or "SELECT * FROM samples ORDER BY run_dir, item_id, sample_index"
        con.execute(f"COPY ({select}) TO {_sql_str(str(tmp))} ({_COPY_OPTIONS[fmt]})")
    finally:
        con.close()
    os.replace(tmp, out)
    return out
