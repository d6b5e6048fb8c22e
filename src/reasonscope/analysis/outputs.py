"""What the completions look like, per cell and checkpoint (DESIGN section 8, Outputs).

Per sample, then averaged over the cell's samples:
- `length_tokens`: the stored completion token count (characters when a backend gave none);
- `truncated`: finish_reason "length" or parse status "truncated" (as the report counts it);
- `parsed`: parse status "ok";
- `reflection_rate`: reflection words per 100 words ("wait", "check", "verify", ...), and
  `reflective`: the share of samples with at least one;
- `repeat_4gram`: 1 − distinct/total word 4-grams of the completion (0 for < 4 words):
  the share of its 4-grams that repeat an earlier one, a degeneration signal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reasonscope.engine.store import read_samples

REFLECTION_WORDS: tuple[str, ...] = (
    "wait", "check", "verify", "recheck", "double-check", "hmm", "mistake", "actually",
    "reconsider", "re-evaluate", "re-examine", "alternatively", "oops",
)
_REFLECTION_SET = frozenset(REFLECTION_WORDS)
_WORD_RE = re.compile(r"[\w'-]+")
NGRAM = 4


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def reflection_count(text: str) -> int:
    """Whole words only, case-insensitive ("Double-check" counts, "checksum" does not)."""
    return sum(1 for w in words(text) if w in _REFLECTION_SET)


def repeated_ngram_rate(tokens: Sequence[str], n: int = NGRAM) -> float:
    grams = [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    if not grams:
        return 0.0
    return 1.0 - len(set(grams)) / len(grams)


@dataclass
class SampleOutput:
    length_tokens: float
    length_chars: int
    truncated: bool
    parsed: bool
    reflections: int
    n_words: int
    repeat_4gram: float


def sample_output(row: Mapping[str, Any]) -> SampleOutput:
    text = row.get("completion") or ""
    toks = words(text)
    n_tok = row.get("completion_tokens")
    status = row.get("parse_status") or ""
    return SampleOutput(
        length_tokens=float(n_tok) if n_tok is not None else float(len(text)),
        length_chars=len(text),
        truncated=row.get("finish_reason") == "length" or status == "truncated",
        parsed=status == "ok", reflections=reflection_count(text), n_words=len(toks),
        repeat_4gram=repeated_ngram_rate(toks))


@dataclass
class CellOutputs:
    model: str
    behavior: str
    domain: str
    n_samples: int
    length_tokens: float
    length_chars: float
    truncation_rate: float
    parse_rate: float
    reflection_rate: float
    """Reflection words per 100 words, pooled over the cell's samples."""
    reflective: float
    repeat_4gram: float


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def cell_outputs(model: str, behavior: str, domain: str, samples: Sequence[SampleOutput]
                 ) -> CellOutputs:
    n_words = sum(s.n_words for s in samples)
    return CellOutputs(
        model=model, behavior=behavior, domain=domain, n_samples=len(samples),
        length_tokens=_mean([s.length_tokens for s in samples]),
        length_chars=_mean([float(s.length_chars) for s in samples]),
        truncation_rate=_mean([float(s.truncated) for s in samples]),
        parse_rate=_mean([float(s.parsed) for s in samples]),
        reflection_rate=100.0 * sum(s.reflections for s in samples) / n_words if n_words
        else 0.0,
        reflective=_mean([float(s.reflections > 0) for s in samples]),
        repeat_4gram=_mean([s.repeat_4gram for s in samples]))


@dataclass
class OutputsReport:
    models: list[str]
    cells: list[CellOutputs]
    overall: list[CellOutputs]

    def to_dict(self) -> dict[str, Any]:
        return {"models": self.models, "cells": [asdict(c) for c in self.cells],
                "overall": [asdict(c) for c in self.overall]}


def analyze_outputs(runs: Mapping[str, Path | str] | Sequence[Path | str]) -> OutputsReport:
    """Output statistics of each run directory (label -> run), per cell and overall."""
    if not isinstance(runs, Mapping):
        runs = {Path(r).name: r for r in runs}
    cells: list[CellOutputs] = []
    overall: list[CellOutputs] = []
    for label, run in runs.items():
        table = read_samples(Path(run)).select(
            ["behavior", "domain", "completion", "completion_tokens", "finish_reason",
             "parse_status"])
        groups: dict[tuple[str, str], list[SampleOutput]] = {}
        every: list[SampleOutput] = []
        for row in table.to_pylist():
            s = sample_output(row)
            groups.setdefault((row["behavior"] or "?", row["domain"] or "?"), []).append(s)
            every.append(s)
        cells += [cell_outputs(label, b, d, v) for (b, d), v in sorted(groups.items())]
        overall.append(cell_outputs(label, "all", "all", every))
    return OutputsReport(models=list(runs), cells=cells, overall=overall)
