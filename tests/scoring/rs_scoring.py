"""Item builders and pool access shared by the scoring tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("REASONSCOPE_SHARED", REPO.parent / "shared"))
POOLS = SHARED / "pools"


def make_item(answer: str, answer_type: AnswerType | str, *, tolerance: float | None = None,
              meta: dict[str, Any] | None = None, prompt: str = "Q?") -> Item:
    return Item.create(behavior=Behavior.CALCULATION, domain=Domain.MATH, difficulty=1,
                       prompt=prompt, answer=answer, answer_type=AnswerType(answer_type),
                       source="test@1+0", tolerance=tolerance, meta=meta)


def boxed(text: str) -> str:
    return f"Some reasoning first.\n\nThe final answer is $\\boxed{{{text}}}$."


def pool_rows(name: str, limit: int | None = None) -> list[dict[str, Any]]:
    path = POOLS / name
    if not path.exists():
        pytest.skip(f"shared pool {path} not found (set REASONSCOPE_SHARED to the shared/ dir)")
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows
