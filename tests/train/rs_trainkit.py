"""Small training files shared by the training tests."""

from __future__ import annotations

import json
from pathlib import Path

QA_ROWS = [(a, b) for a in range(1, 9) for b in range(1, 4)]


def qa_rows() -> list[dict[str, str]]:
    """Addition problems whose solutions differ in length (a check line when b is 3)."""
    return [{"question": f"What is {a} + {b}?", "golden_answer": str(a + b),
             "solution": f"Add {a} and {b}.\n{a} + {b} = {a + b}.\n"
                         + (f"Check: {a + b} - {b} = {a}.\n" if b == 3 else "")
                         + f"The answer is \\boxed{{{a + b}}}."} for a, b in QA_ROWS]


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
