from __future__ import annotations

import pytest

from reasonscope.scoring import extract_boxed
from reasonscope.scoring.extract import (
    extract_by_pattern,
    extract_program,
    last_boxed,
    outside_think,
)


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        (r"so $\boxed{42}$.", "42"),
        (r"\boxed{1} then \boxed{2}", "2"),
        (r"\boxed{\frac{1}{2}}", r"\frac{1}{2}"),
        (r"\boxed{\{1, 2\}}", r"\{1, 2\}"),  # escaped braces are not groups
        (r"\boxed{\boxed{5}}", "5"),
        (r"\boxed {7}", "7"),
        (r"\fbox{C}", "C"),
        (r"\boxed{ 3 }", "3"),
        (r"\boxed{}", ""),
        (r"\boxed{8} and an unclosed \boxed{9", "8"),
        (r"\boxedx{3}", None),  # another command
        (r"\\boxed{9}", None),  # a line break, then the word 'boxed'
        ("no box here", None),
        (r"\boxed{x^{2}} + \boxed{y_{1}}", "y_{1}"),
    ],
)
def test_last_balanced_box(completion: str, expected: str | None) -> None:
    assert extract_boxed(completion) == expected


def test_think_blocks_are_not_answers() -> None:
    assert extract_boxed(r"<think>maybe \boxed{1}</think> so \boxed{2}") == "2"
    assert extract_boxed(r"<think>\boxed{1}</think> no box after") is None
    # Unclosed think block: the model never finished, so there is no answer.
    assert extract_boxed(r"\boxed{3} <think> \boxed{4}") is None
    # The template opened the block in the prompt: everything before </think> was thought.
    assert extract_boxed(r"thinking \boxed{1} </think> answer \boxed{2}") == "2"
    assert extract_boxed(r"thinking \boxed{1} </think> nothing") is None
    assert outside_think("a<think>b</think>c<think>d</think>e") == "ace"


def test_program_extraction() -> None:
    text = "Here:\n```python\ndef f():\n    return 1\n```\nand fixed:\n```python\ndef f():\n" \
           "    return 2\n```\n"
    assert extract_program(text) == "def f():\n    return 2\n"
    assert extract_program("```py\nA = 1\n```\n```\nB = 2\n```") == "A = 1\n"  # labelled wins
    assert extract_program("```\nB = 2\n```") == "B = 2\n"
    assert extract_program("```python\nx = 1\n```\n```python\ntruncated") == "x = 1\n"
    assert extract_program(r"the code is \boxed{x = 3}") == "x = 3"
    assert extract_program("<think>```python\nx=1\n```</think> none") is None
    assert extract_program("```python\nx=1\n```\n<think>still thinking") is None
    assert extract_program("no code") is None


def test_fallback_pattern() -> None:
    pat = r"[Aa]nswer:\s*(\S+)"
    assert extract_by_pattern("Answer: 4\nAnswer: 5", pat) == "5"
    assert extract_by_pattern("<think>Answer: 4</think>", pat) is None
    assert extract_by_pattern("nothing", pat) is None


def test_unwrap_limit_keeps_nested_boxes_cheap() -> None:
    nested = "\\boxed{" * 20 + "5" + "}" * 20
    out = last_boxed(nested)
    assert out is not None and out.endswith("}")  # unwrapped a bounded number of levels
