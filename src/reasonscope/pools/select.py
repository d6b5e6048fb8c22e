"""`bench select`: the top-k pool rows per cell, without near-duplicates, diverse, and clean of
a given training set.

The labeller decides which cell a row belongs to; within a cell, rows are ranked by their
cosine to the nearest seed *of that cell* (the retrieval of the design: the top-k nearest pool
items per cell). Ranking by the classifier's probability instead put confidently misplaced rows
first (a classifier is most sure far from its training data, where a seed's cosine is low). A
shortlist of the best `shortlist * k` goes through maximal marginal relevance (MMR), which
trades relevance against similarity to what the cell already holds, so k questions of one
template cannot fill a cell. A row whose cosine to any already selected row (in any cell)
exceeds the duplicate threshold is dropped outright. Rows that occur in the training texts
(exact containment of the question, or full n-gram coverage) never enter a shortlist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from reasonscope.pools.candidates import Candidate, item_from_row
from reasonscope.pools.label import Labeller, Proposal
from reasonscope.pools.rows import PoolRow
from reasonscope.taxonomy import CELLS, AnswerType, Behavior, Domain

Cell = tuple[Behavior, Domain]


@dataclass(frozen=True)
class SelectConfig:
    per_cell: int = 50
    dup_threshold: float = 0.95
    mmr_lambda: float = 0.7
    shortlist: int = 10
    neighbours: int = 3
    max_overlap: float = 1.0
    ngram: int = 13
    exclude_types: tuple[AnswerType, ...] = ()


@dataclass
class SelectReport:
    selected: Counter[Cell] = field(default_factory=Counter)
    proposed: Counter[Cell] = field(default_factory=Counter)
    duplicates: int = 0
    contaminated: int = 0
    excluded: int = 0
    unusable: list[str] = field(default_factory=list)


def mmr_pick(relevance: np.ndarray, vectors: np.ndarray, k: int, lam: float,
             dup_threshold: float, taken: np.ndarray | None = None) -> tuple[list[int], int]:
    """Greedy MMR over one shortlist: argmax lam*rel - (1-lam)*max sim to the picked ones.

    Candidates closer than `dup_threshold` to anything picked here or in `taken` (rows already
    chosen for other cells) are dropped. Returns (picked positions, duplicates dropped)."""
    n = len(relevance)
    alive = np.ones(n, dtype=bool)
    max_sim = np.zeros(n, dtype=np.float32)
    if taken is not None and len(taken):
        dup = (vectors @ taken.T).max(axis=1) > dup_threshold
        alive &= ~dup
    dropped = int((~alive).sum())
    picked: list[int] = []
    while len(picked) < k and alive.any():
        gain = np.where(alive, lam * relevance - (1 - lam) * max_sim, -np.inf)
        best = int(np.argmax(gain))
        picked.append(best)
        alive[best] = False
        sims = vectors @ vectors[best]
        newly_dup = alive & (sims > dup_threshold)
        dropped += int(newly_dup.sum())
        alive &= ~newly_dup
        max_sim = np.maximum(max_sim, sims)
    return picked, dropped


def cell_seed_similarity(vectors: np.ndarray, proposals: Sequence[Proposal],
                         labeller: Labeller) -> np.ndarray:
    """Per row: cosine to the closest seed of the row's proposed cell."""
    seeds = labeller.reference.seeds
    out = np.full(len(proposals), -1.0, dtype=np.float32)
    for cell in CELLS:
        rows = [i for i, p in enumerate(proposals) if p.cell == cell]
        cols = [j for j, s in enumerate(seeds) if s.cell == cell]
        if rows and cols:
            sims = vectors[rows] @ labeller.reference.seed_vectors[cols].T
            out[rows] = sims.max(axis=1)
    return out


def contaminated_rows(rows: Sequence[PoolRow], indices: Sequence[int],
                      train_texts: Sequence[str], config: SelectConfig) -> set[int]:
    """Rows whose question (or full prompt) occurs in, or is fully n-gram covered by, the
    training texts; uses the same check as `bench contamination`."""
    from reasonscope.bench.contamination import check_contamination
    from reasonscope.items import Item

    probes = [Item.create(behavior=Behavior.CALCULATION, domain=Domain.MATH, difficulty=1,
                          prompt=rows[i].question, answer="x", answer_type=AnswerType.STRING,
                          source=f"probe{i}") for i in indices]
    report = check_contamination(probes, train_texts, n=config.ngram)
    hits = set(report.exact_hits)
    out: set[int] = set()
    for i, probe in zip(indices, probes, strict=True):
        if probe.id in hits or report.overlap_by_item.get(probe.id, 0.0) >= config.max_overlap:
            out.add(i)
    return out


