"""Candidates: pool rows turned into Items of their proposed cell, with the proposal beside them.

A candidate file is JSONL; each row holds the Item fields plus the proposal fields of `bench
label` (`source_id`, `proposed_behavior`, `proposed_domain`, `similarity`, `margin`, ...) and
what the review page shows next to it (`nearest_seeds`, `neighbours`). `read_candidates`
splits the two again; the Item part alone is what `bench show` and `bench freeze` use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonscope.items import ITEM_FIELDS, Item, ItemFileError
from reasonscope.pools.answer_types import canonical_answer, row_tests
from reasonscope.pools.prompting import item_prompt
from reasonscope.pools.rows import PoolRow
from reasonscope.taxonomy import AnswerType, Behavior, Domain

PROPOSAL_FIELDS = ("source_id", "proposed_behavior", "proposed_domain", "similarity", "margin",
                   "runner_up", "nearest_seed", "seed_similarity", "method", "embedder", "pool",
                   "cell_seed_similarity", "nearest_seeds", "neighbours", "license")
DEFAULT_DIFFICULTY = 3


@dataclass(frozen=True)
class Candidate:
    item: Item
    proposal: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.item.id

    def to_json(self) -> str:
        obj = {**self.item.model_dump(mode="json"), **self.proposal}
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _difficulty(meta: dict[str, Any]) -> tuple[int, str]:
    for key in ("level", "difficulty"):
        value = meta.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
            return value, f"pool meta.{key}"
    return DEFAULT_DIFFICULTY, "unknown (default 3)"


def item_from_row(row: PoolRow, behavior: Behavior, domain: Domain) -> Item:
    """The Item a reviewer would accept: full prompt, canonical answer, the row's provenance."""
    answer_type = row.answer_type or AnswerType.STRING
    difficulty, difficulty_source = _difficulty(row.meta)
    meta: dict[str, Any] = {"pool_id": row.id, "pool_source": row.source,
                            "difficulty_source": difficulty_source, "pool_meta": row.meta}
    if row.license:
        meta["license"] = row.license
    if answer_type is AnswerType.CODE_TESTS:
        meta["tests"] = row_tests(row.meta)
        if isinstance(row.meta.get("entry_point"), str):
            meta["entry_point"] = row.meta["entry_point"]
    if answer_type is AnswerType.STRING:
        aliases = row.meta.get("aliases") or row.meta.get("correct_answers")
        if isinstance(aliases, list) and all(isinstance(a, str) for a in aliases):
            meta["aliases"] = [a for a in aliases if a.strip() and a != row.answer]
    answer = canonical_answer(row.answer, answer_type, row.meta)
    return Item.create(behavior=behavior, domain=domain, difficulty=difficulty,
                       prompt=item_prompt(row), answer=answer, answer_type=answer_type,
                       source=row.id, meta=meta)


def is_candidates_file(path: Path | str) -> bool:
    """True when the first row of a JSONL file carries proposal fields."""
    p = Path(path)
    if not p.is_file():
        return False
    with p.open(encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            if raw.strip():
                try:
                    obj = json.loads(raw)
                except json.JSONDecodeError:
                    return False
                return isinstance(obj, dict) and "proposed_behavior" in obj
    return False


def read_candidates(path: Path | str) -> list[Candidate]:
    p = Path(path)
    if not p.is_file():
        raise ItemFileError(p, "file does not exist")
    out: list[Candidate] = []
    ids: set[str] = set()
    for lineno, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ItemFileError(p, f"invalid JSON: {exc.msg}", lineno) from None
        if not isinstance(obj, dict):
            raise ItemFileError(p, "expected a JSON object", lineno)
        unknown = sorted(set(obj) - set(ITEM_FIELDS) - set(PROPOSAL_FIELDS))
        if unknown:
            raise ItemFileError(p, f"unknown field(s): {', '.join(unknown)}", lineno, unknown[0])
        try:
            item = Item.model_validate({k: v for k, v in obj.items() if k in ITEM_FIELDS})
        except ValueError as exc:
            raise ItemFileError(p, str(exc).splitlines()[0], lineno) from None
        if item.id in ids:
            raise ItemFileError(p, f"duplicate id {item.id!r}", lineno, "id")
        ids.add(item.id)
        out.append(Candidate(item, {k: v for k, v in obj.items() if k in PROPOSAL_FIELDS}))
    return out


def write_candidates(candidates: Iterable[Candidate], path: Path | str) -> Path:
    from reasonscope.fsutil import atomic_write_bytes

    data = "".join(c.to_json() + "\n" for c in candidates).encode("utf-8")
    return atomic_write_bytes(Path(path), data)


def candidate_items(candidates: Sequence[Candidate]) -> list[Item]:
    return [c.item for c in candidates]
