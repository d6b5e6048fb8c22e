"""Proof that training text does not contain evaluation items.

Exact prompt containment is the hard check (any hit fails). Word n-gram overlap is reported
beside it because generated items share templates: a high share of common n-grams is expected
and harmless, but an item whose every n-gram occurs in the training text deserves a look.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reasonscope.items import Item

_WORD = re.compile(r"\w+|[^\w\s]")


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class ContaminationReport:
    n: int
    eval_items: int
    train_texts: int
    exact_hits: tuple[str, ...]
    mean_overlap: float
    max_overlap: float
    items_fully_covered: int
    overlap_by_item: dict[str, float] = field(repr=False, default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.exact_hits


def check_contamination(eval_items: Sequence[Item], train_texts: Iterable[str],
                        n: int = 13) -> ContaminationReport:
    """Exact containment of each eval prompt in any training text, and n-gram overlap share."""
    texts = [_normalise(t) for t in train_texts]
    corpus = "\n".join(texts)
    train_grams: set[tuple[str, ...]] = set()
    for t in texts:
        train_grams |= _ngrams(t, n)
    hits: list[str] = []
    overlap: dict[str, float] = {}
    for item in eval_items:
        if _normalise(item.prompt) in corpus:
            hits.append(item.id)
        grams = _ngrams(item.prompt, n)
        overlap[item.id] = len(grams & train_grams) / len(grams) if grams else 0.0
    values = list(overlap.values()) or [0.0]
    return ContaminationReport(
        n=n,
        eval_items=len(eval_items),
        train_texts=len(texts),
        exact_hits=tuple(hits),
        mean_overlap=sum(values) / len(values),
        max_overlap=max(values),
        items_fully_covered=sum(1 for v in values if v >= 1.0 and v > 0),
        overlap_by_item=overlap,
    )


def texts_from_jsonl(path: Path, fields: Sequence[str] = ("prompt", "question", "text",
                                                          "completion", "messages")) -> list[str]:
    """Every string under the given fields of each row (chat messages included)."""
    out: list[str] = []
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from None
            if not isinstance(row, dict):
                continue
            for key in fields:
                value = row.get(key)
                if key == "messages" and isinstance(value, list):
                    value = [m.get("content") for m in value if isinstance(m, dict)]
                out.extend(_strings(value))
    return out


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []
