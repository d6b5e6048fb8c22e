"""Output statistics: the per-sample definitions by hand, and per-cell means of a stored run."""

from __future__ import annotations

from pathlib import Path

import pytest
from rs_analysiskit import sample_row, write_run

from reasonscope.analysis.outputs import (
    analyze_outputs,
    reflection_count,
    repeated_ngram_rate,
    words,
)


def test_reflection_words_are_counted_as_words() -> None:
    text = "Wait, let me check. Checking is not check-ing; VERIFY it. Double-check: waiting."
    assert reflection_count(text) == 4  # Wait, check, VERIFY, Double-check
    assert reflection_count("awaited checksum") == 0


def test_repeated_4gram_rate() -> None:
    assert repeated_ngram_rate(words("a b c d a b c d")) == pytest.approx(1 - 4 / 5)
    assert repeated_ngram_rate(words("one two three")) == 0.0
    assert repeated_ngram_rate(words("x x x x x x")) == pytest.approx(1 - 1 / 3)


def test_cell_means_of_a_run(tmp_path: Path) -> None:
    rows = [
        sample_row("r", "m", "a", "calculation", "math", 0, "p", "Wait. The answer is 3.",
                   tokens=6),
        sample_row("r", "m", "a", "calculation", "math", 1, "p", "so so so so so so", tokens=20,
                   status="truncated", finish="length"),
        sample_row("r", "m", "b", "simulation", "coding", 0, "p", "It prints 4.", tokens=4,
                   status="no_answer"),
    ]
    report = analyze_outputs({"tuned": write_run(tmp_path, "run", rows, model="m")})
    cells = {(c.behavior, c.domain): c for c in report.cells}
    calc = cells[("calculation", "math")]
    assert calc.n_samples == 2 and calc.length_tokens == 13.0
    assert calc.truncation_rate == 0.5 and calc.parse_rate == 0.5
    assert calc.reflection_rate == pytest.approx(100 * 1 / 11)  # 1 reflection in 5 + 6 words
    assert calc.reflective == 0.5
    assert calc.repeat_4gram == pytest.approx((0 + (1 - 1 / 3)) / 2)
    sim = cells[("simulation", "coding")]
    assert sim.parse_rate == 0.0 and sim.truncation_rate == 0.0
    (overall,) = report.overall
    assert overall.n_samples == 3 and overall.model == "tuned"
    assert set(report.to_dict()) == {"models", "cells", "overall"}
