"""Calculation generators: shape, precision, and the math and coding cells re-derived.

Math and coding answers are recomputed from the expression shown in the prompt (Fraction
evaluation of the parsed text, `pow`, `eval`, numpy eigenvalues, trial division). Every rounded
answer is checked against the precision its prompt states, through the scorer itself. The
science and general cells are re-derived in test_calculation_applied.
"""

from __future__ import annotations

import ast
import json
import math
import re
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from statistics import mean

import numpy as np
import pytest

import reasonscope.bench.generators.calculation  # noqa: F401  (registers the families)
from reasonscope.bench.generators.base import REGISTRY, Generator
from reasonscope.items import Item
from reasonscope.scoring import score
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .rs_genkit import items_of
from .rs_genkit import search as _search

SEEDS = range(30)
LEVELS = range(1, 6)
CALC = sorted((g for g in REGISTRY.values() if g.behavior is Behavior.CALCULATION),
              key=lambda g: g.name)


def _items(name: str, seeds: range = SEEDS) -> list[Item]:
    return items_of(name, seeds)


def _unit(item: Item) -> Fraction:
    """One unit of the last digit the prompt asks for."""
    precision = item.meta["precision"]
    if "places" in precision:
        return Fraction(1, 10 ** precision["places"])
    gold = Decimal(item.answer)
    return Fraction(10) ** (gold.adjusted() - precision["sig"] + 1)


def _rounds_to_answer(item: Item, value: float | Fraction) -> bool:
    """An independently computed value lies within half a unit of the canonical answer."""
    slack = Fraction(1, 10**9) * abs(Fraction(item.answer))
    return abs(Fraction(value) - Fraction(item.answer)) <= _unit(item) / 2 + slack


def _boxed(text: str) -> str:
    return f"The answer is \\boxed{{{text}}}."


# --------------------------------------------------------------------------- registry and shape


def test_every_domain_has_at_least_two_families() -> None:
    for domain in Domain:
        names = [g.name for g in CALC if g.domain is domain]
        assert len(names) >= 2, (domain, names)
        assert all(n.startswith(f"calculation.{domain.value}.") for n in names)


@pytest.mark.parametrize("gen", CALC, ids=lambda g: g.name)
def test_items_are_deterministic_and_well_formed(gen: Generator) -> None:
    for d in LEVELS:
        for seed in range(6):
            a, b = gen(seed, d), gen(seed, d)
            assert a == b and a.to_json() == b.to_json()
            assert a.difficulty == d and a.source == f"{gen.name}@{gen.version}+{seed}"
            json.dumps(a.meta)
            assert "\\boxed" not in a.prompt
            steps = a.meta["steps"]
            assert len(steps) >= 1 and a.answer in steps[-1]
            assert not re.search(r"\bin ([\w/^°·-]+(?: [\w/^-]+)?) in \1\b", a.prompt), a.prompt
    assert gen.description


def test_same_items_in_a_fresh_process() -> None:
    """No dependence on hash seeds, import order or global random state."""
    code = ("import json, reasonscope.bench.generators.calculation\n"
            "from reasonscope.bench.generators.base import REGISTRY\n"
            "print(json.dumps([REGISTRY[n](s, d).id for n in sorted(REGISTRY) "
            "if n.startswith('calculation.') for d in range(1, 6) for s in range(3)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": ""})
    here = [g(s, d).id for g in CALC for d in LEVELS for s in range(3)]
    assert json.loads(out.stdout) == here


@pytest.mark.parametrize("gen", CALC, ids=lambda g: g.name)
def test_prompt_space_and_level_one_brevity(gen: Generator) -> None:
    level1 = [gen(s, 1).prompt for s in range(120)]
    assert len(set(level1)) >= 30
    assert mean(len(p) for p in level1) < 200
    for d in (2, 5):
        prompts = [gen(s, d).prompt for s in range(60)]
        assert len(set(prompts)) >= 55, (d, len(set(prompts)))


@pytest.mark.parametrize("gen", CALC, ids=lambda g: g.name)
def test_number_answers_are_scored_at_the_requested_precision(gen: Generator) -> None:
    """The canonical value is accepted; one unit off in the last requested digit is not."""
    for item in (gen(s, d) for d in LEVELS for s in range(12)):
        if item.answer_type is not AnswerType.NUMBER:
            continue
        precision = item.meta["precision"]
        phrase = (f"rounded to {precision['sig']} significant figures" if "sig" in precision
                  else "to the cent" if precision == {"places": 2}
                  else f"rounded to {precision['places']} decimal places")
        assert phrase in item.prompt, (phrase, item.prompt)
        gold, unit = Fraction(item.answer), _unit(item)
        assert item.tolerance == pytest.approx(float(unit / 2 / abs(gold)), rel=1e-9)
        assert score(item, _boxed(item.answer)).correct
        for off in (gold + unit, gold - unit):
            text = str(Decimal(off.numerator) / Decimal(off.denominator))
            assert not score(item, _boxed(text)).correct, (item.answer, text, item.prompt)


# --------------------------------------------------------------------------- math


