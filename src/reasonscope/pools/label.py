"""`bench label`: propose a cell for every pool row.

The labeller is fitted once on the reference set (seed queries + the built-in suite, embedded
through the cache) and then applied to pool rows streamed in chunks, so a 50k-row pool costs
one chunk of texts and the output vectors in memory. Each output row says which cell, how
sure (the method's score and the margin to the best other cell), and which seed is closest,
which is what a reviewer wants to see first.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reasonscope.items import Item
from reasonscope.pools.cache import EmbeddingCache, EmbedStats, embed_texts
from reasonscope.pools.classify import (
    Cell,
    CellScorer,
    ReferenceSet,
    cells_of,
    make_scorer,
    rank_cells,
)
from reasonscope.pools.embed import Embedder
from reasonscope.pools.importer import ImportReport, import_rows
from reasonscope.pools.prompting import embedding_text
from reasonscope.pools.rows import PoolRow
from reasonscope.pools.seeds import Seed, load_seeds, query_text
from reasonscope.taxonomy import Behavior, Domain

DEFAULT_METHOD = "logreg-factored"
REFERENCE_SUITE = "rs-synth-v1"
CHUNK = 2048


@dataclass(frozen=True)
class Proposal:
    source_id: str
    pool: str
    behavior: Behavior
    domain: Domain
    similarity: float
    margin: float
    runner_up: Cell
    nearest_seed: str
    seed_similarity: float
    method: str
    embedder: str

    @property
    def cell(self) -> Cell:
        return (self.behavior, self.domain)

    def to_dict(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "pool": self.pool,
                "proposed_behavior": self.behavior.value, "proposed_domain": self.domain.value,
                "similarity": round(self.similarity, 6), "margin": round(self.margin, 6),
                "runner_up": f"{self.runner_up[0].value}/{self.runner_up[1].value}",
                "nearest_seed": self.nearest_seed,
                "seed_similarity": round(self.seed_similarity, 6),
                "method": self.method, "embedder": self.embedder}


@dataclass(frozen=True)
class Reference:
    """The embedded reference set and the seeds in it (first `len(seeds)` rows)."""

    set: ReferenceSet
    seeds: tuple[Seed, ...]
    seed_vectors: np.ndarray
    embedder_id: str


def build_reference(embedder: Embedder, cache: EmbeddingCache | None,
                    seeds: Sequence[Seed] | None = None,
                    suite_items: Sequence[Item] | None = None) -> Reference:
    seed_list = tuple(seeds) if seeds is not None else tuple(load_seeds())
    if suite_items is None:
        from reasonscope.bench.suites import load_suite

        suite_items = load_suite(REFERENCE_SUITE).items
    texts = [query_text(s) for s in seed_list] + [i.prompt for i in suite_items]
    cells = tuple(s.cell for s in seed_list) + tuple(i.cell for i in suite_items)
    from reasonscope.pools.packaged import embed_reference

    vectors = embed_reference(texts, embedder, cache)
    is_seed = np.zeros(len(texts), dtype=bool)
    is_seed[: len(seed_list)] = True
    return Reference(ReferenceSet(vectors, cells, is_seed), seed_list,
                     vectors[: len(seed_list)], embedder.model_id)


class Labeller:
    def __init__(self, reference: Reference, method: str = DEFAULT_METHOD) -> None:
        self.reference = reference
        self.method = method
        self.scorer: CellScorer = make_scorer(method, reference.set)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        return self.scorer.scores(vectors)

    def nearest_seeds(self, vectors: np.ndarray, k: int = 3) -> list[list[tuple[Seed, float]]]:
        sims = vectors @ self.reference.seed_vectors.T
        top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        return [[(self.reference.seeds[j], float(sims[i, j])) for j in row]
                for i, row in enumerate(top)]

    def propose(self, rows: Sequence[PoolRow], vectors: np.ndarray) -> list[Proposal]:
        ranked = rank_cells(self.scores(vectors))
        seed_sims = vectors @ self.reference.seed_vectors.T
        nearest = seed_sims.argmax(axis=1)
        best_cells, second = cells_of(ranked.best), cells_of(ranked.runner_up)
        return [Proposal(source_id=row.id, pool=row.pool, behavior=best_cells[i][0],
                         domain=best_cells[i][1], similarity=float(ranked.score[i]),
                         margin=float(ranked.margin[i]), runner_up=second[i],
                         nearest_seed=self.reference.seeds[int(nearest[i])].id,
                         seed_similarity=float(seed_sims[i, nearest[i]]), method=self.method,
                         embedder=self.reference.embedder_id)
                for i, row in enumerate(rows)]


def chunks(rows: Iterable[PoolRow], size: int) -> Iterator[list[PoolRow]]:
    block: list[PoolRow] = []
    for row in rows:
        block.append(row)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


@dataclass
class LabelSummary:
    rows: int = 0
    cells: Counter[Cell] = field(default_factory=Counter)
    imported: ImportReport = field(default_factory=ImportReport)
    embedding: EmbedStats = field(default_factory=EmbedStats)


def label_stream(sources: Sequence[str | Path], labeller: Labeller, embedder: Embedder,
                 cache: EmbeddingCache | None, *, skip_bad: bool = False,
                 summary: LabelSummary | None = None, chunk: int = CHUNK,
                 progress: Callable[[int], None] | None = None,
                 ) -> Iterator[tuple[PoolRow, Proposal, np.ndarray]]:
    """(row, proposal, vector) for every row of every pool, one chunk at a time."""
    summ = summary if summary is not None else LabelSummary()
    rows = import_rows(sources, skip_bad=skip_bad, report=summ.imported)
    for block in chunks(rows, chunk):
        vectors = embed_texts([embedding_text(r) for r in block], embedder, cache,
                              chunk=chunk, stats=summ.embedding)
        for row, prop, vec in zip(block, labeller.propose(block, vectors), vectors,
                                  strict=True):
            summ.rows += 1
            summ.cells[prop.cell] += 1
            yield row, prop, vec
        if progress is not None:
            progress(len(block))


@dataclass
class LabelledPool:
    """Every row of some pools with its vector and proposal, held together for `select`."""

    rows: list[PoolRow]
    vectors: np.ndarray
    proposals: list[Proposal]
    summary: LabelSummary


def collect(sources: Sequence[str | Path], labeller: Labeller, embedder: Embedder,
            cache: EmbeddingCache | None, *, skip_bad: bool = False, chunk: int = CHUNK,
            progress: Callable[[int], None] | None = None) -> LabelledPool:
    summary = LabelSummary()
    rows: list[PoolRow] = []
    proposals: list[Proposal] = []
    blocks: list[np.ndarray] = []
    for row, prop, vec in label_stream(sources, labeller, embedder, cache, skip_bad=skip_bad,
                                       summary=summary, chunk=chunk, progress=progress):
        rows.append(row)
        proposals.append(prop)
        blocks.append(vec)
    dim = blocks[0].shape[0] if blocks else 0
    vectors = np.stack(blocks) if blocks else np.zeros((0, dim), dtype=np.float32)
    return LabelledPool(rows, vectors, proposals, summary)


def write_labels(triples: Iterable[tuple[PoolRow, Proposal, np.ndarray]], out: Path) -> int:
    from reasonscope.pools.atomic import atomic_text_writer

    n = 0
    with atomic_text_writer(out) as fh:
        for _, prop, _ in triples:
            fh.write(json.dumps(prop.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


__all__ = ["DEFAULT_METHOD", "LabelledPool", "Labeller", "Proposal", "Reference",
           "build_reference", "collect", "label_stream", "write_labels"]
