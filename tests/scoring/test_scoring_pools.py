"""Real benchmark items (from the shared pools): gold answers must score as correct."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from rs_scoring import boxed, make_item, pool_rows

from reasonscope.scoring import score, score_many
from reasonscope.scoring.mathguard import math_input_ok, too_costly
from reasonscope.scoring.mathverify_pool import verify_equal


def test_math500_gold_answers_score_correct_against_themselves() -> None:
    rows = pool_rows("math500.jsonl")
    items = [make_item(r["answer"], "expression", prompt=r["question"]) for r in rows]
    results = score_many([(item, boxed(item.answer)) for item in items])
    failed = [(i.answer, r) for i, r in zip(items, results, strict=True) if not r.correct]
    assert not failed, failed
    assert not [i.answer for i in items if too_costly(i.answer) or not math_input_ok(i.answer)]
    # The worked solutions end in a box too; it must agree with the gold.
    results = score_many([(i, r["meta"]["solution"]) for i, r in zip(items, rows, strict=True)])
    assert all(r.correct for r in results)


def test_math500_gold_answers_parse_and_verify_in_math_verify() -> None:
    """The same self-check through math-verify alone (no exact fast path): every gold parses."""
    rows = pool_rows("math500.jsonl")
    with ThreadPoolExecutor(2) as ex:
        verdicts = list(ex.map(lambda r: verify_equal(r["answer"], r["answer"], timeout_s=20),
                               rows))
    failed = [(r["answer"], v) for r, v in zip(rows, verdicts, strict=True)
              if not (v.equal and v.gold_parsed)]
    assert not failed, failed


def test_math500_equivalent_forms() -> None:
    rows = {r["answer"]: r for r in pool_rows("math500.jsonl")}
    cases = [(r"\frac{14}{3}", r"\dfrac{28}{6}", True), (r"3\sqrt{13}", r"\sqrt{117}", True),
             (r"\frac{3}{56}", "3/56", True), ("6 - 5i", "-5i + 6", True),
             (r"\left( 3, \frac{\pi}{2} \right)", r"(3, \frac{\pi}{2})", True),
             ("p - q", "-q + p", True), (r"\frac{14}{3}", r"\frac{13}{3}", False)]
    for gold, pred, expected in cases:
        assert gold in rows, gold
        assert score(make_item(gold, "expression"), boxed(pred)).correct is expected, pred


def test_gsm8k_gold_answers() -> None:
    rows = pool_rows("gsm8k_test.jsonl")
    items = [make_item(r["answer"], "integer", prompt=r["question"]) for r in rows]
    as_written = [boxed(f"{int(i.answer.replace(',', '')):,}") for i in items]  # 1,234 style
    assert all(r.correct for r in score_many(list(zip(items, as_written, strict=True))))
    with_units = [boxed(rf"\${i.answer} \text{{ dollars}}") for i in items[:200]]
    assert all(r.correct for r in score_many(list(zip(items[:200], with_units, strict=True))))
    off_by_one = [boxed(str(int(i.answer.replace(",", "")) + 1)) for i in items[:200]]
    results = score_many(list(zip(items[:200], off_by_one, strict=True)))
    assert all(not r.correct and r.parse_status == "ok" for r in results)
    # The rationale's last line, "#### 18", boxed.
    final = [boxed(r["meta"]["solution"].split("####")[-1].strip()) for r in rows[:200]]
    assert all(r.correct for r in score_many(list(zip(items[:200], final, strict=True))))


@pytest.mark.slow
def test_every_humaneval_solution_passes_and_a_wrong_one_fails() -> None:
    """All 164 reference solutions pass their `check`; `return None` bodies fail (both the
    assert-only checks, judged here, and those with loops, run in the two-process mode)."""
    rows = pool_rows("humaneval.jsonl")
    pairs = []
    for r in rows:
        item = make_item("", "code_tests", prompt=r["question"],
                         meta={"tests": r["meta"]["test"], "entry_point": r["meta"]["entry_point"]})
        pairs.append((item, f"```python\n{r['question']}{r['answer']}```"))
        pairs.append((item, f"```python\n{r['question']}    return None\n```"))
    results = score_many(pairs, workers=2)
    wrong = [(k, pairs[k][0].prompt[:60], r) for k, r in enumerate(results)
             if r.correct != (k % 2 == 0)]
    assert len(rows) == 164 and not wrong, wrong[:3]


@pytest.mark.slow
def test_a_sample_of_mbpp_solutions_pass() -> None:
    rows = pool_rows("mbpp.jsonl")[::10]  # ~100 of 974; all 974 pass (benchmarks/RESULTS.md)
    pairs = []
    for r in rows:
        tests = [r["meta"]["test_setup_code"], *r["meta"]["test_list"]]
        pairs.append((make_item("", "code_tests", prompt=r["question"], meta={"tests": tests}),
                      f"```python\n{r['answer']}\n```"))
    failed = [(p[0].prompt[:60], r) for p, r in zip(pairs, score_many(pairs, workers=2),
                                                    strict=True) if not r.correct]
    assert not failed, failed


def test_mbpp_reference_solutions_pass_their_tests() -> None:
    rows = pool_rows("mbpp.jsonl", limit=10)
    pairs = []
    for r in rows:
        tests = [r["meta"]["test_setup_code"], *r["meta"]["test_list"]]
        item = make_item("", "code_tests", prompt=r["question"], meta={"tests": tests})
        pairs.append((item, f"```python\n{r['answer']}\n```"))
        pairs.append((item, "```python\ndef unrelated():\n    return 1\n```"))
    results = score_many(pairs, workers=2)
    assert [r.correct for r in results] == [True, False] * len(rows)
