"""Evaluate a model on items into a run directory: plan, skip what is done, generate, score,
persist one shard per unit.

Resumption is exact: every (item, sample) has its own sampler seed (backends.sample_seed) and
the unit plan depends only on the items and settings, never on what is already on disk, so a
unit regenerated after a crash is the same batch an uninterrupted run would have generated.
Processes sharing a run directory split units through claims (store.Claims) and each one waits
for units held by others before returning, so every process ends with the run complete.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from reasonscope.backends import get_backend
from reasonscope.backends.base import Backend, GenRequest, GenResult, Unit, sample_seed
from reasonscope.engine.progress import RunProgress
from reasonscope.engine.provenance import hardware_info, new_run_id, package_versions
from reasonscope.engine.store import (
    Claims,
    KeyIndex,
    RunManifest,
    RunMismatchError,
    is_run_dir,
    open_run,
    read_manifest,
    read_samples,
    write_shard,
)
from reasonscope.genconfig import GenerationConfig, build_user_prompt
from reasonscope.items import Item, items_hash

Key = tuple[str, str, str, int]
POLL_S = 0.5
WAIT_REPORT_S = 15.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """What one evaluation call did; accuracies are folded from `rows` by reasonscope.results."""

    run_dir: Path
    rows: pa.Table
    """Sample rows on disk for the requested items (all samples, whoever wrote them)."""
    n_new: int
    """Rows this call generated."""
    elapsed_s: float
    tokens_per_s: float
    """Completion tokens this call generated per second of its wall time."""

    @property
    def n_rows(self) -> int:
        return int(self.rows.num_rows)


def run_items(
    model: str | Path,
    items: Sequence[Item],
    config: GenerationConfig,
    out: Path,
    *,
    suite_name: str,
    suite_hash: str,
    backend: str | Backend = "hf",
    step: int | None = None,
    device: str | None = None,
    dtype: str | None = None,
    batch_size: int | None = None,
    progress: bool = True,
    suite_path: str | None = None,
    max_prompt_tokens: int | None = None,
    **backend_kwargs: Any,
) -> RunOutcome:
    """Generate and score `config.samples` completions per item into run directory `out`.

    `backend` is a registered name (reasonscope.backends.BACKENDS) or a ready Backend object
    (then model/device/dtype/batch_size options are the object's own business). `out` is
    created when new, resumed when it holds the same run (weights fingerprint, generation
    config, suite hash, selected items, step), and refused (RunMismatchError) otherwise."""
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    if max_prompt_tokens is not None and max_prompt_tokens < 1:
        raise ValueError(f"max_prompt_tokens must be >= 1, got {max_prompt_tokens}")
    start = time.perf_counter()
    out = Path(out)
    by_id = _index_items(items)
    stored_batch = _stored_batch_size(out) if batch_size is None else None
    if isinstance(backend, str):
        be = get_backend(backend, model, device=device, dtype=dtype,
                         batch_size=batch_size or stored_batch, **backend_kwargs)
    else:
        if backend_kwargs:
            raise ValueError(f"backend options {sorted(backend_kwargs)} need a backend name, "
                             "not a Backend object")
        be = backend
    fingerprint = be.fingerprint()
    gen_hash = config.hash()
    requests = [
        GenRequest(item.id, build_user_prompt(item.prompt, config), tuple(range(config.samples)),
                   tuple(sample_seed(config.seed, item.id, s) for s in range(config.samples)))
        for item in items
    ]
    prepare = getattr(be, "prepare", None)
    if callable(prepare):
        prepare()  # a broken checkpoint fails here, before anything is written
    check_prompt_sizes(be, requests, config, max_prompt_tokens)
    units = be.plan(requests, config)
    manifest = RunManifest(
        run_id=new_run_id(), model=_model_name(model), fingerprint=fingerprint, step=step,
        backend=be.name, gen_config=config.model_dump(mode="json"), gen_config_hash=gen_hash,
        suite=suite_name, suite_hash=suite_hash, items_hash=items_hash(items), seed=config.seed,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        versions=package_versions(), hardware=hardware_info(),
    )
    info = be.describe()
    manifest = manifest.model_copy(update={"backend_info": info, "suite_path": suite_path})
    stored = open_run(out, manifest)
    _check_tokenizer(out, stored, info)

    def key(item_id: str, sample: int) -> Key:
        return (fingerprint, gen_hash, item_id, sample)

    index = KeyIndex(out)
    index.refresh()
    wanted = {key(r.item_id, s) for r in requests for s in r.sample_indices}
    n_new = 0
    new_tokens = 0
    gen_time = 0.0
    todo = [u for u in units if not _unit_done(u, index.keys, key)]
    bar = RunProgress(len(items), len(items) - sum(len(u) for u in todo),
                      enabled=progress and bool(todo), label=out.name)
    claims = Claims(out)
    try:
        with bar:
            t0 = time.perf_counter()
            for unit, results in be.generate(_claimable(todo, index, claims, key, bar), config):
                fresh = [r for r in results if key(r.item_id, r.sample_index) not in index.keys]
                rows = _rows(fresh, by_id, stored, fingerprint, gen_hash, step)
                write_shard(out, rows)
                index.add(key(r.item_id, r.sample_index) for r in fresh)
                claims.release(_unit_key(unit, key))
                n_new += len(rows)
                new_tokens += sum(r.completion_tokens or 0 for r in fresh)
                gen_time = time.perf_counter() - t0
                bar.advance(len(unit), tokens=sum(r.completion_tokens or 0 for r in results))
    finally:
        claims.release_all()
        be.close()
    for unit in units:
        if _unit_done(unit, index.keys, key):
            claims.drop_if_stale(_unit_key(unit, key))
    table = _requested_rows(out, wanted)
    elapsed = time.perf_counter() - start
    return RunOutcome(run_dir=out, rows=table, n_new=n_new, elapsed_s=elapsed,
                      tokens_per_s=new_tokens / gen_time if gen_time > 0 else 0.0)


def _model_name(model: str | Path) -> str:
    """Local checkpoints are recorded by absolute path, so a manifest still locates its model
    when read from another working directory."""
    path = Path(model).expanduser()
    return str(path.resolve()) if path.is_dir() else str(model)


def _index_items(items: Sequence[Item]) -> dict[str, Item]:
    by_id: dict[str, Item] = {}
    for item in items:
        if item.id in by_id:
            raise ValueError(f"item {item.id!r} appears twice")
        by_id[item.id] = item
    return by_id


def _stored_batch_size(out: Path) -> int | None:
    """A resumed run keeps its batch size: the unit plan, and so every batch's composition,
    depends on it."""
    if not is_run_dir(out):
        return None
    info = (read_manifest(out).model_extra or {}).get("backend_info") or {}
    value = info.get("batch_size")
    return int(value) if isinstance(value, int) else None


def _check_tokenizer(out: Path, stored: RunManifest, info: dict[str, Any]) -> None:
    old = ((stored.model_extra or {}).get("backend_info") or {}).get("tokenizer_fingerprint")
    new = info.get("tokenizer_fingerprint")
    if old and new and old != new:
        raise RunMismatchError(
            f"{out} already holds a different run; choose another output directory.\n"
            f"  same weights, but the tokenizer or chat template differs "
            f"({old[:12]} stored, {new[:12]} now): prompts would not match")


def _unit_key(unit: Unit, key: Any) -> str:
    first = key(unit[0].item_id, unit[0].sample_indices[0])
    blob = json.dumps([first[:2], [[r.item_id, list(r.sample_indices)] for r in unit]])
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _unit_done(unit: Unit, done: set[Key], key: Any) -> bool:
    return all(key(r.item_id, s) in done for r in unit for s in r.sample_indices)


def _claimable(units: Sequence[Unit], index: KeyIndex, claims: Claims, key: Any,
               bar: RunProgress) -> Iterator[Unit]:
    """Units not done and not held by a live process, claimed as they are handed out; then the
    ones other processes hold, once they turn out unfinished (their holder died)."""
    remaining = list(units)
    waiting_since: float | None = None
    last_said = 0.0
    while remaining:
        waiting: list[Unit] = []
        for unit in remaining:
            if _unit_done(unit, index.keys, key):
                continue
            ukey = _unit_key(unit, key)
            if not claims.try_claim(ukey):
                waiting.append(unit)
                continue
            index.refresh()  # its holder may have finished it just before releasing
            if _unit_done(unit, index.keys, key):
                claims.release(ukey)
                bar.advance(len(unit), tokens=0)
                continue
            yield unit
        remaining = []
        if waiting:
            now = time.monotonic()
            waiting_since = waiting_since or now
            if now - last_said >= WAIT_REPORT_S:
                last_said = now
                holder = claims.describe(_unit_key(waiting[0], key))
                _say(bar, f"waiting {now - waiting_since:.0f} s for {len(waiting)} batch(es) "
                     f"held by another process, e.g. {holder}")
            time.sleep(POLL_S)
            index.refresh()
            remaining = [u for u in waiting if not _unit_done(u, index.keys, key)]
            bar.advance(sum(len(u) for u in waiting) - sum(len(u) for u in remaining), tokens=0)


CHARS_PER_TOKEN_BOUND = 64
"""No tokenizer packs more characters than this into one token on real text, so a prompt longer
than limit x this many characters is refused without tokenizing it (a 50 MB prompt must not
be tokenized to learn it is too long)."""


def check_prompt_sizes(be: Backend, requests: Sequence[GenRequest], config: GenerationConfig,
                       max_prompt_tokens: int | None) -> None:
    """Refuse, up front and naming the item, any prompt over `max_prompt_tokens` or, by
    default, over the model's context length minus `max_new_tokens`."""
    limit = max_prompt_tokens
    context = getattr(be, "context_length", None)
    ctx = context() if callable(context) else None
    if limit is None and ctx is not None:
        limit = ctx - config.max_new_tokens
        if limit < 1:
            raise ValueError(f"--max-new-tokens {config.max_new_tokens} leaves no room for a "
                             f"prompt in the model's context of {ctx} tokens")
    if limit is None:
        return
    count = getattr(be, "count_prompt_tokens", None)
    why = (f"--max-prompt-tokens {max_prompt_tokens}" if max_prompt_tokens is not None else
           f"the model's context {ctx} minus --max-new-tokens {config.max_new_tokens}")
    for req in requests:
        if len(req.prompt) > limit * CHARS_PER_TOKEN_BOUND:
            raise ValueError(f"item {req.item_id}: prompt of {len(req.prompt):,} characters "
                             f"is over the limit of {limit} tokens ({why}); drop or shorten it")
        if callable(count) and (n := int(count(req.prompt, config))) > limit:
            raise ValueError(f"item {req.item_id}: prompt of {n} tokens is over the limit of "
                             f"{limit} ({why}); drop or shorten it, or raise "
                             "--max-prompt-tokens")


def _say(bar: RunProgress, text: str) -> None:
    """Tell the user what this process waits for, with or without a progress bar."""
    if bar.enabled:
        bar.note(text)
    else:
        log.warning(text)


def _rows(results: Iterable[GenResult], by_id: dict[str, Item], manifest: RunManifest,
          fingerprint: str, gen_hash: str, step: int | None) -> list[dict[str, Any]]:
    from reasonscope.scoring import score_many

    results = list(results)
    scores = score_many([(by_id[r.item_id], r.completion) for r in results])
    rows = []
    for r, s in zip(results, scores, strict=True):
        item = by_id[r.item_id]
        rows.append({
            "run_id": manifest.run_id, "model": manifest.model, "fingerprint": fingerprint,
            "step": step, "gen_config_hash": gen_hash, "item_id": item.id,
            "behavior": item.behavior.value, "domain": item.domain.value,
            "difficulty": item.difficulty, "sample_index": r.sample_index, "seed": r.seed,
            "prompt": r.prompt, "completion": r.completion, "extracted": s.extracted,
            "parse_status": parse_status(s, r.finish_reason), "correct": bool(s.correct),
            "finish_reason": r.finish_reason, "prompt_tokens": r.prompt_tokens,
            "completion_tokens": r.completion_tokens, "latency_s": float(r.latency_s),
        })
    return rows


def parse_status(score: Any, finish_reason: str | None) -> str:
    """The scorer's status, except that a sample cut off by the token limit before any answer
    is `truncated`: a budget problem, not a format problem."""
    if finish_reason == "length" and score.extracted is None:
        return "truncated"
    return str(score.parse_status)


@dataclass(frozen=True)
class RescoreSummary:
    run_dir: Path
    n_rows: int
    n_changed: int
    """Rows whose correctness, extracted answer or parse status changed."""
    generation: int
    """How many times the run has been rescored, this time included."""


def rescore(run_dir: Path, items: Sequence[Item]) -> RescoreSummary:
    """Score the stored completions again (after a scorer fix) without generating anything.

    Each shard is rewritten in place by an atomic rename, keeping its name, so the rescored
    rows supersede the old ones one shard at a time, duplicates resolve as before and no
    reader ever misses a shard; the manifest's `score_generation` counts the rescorings."""
    from reasonscope.engine.store import rewrite_shards, write_manifest
    from reasonscope.scoring import score_many

    run_dir = Path(run_dir)
    manifest = read_manifest(run_dir)
    by_id = {item.id: item for item in items}
    stored_ids = set(read_samples(run_dir).column("item_id").to_pylist())
    missing = sorted(stored_ids - by_id.keys())
    if missing:
        raise ValueError(f"{len(missing)} item(s) of {run_dir} are not in the given items "
                         f"(e.g. {missing[0]}); pass the suite the run was made with")
    changed = 0

    def transform(table: pa.Table) -> pa.Table:
        nonlocal changed
        rows = table.to_pylist()
        scores = score_many([(by_id[r["item_id"]], r["completion"] or "") for r in rows])
        for row, s in zip(rows, scores, strict=True):
            new = {"extracted": s.extracted, "correct": bool(s.correct),
                   "parse_status": parse_status(s, row["finish_reason"])}
            changed += any(row[k] != v for k, v in new.items())
            row.update(new)
        return pa.Table.from_pylist(rows, schema=table.schema)

    n = rewrite_shards(run_dir, transform)
    extra = dict(manifest.model_extra or {})
    generation = int(extra.get("score_generation", 0)) + 1
    log = [*extra.get("rescored", []), {
        "generation": generation, "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": n, "changed": changed, "versions": package_versions()}]
    write_manifest(run_dir, manifest.model_copy(update={"score_generation": generation,
                                                        "rescored": log}))
    return RescoreSummary(run_dir, n, changed, generation)


def requested_rows(out: Path, fingerprint: str, gen_hash: str, item_ids: Iterable[str],
                   samples: int) -> pa.Table:
    """The rows of run `out` that an evaluation of `item_ids` x `samples` asked for."""
    return _requested_rows(out, {(fingerprint, gen_hash, i, s) for i in item_ids
                                 for s in range(samples)})


def _requested_rows(out: Path, wanted: set[Key]) -> pa.Table:
    table = read_samples(out)
    keys = zip(*(table.column(c).to_pylist() for c in
                 ("fingerprint", "gen_config_hash", "item_id", "sample_index")), strict=True)
    mask = [k in wanted for k in keys]
    return table.filter(pa.array(mask, type=pa.bool_())) if table.num_rows else table


__all__ = ["Backend", "RescoreSummary", "RunOutcome", "requested_rows", "rescore", "run_items"]
