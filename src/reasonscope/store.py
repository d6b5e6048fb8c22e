"""Run directories: one manifest plus append-only Parquet shards.

Shards are never rewritten, only added (temp file, fsync, rename), so a crash loses at most the
batch in flight and two processes can write to the same run without a lock on the data. A
reader unions the shards and keeps the first row of each resume key, so a sample written twice
by racing writers is counted once.
"""

from __future__ import annotations

import io
import json
import os
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field

from reasonscope.fsutil import atomic_write_bytes, atomic_write_text
from reasonscope.schema import RESUME_KEY, SAMPLE_COLUMNS, SAMPLE_SCHEMA

MANIFEST_NAME = "manifest.json"
SHARD_GLOB = "samples-*.parquet"


class RunManifest(BaseModel):
    """What a run is: the exact model weights, how it was sampled, on which items."""

    model_config = ConfigDict(extra="allow")

    run_id: str
    model: str
    fingerprint: str
    step: int | None = None
    backend: str = "hf"
    gen_config: dict[str, Any] = Field(default_factory=dict)
    gen_config_hash: str
    suite: str
    suite_hash: str
    seed: int = 0
    created: str = ""
    versions: dict[str, str] = Field(default_factory=dict)
    hardware: dict[str, Any] = Field(default_factory=dict)


class RunDirError(ValueError):
    pass


def manifest_path(run_dir: Path) -> Path:
    return Path(run_dir) / MANIFEST_NAME


def write_manifest(run_dir: Path, manifest: RunManifest) -> Path:
    text = json.dumps(manifest.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    return atomic_write_text(manifest_path(run_dir), text)


def read_manifest(run_dir: Path) -> RunManifest:
    path = manifest_path(run_dir)
    if not path.exists():
        raise RunDirError(f"{run_dir}: not a run directory (no {MANIFEST_NAME})")
    try:
        return RunManifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise RunDirError(f"{path}: invalid manifest: {exc}") from None


def is_run_dir(path: Path) -> bool:
    return manifest_path(path).is_file()


def shard_paths(run_dir: Path) -> list[Path]:
    return sorted(Path(run_dir).glob(SHARD_GLOB))


def rows_to_table(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    missing = [c for c in SAMPLE_COLUMNS if rows and c not in rows[0]]
    if missing:
        raise ValueError(f"sample rows lack column(s): {', '.join(missing)}")
    return pa.Table.from_pylist([{c: r[c] for c in SAMPLE_COLUMNS} for r in rows],
                                schema=SAMPLE_SCHEMA)


def write_shard(run_dir: Path, rows: Sequence[Mapping[str, Any]]) -> Path | None:
    """Persist one batch of finished samples as a new shard; returns its path."""
    if not rows:
        return None
    table = rows_to_table(rows)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    name = f"samples-{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.parquet"
    return atomic_write_bytes(Path(run_dir) / name, buf.getvalue())


def _read_shards(paths: Iterable[Path]) -> pa.Table:
    tables = [pq.read_table(p, schema=SAMPLE_SCHEMA) for p in paths]
    if not tables:
        return SAMPLE_SCHEMA.empty_table()
    return pa.concat_tables(tables)


def dedupe(table: pa.Table) -> pa.Table:
    """Keep the first row (in shard order) of each resume key."""
    if table.num_rows == 0:
        return table
    keys = zip(*(table.column(k).to_pylist() for k in RESUME_KEY), strict=True)
    seen: set[tuple[Any, ...]] = set()
    keep: list[int] = []
    for i, key in enumerate(keys):
        if key not in seen:
            seen.add(key)
            keep.append(i)
    if len(keep) == table.num_rows:
        return table
    return table.take(pa.array(keep, type=pa.int64()))


def read_samples(run_dir: Path) -> pa.Table:
    """All samples of a run, one row per resume key, in the DESIGN section 4 schema."""
    if not is_run_dir(run_dir):
        raise RunDirError(f"{run_dir}: not a run directory (no {MANIFEST_NAME})")
    return dedupe(_read_shards(shard_paths(run_dir)))


def done_keys(run_dir: Path) -> set[tuple[str, str, str, int]]:
    """Resume keys already on disk: (fingerprint, gen_config_hash, item_id, sample_index)."""
    paths = shard_paths(run_dir)
    if not paths:
        return set()
    cols = [pq.read_table(p, columns=list(RESUME_KEY)) for p in paths]
    table = pa.concat_tables(cols)
    return set(zip(*(table.column(k).to_pylist() for k in RESUME_KEY), strict=True))
