"""Answer-type inference, canonical answers, and the item prompt rebuilt from a pool row; on
the real pools, every gold answer must score as correct against its own item."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reasonscope.pools.answer_types import (
    canonical_answer,
    check_answer,
    choice_letter,
    infer_answer_type,
)
from reasonscope.pools.candidates import item_from_row
from reasonscope.pools.importer import import_rows
from reasonscope.pools.prompting import embedding_text, item_prompt
from reasonscope.pools.rows import PoolRow
from reasonscope.taxonomy import AnswerType, Behavior, Domain

A = AnswerType


@pytest.mark.parametrize(("question", "answer", "meta", "expected", "canonical"), [
    ("Compute 2 + 2.", "4", {}, A.INTEGER, "4"),
    ("How much?", "1,450,000", {}, A.INTEGER, "1450000"),
    ("Speed?", "-0.25", {}, A.NUMBER, "-0.25"),
    ("Solve $x^2 = 4$.", "x=5", {}, A.EXPRESSION, "x=5"),
    ("Simplify.", "\\frac{3}{4}", {}, A.EXPRESSION, "\\frac{3}{4}"),
    ("assert f(1) == ??", "[(4, 1), (2, 3)]", {}, A.PYTHON, "[(4, 1), (2, 3)]"),
    ("assert f('a') == ??", "'abc'", {}, A.PYTHON, "'abc'"),
    ("not ( True ) and ( True ) is", "False", {}, A.PYTHON, "False"),
    ("Is it plausible?", "no", {}, A.STRING, "no"),
    ("Pick one.\nOptions:\n(A) x\n(B) y", "(B)", {}, A.CHOICE, "B"),
    ("Pick one.", "I", {"options": list("abcdefghij")}, A.CHOICE, "I"),
    ("Pick one.", "3", {"choices": {"1": "a", "2": "b", "3": "c"}}, A.CHOICE, "C"),
    ("Check it.", "12", {"steps": ["a", "b"], "first_error_index0": 1}, A.LINE, "2"),
    ("Check it.", "-1", {"steps": ["a", "b"], "first_error_index0": -1}, A.LINE, "0"),
    ("Write add.", "def add(a, b): ...", {"test_list": ["assert add(1, 2) == 3"]},
     A.CODE_TESTS, "def add(a, b): ..."),
    ("def f(x):\n", "    return x", {"test": "def check(c): pass", "entry_point": "f"},
     A.CODE_TESTS, "    return x"),
])
def test_infer_and_canonical(question: str, answer: str, meta: dict[str, object],
                             expected: AnswerType, canonical: str) -> None:
    assert infer_answer_type(question, answer, meta) is expected
    assert canonical_answer(answer, expected, meta) == canonical


def test_choice_letter_and_bad_answers() -> None:
    options = [("A", "red"), ("B", "blue")]
    assert choice_letter("blue", options) == "B"
    assert choice_letter("(A)", options) == "A"
    assert choice_letter("C", options) is None
    with pytest.raises(ValueError, match="names none of the options"):
        canonical_answer("C", A.CHOICE, {"options": ["red", "blue"]})
    with pytest.raises(ValueError, match="not an integer"):
        canonical_answer("12a", A.INTEGER, {})
    assert check_answer(" 7 ", A.LINE) == "7"
    for answer, kind in (("AB", A.CHOICE), ("-1", A.LINE), ("x", A.NUMBER), ("[1,", A.PYTHON),
                         ("", A.STRING)):
        with pytest.raises(ValueError):
            check_answer(answer, kind)


def _row(question: str, answer: str, answer_type: AnswerType, **meta: object) -> PoolRow:
    return PoolRow("p/1", "src", question, answer, dict(meta), answer_type)


def test_item_prompt_restores_options_steps_and_answer_form() -> None:
    mc = _row("Which is a noble gas?", "B", A.CHOICE, options=["oxygen", "argon", "iron"])
    assert item_prompt(mc) == ("Which is a noble gas?\n\nOptions:\n(A) oxygen\n(B) argon\n"
                               "(C) iron\n\nAnswer with the letter of the correct option.")
    assert embedding_text(mc) == "Which is a noble gas?"
    listed = _row("Pick.\nOptions:\n(A) x\n(B) y", "(A)", A.CHOICE)
    assert item_prompt(listed).count("(A)") == 1
    diag = _row("1 + 1 * 2 =", "1", A.LINE, first_error_index0=0,
                model_output_steps=["Step 1: 1 + 1 = 2", "Step 2: 2 * 2 = 4"])
    text = item_prompt(diag)
    assert "Step 1: 1 + 1 = 2\nStep 2: 2 * 2 = 4" in text and "Step 1: Step" not in text
    assert text.endswith("or 0 if all steps are correct.")
    assert embedding_text(diag).startswith("Which step is the first wrong one?")
    code = _row("Write add(a, b).", "", A.CODE_TESTS, test_list=["assert add(1, 2) == 3"])
    assert "Your code should pass these tests:\nassert add(1, 2) == 3" in item_prompt(code)


def test_every_shared_pool_row_gets_a_type_and_a_scorable_gold(pools_dir: Path) -> None:
    from reasonscope.scoring import score_many

    expected_main = {"mmlu_pro": A.CHOICE, "gsm8k_test": A.INTEGER, "arc_challenge_test": A.CHOICE,
                     "big_bench_mistake": A.LINE, "mr_gsm8k_partial": A.LINE,
                     "humaneval": A.CODE_TESTS, "mbpp": A.CODE_TESTS, "truthfulqa": A.STRING,
                     "cruxeval": A.PYTHON, "math500": A.INTEGER}
    pairs = []
    for path in sorted(pools_dir.glob("*.jsonl")):
        rows = list(import_rows([path], skip_bad=True))
        kinds = Counter(r.answer_type for r in rows)
        assert None not in kinds
        if path.stem in expected_main:
            assert kinds.most_common(1)[0][0] is expected_main[path.stem], (path.stem, kinds)
        for row in rows[:: max(1, len(rows) // 15)]:
            if row.answer_type is A.CODE_TESTS:
                continue
            item = item_from_row(row, Behavior.CALCULATION, Domain.MATH)
            pairs.append((item, f"The answer is \\boxed{{{item.answer}}}."))
    results = score_many(pairs)
    wrong = [(i.source, i.answer_type.value, i.answer, r.parse_status)
             for (i, _), r in zip(pairs, results, strict=True) if not r.correct]
    assert not wrong, wrong
