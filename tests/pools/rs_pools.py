"""Pool-test helpers: small hand-made pools and an embedder wrapper that counts model calls."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent / "data"


def pool_row(row_id: str, question: str, answer: str, **meta: Any) -> dict[str, Any]:
    return {"id": row_id, "source": "tests/pools@0:inline", "question": question,
            "answer": answer, "meta": meta}


def small_pool_rows() -> list[dict[str, Any]]:
    """Sixteen rows whose cells a person would agree on, over several answer types."""
    return [
        pool_row("mini/1", "Compute 17 * 23.", "391"),
        pool_row("mini/2", "What is 2^10 - 1?", "1023"),
        pool_row("mini/3", "A shirt costs $40 and is discounted by 25%. What is the new price "
                 "in dollars?", "30"),
        pool_row("mini/4", "How many subsets of a 5-element set have exactly 2 elements?", "10"),
        pool_row("mini/5", "How many ways can 4 people sit in a row of 4 chairs?", "24"),
        pool_row("mini/6", "def f(x):\n    for i in range(3):\n        x = x * 2 - i\n    "
                 "return x\nassert f(3) == ??", "20"),
        pool_row("mini/7", "Alice has a red ball and Bob has a blue ball. They swap balls, then "
                 "swap again. Which ball does Alice have?", "red"),
        pool_row("mini/8", "What is the chemical symbol of potassium?", "K"),
        pool_row("mini/9", "Which planet is closest to the Sun?", "C",
                 options=["Venus", "Earth", "Mercury", "Mars"]),
        pool_row("mini/10", "What is the capital city of Canada?", "Ottawa"),
        pool_row("mini/11", "((2 + 3) * 4) =", "0", first_error_index0=1,
                 steps=["2 + 3 = 5", "5 * 4 = 21", "So the answer is 21"]),
        pool_row("mini/12", "Which statement about photosynthesis is true?\nOptions:\n(A) It "
                 "releases oxygen\n(B) It needs no light", "(A)"),
        pool_row("mini/13", "In Python 3, what is the value of -7 // 2?", "-4"),
        pool_row("mini/14", "A car travels at 60 km/h for 2.5 hours. How far does it go in km?",
                 "150"),
        pool_row("mini/15", "Write a function add(a, b) that returns a + b.",
                 "def add(a, b):\n    return a + b", test_list=["assert add(1, 2) == 3"]),
        pool_row("mini/16", "Simplify $\\frac{6}{8}$.", "\\frac{3}{4}"),
    ]


def write_jsonl(path: Path, rows: Sequence[dict[str, Any] | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return path




class CountingEmbedder:
    """Wraps an embedder and records how many texts reached the model."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.encoded = 0
        self.calls = 0

    @property
    def model_id(self) -> str:
        return str(self.inner.model_id)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        return np.asarray(self.inner.encode(texts))
