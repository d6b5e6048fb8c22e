"""Completions built to hurt: each is scored or rejected quickly and never raises.

The time limit is generous (a loaded 2-core CI machine); the work itself takes milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from rs_scoring import make_item

from reasonscope.items import Item
from reasonscope.scoring import ScoreResult, score
from reasonscope.scoring.mathverify_pool import get_pool

LIMIT_S = 2.0

ITEMS = [make_item(gold, t) for t, gold in [
    ("integer", "12"), ("number", "1.5"), ("rational", "1/2"), ("expression", "x^2+1"),
    ("string", "Paris"), ("choice", "B"), ("line", "3"), ("list", "1, 2"), ("set", "a, b"),
    ("python", "[1, 2]"),
]] + [make_item("", "code_tests", meta={"tests": "assert f() == 1", "entry_point": "f"})]

PROSE = "Let me think about this step by step. " * 80_000  # ~3 MB

CASES = {
    "megabytes of prose, then a box": PROSE + r"\boxed{12}",
    "megabytes of prose, no box": PROSE,
    "ten thousand nested braces": "\\boxed{" + "{" * 10_000 + "1" + "}" * 10_000 + "}",
    "ten thousand nested boxes": "\\boxed{" * 10_000 + "1" + "}" * 10_000,
    "ten thousand unclosed braces": "\\boxed{" + "{" * 10_000,
    "a box of 10k characters of LaTeX": "\\boxed{" + r"\frac{x^{2}+1}{\sqrt{y}}+" * 400 + "1}",
    "a box of 100k digits": "\\boxed{" + "9" * 100_000 + "}",
    "a megabyte inside one box": "\\boxed{" + "a, " * 350_000 + "b}",
    "deeply nested list": "\\boxed{" + "[" * 5000 + "]" * 5000 + "}",
    "huge exponent": r"\boxed{9^{9^{9^{9}}}}",
    "scientific overflow": r"\boxed{1e999999999}",
    "many think tags": "<think></think>" * 50_000 + r"\boxed{12}",
    "unclosed think": "<think>" + PROSE + r"\boxed{12}",
    "many code fences": "```python\nx = 1\n```\n" * 20_000,
    "deeply nested code": "```python\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n```",
    "a megabyte of code": "```python\n" + "x = 1\n" * 200_000 + "```",
    "null bytes and surrogates": "\\boxed{1\x002\ud800}",
}


@pytest.fixture(scope="module", autouse=True)
def warm_pool() -> Iterator[None]:
    assert get_pool().check("1", "1").equal  # worker start-up is not part of any timing below
    yield


def _timed(item: Item, completion: str) -> tuple[ScoreResult, float]:
    t0 = time.monotonic()
    r = score(item, completion)
    return r, time.monotonic() - t0


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("item", ITEMS, ids=[i.answer_type.value for i in ITEMS])
def test_pathological_completion_is_fast_and_safe(case: str, item: Item) -> None:
    r, elapsed = _timed(item, CASES[case])
    assert elapsed < LIMIT_S, f"{case} took {elapsed:.2f}s"
    assert r.parse_status in ("ok", "no_answer", "unparseable")
    assert r.correct in (True, False)
    if r.extracted is not None:
        assert len(r.extracted) <= 65_536


def test_expected_verdicts_on_some_pathological_inputs() -> None:
    integer, expression = ITEMS[0], ITEMS[3]
    assert score(integer, CASES["megabytes of prose, then a box"]).correct
    assert score(integer, CASES["megabytes of prose, no box"]).parse_status == "no_answer"
    assert score(integer, CASES["many think tags"]).correct
    assert score(integer, CASES["unclosed think"]).parse_status == "no_answer"
    for case in ("ten thousand nested braces", "a box of 10k characters of LaTeX",
                 "a box of 100k digits", "huge exponent", "scientific overflow"):
        assert score(integer, CASES[case]).parse_status == "unparseable", case
    for case in ("ten thousand nested braces", "a box of 10k characters of LaTeX"):
        assert score(expression, CASES[case]).parse_status == "unparseable", case
    code = ITEMS[-1]
    assert score(code, CASES["deeply nested code"]).parse_status == "unparseable"
    assert score(code, CASES["a megabyte of code"]).parse_status == "unparseable"