def _eval_fraction_text(text: str) -> Fraction:
    """Evaluate the printed expression with Python's parser and Fractions ('^' is power)."""
    ops = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}

    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Constant):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp):
            right = ev(node.right)
            if isinstance(node.op, ast.Pow):
                assert right.denominator == 1
                return ev(node.left) ** int(right)
            return ops[type(node.op)](ev(node.left), right)
        raise AssertionError(ast.dump(node))

    return ev(ast.parse(text.replace("^", "**"), mode="eval").body)


def test_fraction_arith_matches_parsed_expression() -> None:
    for item in _items("calculation.math.fraction_arith"):
        expr = _search(r"^Compute (.*)\. Answer", item.prompt).group(1)
        value = _eval_fraction_text(expr)
        assert Fraction(item.answer) == value
        assert item.answer == (str(value.numerator) if value.denominator == 1 else
                               f"{value.numerator}/{value.denominator}")
        assert item.meta["work"] == len(re.findall(r" [-+*/] |\^", expr))


def test_modular_power_matches_builtin_pow() -> None:
    for item in _items("calculation.math.modular_power"):
        mod = int(_search(r" mod (\d+)\.", item.prompt).group(1))
        expr = _search(r"^Compute (.*) mod \d+\.", item.prompt).group(1)
        py = re.sub(r"(\d+)\^(\d+)", r"pow(\1, \2, M)", expr).replace("·", "*")
        assert int(item.answer) == eval(py, {"pow": pow, "M": mod}) % mod


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % k for k in range(2, math.isqrt(n) + 1))


def test_prime_factorization_by_trial_division() -> None:
    for item in _items("calculation.math.prime_factorization"):
        n = int(_search(r"factorization of (\d+)\.", item.prompt).group(1))
        factors = [int(x) for x in item.answer.split(", ")]
        assert factors == sorted(factors) and math.prod(factors) == n
        assert all(_is_prime(p) for p in factors)
        # trial divisions: every prime up to the second-largest factor (or sqrt) is tested
        limit = factors[-2] if len(factors) > 1 else math.isqrt(n)
        assert item.meta["work"] >= sum(1 for p in range(2, limit + 1) if _is_prime(p))


def test_matrix_eigenvalues_match_numpy() -> None:
    for item in _items("calculation.math.matrix_eigenvalues", range(15)):
        rows = ast.literal_eval(_search(r"with rows (\[\[.*\]\])\.", item.prompt).group(1))
        a = np.array(rows, dtype=float)
        eig = sorted(round(float(x.real)) for x in np.linalg.eigvals(a))
        assert np.allclose(sorted(np.linalg.eigvals(a).real), eig, atol=1e-5)
        assert len(set(eig)) == len(eig) and len(rows) == {1: 2, 2: 2, 3: 3, 4: 4,
                                                           5: 5}[item.difficulty]
        for k in eig:  # each eigenvalue makes A - kI singular, exactly
            assert round(np.linalg.det(a - k * np.eye(len(rows)))) == 0
        if item.answer_type is AnswerType.SET:
            assert sorted(int(x) for x in item.answer.split(", ")) == eig
        else:
            assert "largest" in item.prompt and int(item.answer) == max(eig)
        if item.difficulty >= 2:  # not triangular: the eigenvalues are not on the diagonal
            assert any(rows[i][j] for i in range(len(rows)) for j in range(i))


# --------------------------------------------------------------------------- coding

_BUILTINS = {"abs": abs, "round": round, "int": int, "divmod": divmod, "pow": pow, "max": max,
             "min": min}


@pytest.mark.parametrize("name", ["calculation.coding.integer_ops",
                                  "calculation.coding.bitwise_ops",
                                  "calculation.coding.float_semantics"])
def test_coding_answers_equal_python_eval(name: str) -> None:
    rounded = 0
    for item in _items(name, range(80)):
        expr = _search(r"expression `(.*)`\?", item.prompt).group(1)
        value = eval(expr, {"__builtins__": _BUILTINS})
        assert item.meta["work"] >= 1
        if item.answer_type is AnswerType.PYTHON:
            assert repr(value) == item.answer, (expr, value, item.answer)
            assert ast.literal_eval(item.answer) == value
            continue
        rounded += 1
        assert isinstance(value, float) and item.meta["float_repr"] == repr(value)
        assert len(repr(value).split(".")[1]) > 6 or "e" in repr(value)
        assert Decimal(item.answer) == Decimal(repr(value)).quantize(Decimal("0.000001"))
        assert score(item, _boxed(repr(value))).correct  # the exact repr is right too
    assert (rounded > 0) == (name.endswith("float_semantics"))


def test_coding_items_exercise_python_specific_rules() -> None:
    texts = [i.meta["expression"] for i in _items("calculation.coding.integer_ops")]
    assert sum(bool(re.search(r"-\d+ (//|%)|(//|%) -", t)) for t in texts) > 30
    assert any(re.search(r"-\d ?\*\* ?\d", t) for t in texts)  # -2 ** 2 precedence trap
    floats = _items("calculation.coding.float_semantics", range(60))
    assert any("round(" in i.prompt and "." in i.answer for i in floats)
    assert any(i.answer.lstrip("-").isdigit() and "round(" in i.prompt for i in floats)
    short_floats = [i for i in floats if i.answer_type is AnswerType.PYTHON and "." in i.answer]
    assert short_floats and all(not score(i, _boxed(i.answer.split(".")[0])).correct
                                for i in short_floats if i.answer.endswith(".0"))
