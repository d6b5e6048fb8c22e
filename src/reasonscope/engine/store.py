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
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, Field

from reasonscope.engine.schema import RESUME_KEY, SAMPLE_COLUMNS, SAMPLE_SCHEMA
from reasonscope.fsutil import atomic_write_bytes, atomic_write_text

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
    """Hash of the whole suite file as loaded (see reasonscope.engine.task)."""
    items_hash: str = ""
    """Hash of the items selected when the run was created (a run may later grow by more items
    of the same suite: the rows say which); empty in manifests written before it was
    recorded."""
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


def read_shard(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """One shard; a truncated or foreign file is a RunDirError naming it and the fix."""
    try:
        return pq.read_table(path, schema=SAMPLE_SCHEMA, columns=columns)
    except FileNotFoundError:
        raise
    except (pa.ArrowException, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RunDirError(
            f"{path}: unreadable shard ({first[:160]}); delete it and run the same "
            "`reasonscope eval` again: it regenerates exactly those rows") from None


def _read_shards(paths: Iterable[Path]) -> pa.Table:
    tables = [read_shard(p) for p in paths]
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
    cols = [read_shard(p, columns=list(RESUME_KEY)) for p in paths]
    table = pa.concat_tables(cols)
    return set(zip(*(table.column(k).to_pylist() for k in RESUME_KEY), strict=True))


# --- opening, resuming and sharing a run directory -------------------------------------------

CLAIMS_DIR = ".claims"
RESCORE_LOCK = ".rescore.lock"
IDENTITY_FIELDS: tuple[str, ...] = ("fingerprint", "gen_config_hash", "suite_hash", "step")


class RunMismatchError(RunDirError):
    """The directory holds another run: reusing it would mix results of different runs."""


def _mismatch_message(run_dir: Path, old: RunManifest, new: RunManifest) -> str:
    lines = [f"{run_dir} already holds a different run; choose another output directory."]
    if old.fingerprint != new.fingerprint:
        lines.append(f"  model weights differ: stored {old.model} (fingerprint "
                     f"{old.fingerprint[:16]}), requested {new.model} (fingerprint "
                     f"{new.fingerprint[:16]})")
    if old.gen_config_hash != new.gen_config_hash:
        diff = [f"{k}: {old.gen_config.get(k)!r} -> {new.gen_config.get(k)!r}"
                for k in sorted(set(old.gen_config) | set(new.gen_config))
                if old.gen_config.get(k) != new.gen_config.get(k)]
        lines.append("  generation config differs: " + ("; ".join(diff) or "(hash only)"))
    if old.suite_hash != new.suite_hash:
        lines.append(f"  suite differs: stored {old.suite} ({old.suite_hash[:12]}), requested "
                     f"{new.suite} ({new.suite_hash[:12]})")
    if old.step != new.step:
        lines.append(f"  training step differs: stored {old.step}, requested {new.step}")
    return "\n".join(lines)


def open_run(run_dir: Path, manifest: RunManifest) -> RunManifest:
    """Create `run_dir` with `manifest`, or return the stored manifest when it describes the same
    run (same weights, generation config, suite and step); raise RunMismatchError otherwise.

    Creation uses a hard link, which fails when the name exists, so two processes starting the
    same run at once agree on one manifest (and one run_id) instead of overwriting each other."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    path = manifest_path(run_dir)
    if not path.exists():
        others = [p.name for p in run_dir.iterdir() if not p.name.startswith(f".{MANIFEST_NAME}.")]
        if others:
            raise RunDirError(f"{run_dir} exists and is not a run directory (it holds "
                              f"{others[0]!r}); choose a new or empty output directory")
        text = json.dumps(manifest.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
        tmp = atomic_write_text(run_dir / f".{MANIFEST_NAME}.{uuid.uuid4().hex}.new", text)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    stored = read_manifest(run_dir)
    if any(getattr(stored, f) != getattr(manifest, f) for f in IDENTITY_FIELDS):
        raise RunMismatchError(_mismatch_message(run_dir, stored, manifest))
    return stored


class KeyIndex:
    """Resume keys on disk, refreshed incrementally: only shards not seen before are read, so a
    long run can re-check what other writers finished before every batch at little cost."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = Path(run_dir)
        self.keys: set[tuple[str, str, str, int]] = set()
        self._seen: set[str] = set()

    def refresh(self) -> set[tuple[str, str, str, int]]:
        for p in shard_paths(self.run_dir):
            if p.name in self._seen:
                continue
            try:
                table = read_shard(p, columns=list(RESUME_KEY))
            except FileNotFoundError:
                continue
            self.keys.update(zip(*(table.column(k).to_pylist() for k in RESUME_KEY), strict=True))
            self._seen.add(p.name)
        return self.keys

    def add(self, keys: Iterable[tuple[str, str, str, int]]) -> None:
        self.keys.update(keys)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Claims:
    """Advisory work claims so that processes sharing a run split its batches.

    A claim is written whole to a temporary file and then hard-linked into place, which fails
    when the name exists, so a claim is never seen half-written by a live writer. It is stale
    when its process is gone (same host), when it is older than `ttl_s` (another host), or when
    it is empty or unreadable for longer than `unreadable_grace_s` (a process killed between
    creating and writing a claim, on a file system or by an older version that wrote in place);
    a stale claim is taken over by renaming it away first, which only one contender can do.
    Claims only avoid duplicated work: correctness rests on the resume keys, and readers drop
    duplicate rows anyway."""

    def __init__(self, run_dir: Path, ttl_s: float = 6 * 3600,
                 unreadable_grace_s: float = 5.0) -> None:
        self.dir = Path(run_dir) / CLAIMS_DIR
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ttl_s = ttl_s
        self.unreadable_grace_s = unreadable_grace_s
        self.host = os.uname().nodename
        self.held: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.dir / f"{key}.claim"

    def try_claim(self, key: str) -> bool:
        path = self._path(key)
        body = json.dumps({"pid": os.getpid(), "host": self.host, "time": time.time()})
        tmp = self.dir / f".{path.name}.{uuid.uuid4().hex}.new"
        tmp.write_text(body, encoding="utf-8")
        try:
            for _ in range(2):
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    if not self._take_over_if_stale(path):
                        return False
                    continue
                self.held.add(key)
                return True
            return False
        finally:
            tmp.unlink(missing_ok=True)

    def _take_over_if_stale(self, path: Path) -> bool:
        if not self.is_stale(path):
            return False
        try:
            os.rename(path, path.with_name(f".{path.name}.{uuid.uuid4().hex}.stale"))
        except FileNotFoundError:
            return True  # released (or taken) meanwhile: try to create it again
        for junk in self.dir.glob(f".{path.name}.*.stale"):
            junk.unlink(missing_ok=True)
        return True

    def _holder(self, path: Path) -> tuple[float, dict[str, Any] | None]:
        """(age in seconds, the claim's content or None when empty/unreadable)."""
        age = time.time() - path.stat().st_mtime
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, OSError):
            return age, None
        if not isinstance(info, dict) or not isinstance(info.get("pid"), int):
            return age, None
        return age, info

    def is_stale(self, path: Path) -> bool:
        try:
            age, info = self._holder(path)
        except FileNotFoundError:
            return True
        if info is None:
            return age > self.unreadable_grace_s
        if info.get("host") == self.host:
            return not _pid_alive(info["pid"])
        return age > self.ttl_s

    def describe(self, key: str) -> str:
        """Who holds `key`, for a process that waits on it."""
        path = self._path(key)
        try:
            age, info = self._holder(path)
        except FileNotFoundError:
            return f"{path.name}: released"
        if info is None:
            return (f"{path} (empty or unreadable, {age:.0f} s old; taken over after "
                    f"{self.unreadable_grace_s:.0f} s)")
        where = "this host" if info.get("host") == self.host else f"host {info.get('host')}"
        return f"{path} (process {info['pid']} on {where}, {age:.0f} s old)"

    def held_by_other(self, key: str) -> bool:
        """True while another live process holds `key`."""
        path = self._path(key)
        return key not in self.held and path.exists() and not self.is_stale(path)

    def release(self, key: str) -> None:
        if key in self.held:
            self._path(key).unlink(missing_ok=True)
            self.held.discard(key)

    def release_all(self) -> None:
        for key in list(self.held):
            self.release(key)

    def drop_if_stale(self, key: str) -> None:
        """Remove a dead process's claim on finished work (it died after writing the shard,
        before releasing); finished work is never claimed for long again, so this cannot
        interfere with a live holder for more than a redundant release."""
        path = self._path(key)
        if key in self.held or not path.exists():
            return
        try:
            unreadable = self._holder(path)[1] is None  # claims are written whole: dead
        except FileNotFoundError:
            return
        if unreadable or self.is_stale(path):
            path.unlink(missing_ok=True)


# --- rescoring ----------------------------------------------------------------------------------

def rewrite_shards(run_dir: Path, transform: Callable[[pa.Table], pa.Table]) -> int:
    """Replace every shard by `transform(shard)`, one atomic rename per shard; returns rows.

    Shard names and order are kept, so duplicate resolution (first row per key) is unchanged,
    and a reader never finds a shard missing: it sees each shard either before or after. A lock
    file keeps two rewriters apart."""
    lock = Path(run_dir) / RESCORE_LOCK
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise RunDirError(f"{run_dir}: another rescore is running (remove {lock} if it is "
                          "not)") from None
    os.close(fd)
    n = 0
    try:
        for path in shard_paths(run_dir):
            table = transform(read_shard(path))
            buf = io.BytesIO()
            pq.write_table(table.select(list(SAMPLE_COLUMNS)).cast(SAMPLE_SCHEMA), buf,
                           compression="zstd")
            atomic_write_bytes(path, buf.getvalue())
            n += table.num_rows
    finally:
        lock.unlink(missing_ok=True)
    return n
