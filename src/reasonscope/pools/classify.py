"""Cell scorers on embeddings: four ways to say which of the 20 cells a pool item belongs to.

- `nearest-seed`: cosine to the closest seed query of each cell (the study's retrieval).
- `prototype`: cosine to a per-cell prototype, the mean of the cell's seed queries and of its
  built-in suite items (each group normalised first, so 4 seeds weigh as much as 60 items).
- `logreg`: multinomial logistic regression over the 20 cells, trained on seeds + suite.
- `logreg-factored`: one logistic regression for the behavior and one for the domain, with
  p(cell) = p(behavior) p(domain). Behavior is mostly the *form* of a question and domain its
  *topic*; factoring lets every cell borrow the other cells' examples of its behavior and of
  its domain.

Scores are comparable within one method only (cosines for the first two, probabilities for
the others). Which method labels best is measured, not assumed: see docs/pools.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reasonscope.pools.embed import normalize_rows
from reasonscope.taxonomy import BEHAVIORS, CELLS, DOMAINS, Behavior, Domain

Cell = tuple[Behavior, Domain]
CELL_INDEX: dict[Cell, int] = {cell: i for i, cell in enumerate(CELLS)}
METHODS = ("nearest-seed", "prototype", "logreg", "logreg-factored")
LOGREG_C = 1.0


@dataclass(frozen=True)
class ReferenceSet:
    """Embedded examples with known cells: the seed queries and the built-in suite items."""

    vectors: np.ndarray
    cells: tuple[Cell, ...]
    is_seed: np.ndarray

    def cell_ids(self) -> np.ndarray:
        return np.array([CELL_INDEX[c] for c in self.cells])

    def weights(self) -> np.ndarray:
        """Per example: seeds and suite items of a cell weigh the same in total."""
        ids = self.cell_ids()
        w = np.ones(len(ids), dtype=np.float64)
        for c in range(len(CELLS)):
            seeds = (ids == c) & self.is_seed
            others = (ids == c) & ~self.is_seed
            if seeds.any() and others.any():
                w[seeds] = others.sum() / seeds.sum()
        return w


class NearestSeed:
    name = "nearest-seed"

    def __init__(self, ref: ReferenceSet) -> None:
        self.vectors = ref.vectors[ref.is_seed]
        self.ids = ref.cell_ids()[ref.is_seed]

    def scores(self, x: np.ndarray) -> np.ndarray:
        sims = x @ self.vectors.T
        out = np.full((len(x), len(CELLS)), -1.0, dtype=np.float32)
        for c in range(len(CELLS)):
            cols = self.ids == c
            if cols.any():
                out[:, c] = sims[:, cols].max(axis=1)
        return out


class Prototype:
    name = "prototype"

    def __init__(self, ref: ReferenceSet) -> None:
        ids = ref.cell_ids()
        protos = np.zeros((len(CELLS), ref.vectors.shape[1]), dtype=np.float32)
        for c in range(len(CELLS)):
            parts = [ref.vectors[(ids == c) & mask] for mask in (ref.is_seed, ~ref.is_seed)]
            means = [normalize_rows(p.mean(axis=0, keepdims=True))[0] for p in parts if len(p)]
            if means:
                protos[c] = np.mean(means, axis=0)
        self.prototypes = normalize_rows(protos)

    def scores(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x @ self.prototypes.T, dtype=np.float32)


def _fit_logreg(x: np.ndarray, y: np.ndarray, w: np.ndarray, n_classes: int) -> object:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=LOGREG_C, max_iter=2000)
    model.fit(x, y, sample_weight=w)
    return model


def _proba(model: object, x: np.ndarray, n_classes: int) -> np.ndarray:
    """Probabilities over all classes (a class absent from training gets 0)."""
    probs = model.predict_proba(x)  # type: ignore[attr-defined]
    full = np.zeros((len(x), n_classes), dtype=np.float32)
    full[:, model.classes_] = probs  # type: ignore[attr-defined]
    return full


class LogReg:
    name = "logreg"

    def __init__(self, ref: ReferenceSet) -> None:
        self.model = _fit_logreg(ref.vectors, ref.cell_ids(), ref.weights(), len(CELLS))

    def scores(self, x: np.ndarray) -> np.ndarray:
        return _proba(self.model, x, len(CELLS))


class LogRegFactored:
    name = "logreg-factored"

    def __init__(self, ref: ReferenceSet) -> None:
        b = np.array([BEHAVIORS.index(c[0]) for c in ref.cells])
        d = np.array([DOMAINS.index(c[1]) for c in ref.cells])
        w = ref.weights()
        self.behavior = _fit_logreg(ref.vectors, b, w, len(BEHAVIORS))
        self.domain = _fit_logreg(ref.vectors, d, w, len(DOMAINS))

    def scores(self, x: np.ndarray) -> np.ndarray:
        pb = _proba(self.behavior, x, len(BEHAVIORS))
        pd = _proba(self.domain, x, len(DOMAINS))
        out = np.empty((len(x), len(CELLS)), dtype=np.float32)
        for (beh, dom), c in CELL_INDEX.items():
            out[:, c] = pb[:, BEHAVIORS.index(beh)] * pd[:, DOMAINS.index(dom)]
        return out


CellScorer = NearestSeed | Prototype | LogReg | LogRegFactored


def make_scorer(method: str, ref: ReferenceSet) -> CellScorer:
    if method == "nearest-seed":
        return NearestSeed(ref)
    if method == "prototype":
        return Prototype(ref)
    if method == "logreg":
        return LogReg(ref)
    if method == "logreg-factored":
        return LogRegFactored(ref)
    raise ValueError(f"unknown labelling method {method!r}; one of {', '.join(METHODS)}")


@dataclass(frozen=True)
class Ranked:
    """Per row: the best cell, its score, the runner-up cell and the margin between them."""

    best: np.ndarray
    score: np.ndarray
    runner_up: np.ndarray
    margin: np.ndarray


def rank_cells(scores: np.ndarray) -> Ranked:
    order = np.argsort(-scores, axis=1, kind="stable")
    rows = np.arange(len(scores))
    best, second = order[:, 0], order[:, 1]
    return Ranked(best=best, score=scores[rows, best], runner_up=second,
                  margin=scores[rows, best] - scores[rows, second])


def cells_of(indices: Sequence[int] | np.ndarray) -> list[Cell]:
    return [CELLS[int(i)] for i in indices]
