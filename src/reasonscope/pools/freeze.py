"""`bench freeze`: the accepted candidates of a review become a suite, with its label quality.

A frozen item carries the reviewer's cell and answer (a relabel or an edit changes the item's
content id, as any content change must) and keeps in `meta.review` what was proposed, so the
suite says where every item came from. The label-quality report is the agreement of proposed
cells with the reviewer's decisions, per proposed cell: of the candidates the reviewer kept,
how many stayed in the proposed cell, and how many candidates were rejected outright.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonscope.fsutil import atomic_write_text
from reasonscope.items import Item, dumps_items, write_items
from reasonscope.pools.answer_types import check_answer
from reasonscope.pools.candidates import Candidate, read_candidates
from reasonscope.pools.review.store import (
    CandidateState,
    DecisionStore,
    decisions_path,
    fold,
)
from reasonscope.taxonomy import CELLS


class FreezeError(ValueError):
    pass


@dataclass(frozen=True)
class CellQuality:
    cell: str
    candidates: int
    decided: int
    accepted_as_proposed: int
    relabelled: int
    rejected: int

    @property
    def agreement(self) -> float | None:
        """Share of kept candidates whose proposed cell the reviewer confirmed."""
        kept = self.accepted_as_proposed + self.relabelled
        return self.accepted_as_proposed / kept if kept else None


@dataclass(frozen=True)
class FreezeResult:
    items: list[Item]
    path: Path
    sha256: str
    quality: list[CellQuality]
    undecided: int
    orphans: int


def frozen_items(candidates: Sequence[Candidate], states: dict[str, CandidateState],
                 name: str) -> list[Item]:
    out: list[Item] = []
    for cand in candidates:
        state = states[cand.id]
        if state.status != "accepted":
            continue
        item = cand.item
        try:
            answer = check_answer(state.answer, item.answer_type) if state.edited else item.answer
        except ValueError as exc:
            raise FreezeError(f"candidate {cand.id}: edited answer: {exc}") from None
        review = {"candidate_id": cand.id,
                  "proposed": f"{item.behavior.value}/{item.domain.value}",
                  "relabelled": state.relabelled, "edited": state.edited}
        if state.edited:
            review["original_answer"] = item.answer
        out.append(Item.create(behavior=state.behavior, domain=state.domain,
                               difficulty=item.difficulty, prompt=item.prompt, answer=answer,
                               answer_type=item.answer_type, source=item.source,
                               tolerance=item.tolerance,
                               meta={**item.meta, "suite": name, "review": review}))
    out.sort(key=lambda i: (CELLS.index(i.cell), i.id))
    return out


def label_quality(candidates: Sequence[Candidate], states: dict[str, CandidateState]
                  ) -> list[CellQuality]:
    rows: list[CellQuality] = []
    for cell in CELLS:
        ids = [c.id for c in candidates if c.item.cell == cell]
        if not ids:
            continue
        st = [states[i] for i in ids]
        accepted = [s for s in st if s.status == "accepted"]
        rows.append(CellQuality(f"{cell[0].value}/{cell[1].value}", len(ids),
                                sum(s.status != "undecided" for s in st),
                                sum(not s.relabelled for s in accepted),
                                sum(s.relabelled for s in accepted),
                                sum(s.status == "rejected" for s in st)))
    return rows


def freeze(candidates_path: Path, out: Path, name: str,
           db_path: Path | None = None) -> FreezeResult:
    db = db_path or decisions_path(candidates_path)
    if not db.exists():
        raise FreezeError(f"{db}: no decisions file (review the candidates first, or pass "
                          "--decisions)")
    candidates = read_candidates(candidates_path)
    states, orphans = fold(candidates, DecisionStore(db).all())
    items = frozen_items(candidates, states, name)
    if not items:
        raise FreezeError(f"{db}: no accepted candidate; nothing to freeze")
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise FreezeError("two accepted candidates became the same item; reject one of them")
    write_items(items, out)
    digest = hashlib.sha256(dumps_items(items)).hexdigest()
    quality = label_quality(candidates, states)
    undecided = sum(s.status == "undecided" for s in states.values())
    manifest: dict[str, Any] = {
        "name": name, "items": len(items), "sha256": digest,
        "candidates": str(candidates_path), "decisions": str(db),
        "undecided": undecided, "orphan_decisions": len(orphans),
        "cells": {f"{c[0].value}/{c[1].value}": n for c in CELLS
                  if (n := sum(i.cell == c for i in items))},
        "label_quality": [{**q.__dict__, "agreement": q.agreement} for q in quality],
    }
    atomic_write_text(out.with_name(out.stem + ".manifest.json"),
                      json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return FreezeResult(items, out, digest, quality, undecided, len(orphans))
