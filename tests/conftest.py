"""Shared fixtures: a handful of hand-made items and two tiny Qwen3 models built from configs.

The models are random-weight Qwen3s (about 0.1M parameters) with a BPE tokenizer trained on the
items' text: they exercise every code path of a real checkpoint in well under a second per
batch, and two seeds give two genuinely different checkpoints with the same tokenizer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reasonscope.items import Item, write_items
from reasonscope.taxonomy import AnswerType, Behavior, Domain

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REASONSCOPE_SHARED", REPO.parent / "shared"))


def _item(behavior: Behavior, domain: Domain, prompt: str, answer: str,
          answer_type: AnswerType, difficulty: int = 1) -> Item:
    return Item.create(behavior=behavior, domain=domain, difficulty=difficulty, prompt=prompt,
                       answer=answer, answer_type=answer_type, source="tests@1+0")


def make_items() -> list[Item]:
    """Twelve items over six cells, with integer, string and line answers."""
    B, D, A = Behavior, Domain, AnswerType
    return [
        _item(B.CALCULATION, D.MATH, "Compute 17 * 23. Give the result as an integer.", "391",
              A.INTEGER),
        _item(B.CALCULATION, D.MATH, "What is 2^10 - 1? Give an integer.", "1023", A.INTEGER),
        _item(B.CALCULATION, D.GENERAL, "A pen costs 3 dollars. How much do 7 pens cost, in "
              "dollars? Give an integer.", "21", A.INTEGER),
        _item(B.CALCULATION, D.GENERAL, "It is 10:45. What time is it 50 minutes later? Answer "
              "as HH:MM.", "11:35", A.STRING),
        _item(B.ENUMERATION, D.MATH, "How many subsets does a set of 4 elements have? Give an "
              "integer.", "16", A.INTEGER),
        _item(B.ENUMERATION, D.MATH, "How many lattice paths go from (0,0) to (2,2) using unit "
              "steps right or up? Give an integer.", "6", A.INTEGER),
        _item(B.SIMULATION, D.CODING, "What does this Python program print?\nx = 3\nfor i in "
              "range(4):\n    x = x * 2 - i\nprint(x)", "42", A.INTEGER),
        _item(B.SIMULATION, D.GENERAL, "You have 50 dollars, spend 12, earn 30, spend 5. How "
              "many dollars do you have? Give an integer.", "63", A.INTEGER),
        _item(B.FACT_RETRIEVAL, D.SCIENCE, "What is the chemical symbol of sodium?", "Na",
              A.STRING),
        _item(B.FACT_RETRIEVAL, D.SCIENCE, "What is the atomic number of carbon? Give an "
              "integer.", "6", A.INTEGER),
        _item(B.DIAGNOSTIC, D.MATH, "Find the first wrong step, or 0 if all are correct.\n"
              "Step 1: 2 + 3 = 5\nStep 2: 5 * 4 = 21\nStep 3: 21 - 1 = 20", "2", A.LINE),
        _item(B.DIAGNOSTIC, D.GENERAL, "Which receipt line is inconsistent (0 if none)?\nLine 1: "
              "2 apples at 1 = 2\nLine 2: 3 pears at 2 = 6\nLine 3: total = 9", "3", A.LINE),
    ]


def corpus_texts() -> list[str]:
    texts = []
    for item in make_items():
        texts.append(item.prompt)
        texts.append(f"Let me think step by step. The answer is \\boxed{{{item.answer}}}.")
    for a in range(1, 40):
        texts.append(f"{a} + {a + 7} = {2 * a + 7}. So the answer is \\boxed{{{2 * a + 7}}}.")
        texts.append(f"Step {a % 5 + 1}: multiply {a} by {a % 9 + 2} to get {a * (a % 9 + 2)}.")
    return texts


@pytest.fixture(scope="session")
def tiny_items() -> list[Item]:
    return make_items()


@pytest.fixture(scope="session")
def tiny_suite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The items as a suite JSONL file (what `--suite PATH` takes)."""
    return write_items(make_items(), tmp_path_factory.mktemp("suite") / "tiny-suite.jsonl")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from reasonscope.organism import save_pretrained_tiny

    return save_pretrained_tiny(tmp_path_factory.mktemp("tiny-a"), corpus_texts(), seed=0)


@pytest.fixture(scope="session")
def tiny_model_dir_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Same architecture and tokenizer as `tiny_model_dir`, other initial weights."""
    from reasonscope.organism import save_pretrained_tiny

    return save_pretrained_tiny(tmp_path_factory.mktemp("tiny-b"), corpus_texts(), seed=1)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data directory {SHARED} is absent (set REASONSCOPE_SHARED)")
    return SHARED