def select_candidates(rows: Sequence[PoolRow], vectors: np.ndarray,
                      proposals: Sequence[Proposal], labeller: Labeller,
                      config: SelectConfig, train_texts: Sequence[str] | None = None,
                      ) -> tuple[list[Candidate], SelectReport]:
    report = SelectReport()
    relevance_of = cell_seed_similarity(vectors, proposals, labeller)
    by_cell: dict[Cell, list[int]] = {}
    for i, prop in enumerate(proposals):
        report.proposed[prop.cell] += 1
        if rows[i].answer_type in config.exclude_types:
            report.excluded += 1
            continue
        by_cell.setdefault(prop.cell, []).append(i)
    shortlists: dict[Cell, list[int]] = {}
    for cell, idx in by_cell.items():
        order = sorted(idx, key=lambda i: (-relevance_of[i], rows[i].id))
        shortlists[cell] = order[: config.shortlist * config.per_cell]
    if train_texts:
        listed = sorted({i for s in shortlists.values() for i in s})
        dirty = contaminated_rows(rows, listed, train_texts, config)
        report.contaminated = len(dirty)
        shortlists = {c: [i for i in s if i not in dirty] for c, s in shortlists.items()}
    chosen: list[tuple[Cell, int]] = []
    taken = np.zeros((0, vectors.shape[1]), dtype=np.float32)
    for cell in CELLS:
        short = shortlists.get(cell, [])
        if not short:
            continue
        relevance = relevance_of[short]
        picked, dropped = mmr_pick(relevance, vectors[short], config.per_cell,
                                   config.mmr_lambda, config.dup_threshold, taken)
        report.duplicates += dropped
        rows_picked = [short[p] for p in picked]
        chosen += [(cell, i) for i in rows_picked]
        taken = np.concatenate([taken, vectors[rows_picked]])
    return _build(rows, vectors, proposals, labeller, chosen, relevance_of, config,
                  report), report


def _build(rows: Sequence[PoolRow], vectors: np.ndarray, proposals: Sequence[Proposal],
           labeller: Labeller, chosen: list[tuple[Cell, int]], relevance: np.ndarray,
           config: SelectConfig, report: SelectReport) -> list[Candidate]:
    if not chosen:
        return []
    idx = [i for _, i in chosen]
    seeds = labeller.nearest_seeds(vectors[idx])
    near_rows = _neighbours(vectors, idx, config.neighbours)
    out: list[Candidate] = []
    for k, (cell, i) in enumerate(chosen):
        row, prop = rows[i], proposals[i]
        try:
            item = item_from_row(row, cell[0], cell[1])
        except ValueError as exc:
            report.unusable.append(f"{row.id}: {exc}")
            continue
        near = near_rows[k]
        proposal = {**prop.to_dict(), "cell_seed_similarity": round(float(relevance[i]), 6),
                    "nearest_seeds": [{"id": s.id, "cell": f"{s.behavior.value}/{s.domain.value}",
                                       "similarity": round(sim, 4), "prompt": s.prompt[:300]}
                                      for s, sim in seeds[k]],
                    "neighbours": [{"source_id": rows[j].id,
                                    "cell": f"{proposals[j].behavior.value}/"
                                            f"{proposals[j].domain.value}",
                                    "similarity": round(float(vectors[i] @ vectors[j]), 4),
                                    "question": rows[j].question[:300]} for j in near]}
        if row.license:
            proposal["license"] = row.license
        out.append(Candidate(item, proposal))
        report.selected[cell] += 1
    return out


def _neighbours(vectors: np.ndarray, idx: Sequence[int], k: int,
                block: int = 256) -> list[list[int]]:
    """The k most similar other rows of each chosen row, a block of rows at a time so the
    similarity matrix never holds more than `block` x N floats."""
    out: list[list[int]] = []
    for start in range(0, len(idx), block):
        part = list(idx[start:start + block])
        sims = vectors[part] @ vectors.T
        sims[np.arange(len(part)), part] = -np.inf
        top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        out.extend([int(j) for j in row] for row in top)
    return out
