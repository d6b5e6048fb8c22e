"""Calculation generators: every answer re-derived by an independent method.

Math and coding answers are recomputed from the expression shown in the prompt (Fraction
evaluation of the parsed text, `pow`, `eval`, numpy eigenvalues, trial division); science answers
are re-solved from the SI problem in `meta` (time-stepping, nodal analysis, equation checks);
general answers are recomputed from the prompt text alone (Decimal money arithmetic, `datetime`,
a graph search over the stated rates).
"""

from __future__ import annotations

import ast
import itertools
import json
import math
import operator
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import mean
from typing import Any

import numpy as np
import pytest

import reasonscope.bench.generators.calculation  # noqa: F401  (registers the families)
from reasonscope.bench.generators.base import REGISTRY, Generator
from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .rs_genkit import items_of
from .rs_genkit import search as _search

SEEDS = range(40)
LEVELS = range(1, 6)
CALC = sorted((g for g in REGISTRY.values() if g.behavior is Behavior.CALCULATION),
              key=lambda g: g.name)


def _items(name: str, seeds: range = SEEDS) -> list[Item]:
    return items_of(name, seeds)




# --------------------------------------------------------------------------- registry and shape


def test_every_domain_has_at_least_two_families() -> None:
    for domain in Domain:
        names = [g.name for g in CALC if g.domain is domain]
        assert len(names) >= 2, (domain, names)
        assert all(n.startswith(f"calculation.{domain.value}.") for n in names)


@pytest.mark.parametrize("gen", CALC, ids=lambda g: g.name)
def test_items_are_deterministic_and_well_formed(gen: Generator) -> None:
    for d in LEVELS:
        for seed in range(8):
            a, b = gen(seed, d), gen(seed, d)
            assert a == b and a.to_json() == b.to_json()
            assert a.difficulty == d and a.source == f"{gen.name}@{gen.version}+{seed}"
            json.dumps(a.meta)
            assert "\\boxed" not in a.prompt
            if a.answer_type is AnswerType.NUMBER:
                assert a.tolerance is not None and 0 < a.tolerance <= 1e-3
                float(a.answer)
            if gen.domain is Domain.MATH:
                steps = a.meta["steps"]
                assert len(steps) >= 2 and a.answer in steps[-1]
    assert gen.description


def test_same_items_in_a_fresh_process() -> None:
    """No dependence on hash seeds, import order or global random state."""
    code = ("import json, reasonscope.bench.generators.calculation\n"
            "from reasonscope.bench.generators.base import REGISTRY\n"
            "print(json.dumps([REGISTRY[n](s, d).id for n in sorted(REGISTRY) "
            "if n.startswith('calculation.') for d in range(1, 6) for s in range(3)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": ""})
    here = [g(s, d).id for g in sorted(CALC, key=lambda g: g.name) for d in LEVELS
            for s in range(3)]
    assert json.loads(out.stdout) == here


@pytest.mark.parametrize("gen", CALC, ids=lambda g: g.name)
def test_prompt_space_and_level_one_brevity(gen: Generator) -> None:
    level1 = [gen(s, 1).prompt for s in range(200)]
    assert len(set(level1)) >= 30
    assert mean(len(p) for p in level1) < 200
    for d in (2, 5):
        prompts = [gen(s, d).prompt for s in range(100)]
        assert len(set(prompts)) >= 90, (d, len(set(prompts)))


def _work(item: Item) -> int:
    """Size of the job: prompt plus worked solution (characters)."""
    return len(item.prompt) + sum(len(s) for s in item.meta.get("steps", []))


@pytest.mark.parametrize("gen", CALC, ids=lambda g: g.name)
def test_difficulty_scales(gen: Generator) -> None:
    work = {d: mean(_work(gen(s, d)) for s in range(30)) for d in LEVELS}
    assert work[1] < work[3] < work[5], work


# --------------------------------------------------------------------------- math


def _eval_fraction_text(text: str) -> Fraction:
    """Evaluate the printed expression with Python's parser and Fractions ('^' is power)."""
    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}

    def ev(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Constant):
            return Fraction(node.value)
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
        p, _, q = item.answer.partition("/")
        assert Fraction(int(p), int(q or 1)) == value
        assert item.answer == (str(value.numerator) if value.denominator == 1 else
                               f"{value.numerator}/{value.denominator}")


def test_fraction_arith_operation_count_grows() -> None:
    ops = {d: mean(len(re.findall(r" [-+*/] |\^", REGISTRY["calculation.math.fraction_arith"](
        s, d).meta["expression"])) for s in SEEDS) for d in LEVELS}
    assert ops[1] < ops[2] < ops[3] < ops[4] < ops[5], ops


def test_modular_power_matches_builtin_pow() -> None:
    for item in _items("calculation.math.modular_power"):
        mod = int(_search(r" mod (\d+)\.", item.prompt).group(1))
        expr = _search(r"^Compute (.*) mod \d+\.", item.prompt).group(1)
        py = re.sub(r"(\d+)\^(\d+)", r"pow(\1, \2, M)", expr).replace("·", "*")
        assert int(item.answer) == eval(py, {"pow": pow, "M": mod}) % mod


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % k for k in range(2, math.isqrt(n) + 1))


def test_prime_factorization_by_trial_division() -> None:
    sizes = {}
    for item in _items("calculation.math.prime_factorization"):
        n = int(_search(r"factorization of (\d+)\.", item.prompt).group(1))
        factors = [int(x) for x in item.answer.split(", ")]
        assert factors == sorted(factors) and math.prod(factors) == n
        assert all(_is_prime(p) for p in factors)
        sizes.setdefault(item.difficulty, []).append(n)
    assert [mean(sizes[d]) for d in LEVELS] == sorted(mean(sizes[d]) for d in LEVELS)


def test_matrix_eigenvalues_match_numpy() -> None:
    for item in _items("calculation.math.matrix_eigenvalues"):
        rows = ast.literal_eval(_search(r"with rows (\[\[.*\]\])\.", item.prompt).group(1))
        a = np.array(rows, dtype=float)
        eig = sorted(round(float(x.real)) for x in np.linalg.eigvals(a))
        assert np.allclose(sorted(np.linalg.eigvals(a).real), eig, atol=1e-6)
        assert len(set(eig)) == len(eig)
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
    for item in _items(name, range(150)):
        expr = _search(r"expression `(.*)`\?", item.prompt).group(1)
        value = eval(expr, {"__builtins__": _BUILTINS})
        assert repr(value) == item.answer, (expr, value, item.answer)
        assert ast.literal_eval(item.answer) == value


def test_coding_items_exercise_python_specific_rules() -> None:
    texts = [i.meta["expression"] for i in _items("calculation.coding.integer_ops")]
    assert sum(bool(re.search(r"-\d+ (//|%)|(//|%) -", t)) for t in texts) > 40
    assert any(re.search(r"-\d ?\*\* ?\d", t) for t in texts)  # -2 ** 2 precedence trap
    floats = [i for i in _items("calculation.coding.float_semantics", range(100))]
    assert any("round(" in i.prompt and "." in i.answer for i in floats)
    assert any(i.answer.lstrip("-").isdigit() and "round(" in i.prompt for i in floats)


# --------------------------------------------------------------------------- science


def _simulate_phases(u: float, phases: list[list[Any]], ask: str) -> float:
    """March the motion in small steps (trapezoid on velocity), stopping phases when v = 0."""
    x, v, t = 0.0, float(u), 0.0
    for a, dur in phases:
        duration = v / -a if dur is None else dur
        n = 4000
        dt = duration / n
        for _ in range(n):
            v_new = v + a * dt
            x += (v + v_new) / 2 * dt
            v, t = v_new, t + dt
    return {"v": v, "s": x, "avg": x / t}[ask]


def _bisect(f: Any, lo: float, hi: float) -> float:
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def _kinematics_si(meta: dict[str, Any]) -> float:
    if meta["kind"] == "phases":
        return _simulate_phases(meta["u"], meta["phases"], meta["ask"])
    if meta["kind"] == "vsq":
        u, a, s = meta["u"], meta["a"], meta["s"]
        t = _bisect(lambda t: u * t + a * t * t / 2 - s, 0.0, 1e4)
        return float(u + a * t)
    v, th, g = meta["v"], math.radians(meta["theta"]), meta["g"]
    vx, vy, x, y, t, top, dt = v * math.cos(th), v * math.sin(th), 0.0, 0.0, 0.0, 0.0, 1e-4
    while True:
        ny = y + vy * dt - g * dt * dt / 2
        if ny < 0:
            frac = y / (y - ny)
            t_land = t + frac * dt
            return {"range": vx * t_land, "height": top, "time": t_land}[meta["ask"]]
        x, y, vy, t = x + vx * dt, ny, vy - g * dt, t + dt
        top = max(top, y)


def test_kinematics_by_time_stepping() -> None:
    for item in _items("calculation.science.kinematics", range(25)):
        meta = item.meta
        want = _kinematics_si(meta) / meta["factor"]
        assert float(item.answer) == pytest.approx(want, rel=2e-4), item.prompt
        assert item.meta["unit"] in item.prompt


def _nodal_voltages(tree: Any, ohms: dict[str, float], volts: float) -> tuple[dict[str, float],
                                                                              float]:
    """Solve the network by nodal analysis: node 1 at `volts`, node 0 grounded."""
    edges: list[tuple[str, int, int]] = []
    count = [2]

    def place(t: Any, a: int, b: int) -> None:
        if isinstance(t, str):
            edges.append((t, a, b))
            return
        kind, kids = t
        if kind == "P":
            for k in kids:
                place(k, a, b)
            return
        nodes = [a]
        for _ in kids[:-1]:
            nodes.append(count[0])
            count[0] += 1
        nodes.append(b)
        for k, (x, y) in zip(kids, itertools.pairwise(nodes), strict=True):
            place(k, x, y)

    place(tree, 1, 0)
    n = count[0]
    g = np.zeros((n, n))
    for name, a, b in edges:
        c = 1 / ohms[name]
        g[a, a] += c
        g[b, b] += c
        g[a, b] -= c
        g[b, a] -= c
    v = np.zeros(n)
    v[1] = volts
    if n > 2:
        free = list(range(2, n))
        v[free] = np.linalg.solve(g[np.ix_(free, free)], -g[np.ix_(free, [1])][:, 0] * volts)
    across = {name: float(v[a] - v[b]) for name, a, b in edges}
    current = sum(across[name] / ohms[name] for name, a, b in edges if a == 1 or b == 1)
    return across, current


def test_circuits_by_nodal_analysis() -> None:
    for item in _items("calculation.science.circuits"):
        m = item.meta
        across, i_total = _nodal_voltages(m["tree"], m["ohms"], m["volts"])
        ask, target = m["ask"]
        r = m["ohms"][target]
        si = {"req": m["volts"] / i_total, "total_current": i_total,
              "current": across[target] / r, "voltage": across[target],
              "power": across[target] ** 2 / r, "total_power": m["volts"] * i_total}[ask]
        assert float(item.answer) * m["factor"] == pytest.approx(si, rel=1e-5), item.prompt
        for name, ohm in m["ohms"].items():
            shown = ohm / 1000 if "kOhm" in item.prompt else ohm
            label = f"a {shown:g} ohm resistor" if item.difficulty == 1 else f"{name} = {shown:g}"
            assert label in item.prompt


def test_gas_answers_satisfy_the_gas_law() -> None:
    for item in _items("calculation.science.gas_laws"):
        m = item.meta
        states = [list(s) for s in m["states"]]
        i, j = m["unknown"]
        states[i][j] = float(item.answer) * m["factor"]
        if all(s[3] is not None for s in states):
            for p, v, t, n in states:
                assert p * v == pytest.approx(n * 8.314 * t, rel=1e-4), item.prompt
        else:
            (p1, v1, t1, _), (p2, v2, t2, _) = states
            assert p1 * v1 / t1 == pytest.approx(p2 * v2 / t2, rel=1e-4), item.prompt
        assert m["unit"] in item.prompt
        if item.difficulty >= 4:
            assert "8.314" in item.prompt


# --------------------------------------------------------------------------- general

_CENT = Decimal("0.01")


def _pct(amount: Decimal, pct: str) -> Decimal:
    return (amount * Decimal(pct) / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def _receipt_from_prompt(prompt: str) -> Decimal:
    one = re.match(r"One .* costs \$(\d+)\. How much do (\d+) ", prompt)
    if one:
        return Decimal(one[1]) * int(one[2])
    total = Decimal(0)
    for qty, price, promo in re.findall(r"(\d+) [^;]*? at \$(\d+\.\d\d) each( \([^)]*\))?",
                                        prompt):
        line = Decimal(price) * int(qty)
        if "buy 2, get 1 free" in promo:
            line = Decimal(price) * (int(qty) - int(qty) // 3)
        elif promo:
            line -= _pct(line, _search(r"(\d+)% off", promo).group(1))
        total += line
    if m := re.search(r"a (\d+)% discount on the subtotal", prompt):
        total -= _pct(total, m[1])
    coupon = re.search(r"a \$(\d+\.\d\d) coupon if the amount is at least \$(\d+\.\d\d)", prompt)
    if coupon and total >= Decimal(coupon[2]):
        total -= Decimal(coupon[1])
    if m := re.search(r"then ([\d.]+)% sales tax", prompt):
        total += _pct(total, m[1])
    if m := re.search(r"pays with \$(\d+\.\d\d)", prompt):
        total = Decimal(m[1]) - total
    return total


def test_shopping_recomputed_from_prompt() -> None:
    for item in _items("calculation.general.shopping"):
        assert Decimal(item.answer) == _receipt_from_prompt(item.prompt), item.prompt


def _minutes(text: str) -> int:
    if m := re.fullmatch(r"(\d+) minutes", text):
        return int(m[1])
    m = _search(r"^(\d+) h(?: (\d+) min)?$", text)
    return int(m[1]) * 60 + int(m[2] or 0)


def _offset(text: str) -> timezone:
    m = _search(r"UTC([+-])(\d+)(?::(\d\d))?", text)
    minutes = int(m[2]) * 60 + int(m[3] or 0)
    return timezone(timedelta(minutes=minutes if m[1] == "+" else -minutes))


def test_clock_recomputed_with_datetime() -> None:
    for item in _items("calculation.general.clock"):
        p = item.prompt
        if "shift" in p:
            a, b = re.findall(r"\d\d:\d\d", p)
            t0, t1 = (datetime.strptime(x, "%H:%M") for x in (a, b))
            if t1 <= t0:
                t1 += timedelta(days=1)
            assert int(item.answer) == (t1 - t0).total_seconds() // 60
            continue
        if m := re.match(r"It is (\d\d:\d\d)\. What time will it be (\d+) hours? later", p):
            t = datetime.strptime(m[1], "%H:%M") + timedelta(hours=int(m[2]))
            assert item.answer == t.strftime("%H:%M")
            continue
        start = _search(r"at (\d\d:\d\d)", p).group(1)
        zones = re.findall(r"UTC[+-]\d+(?::\d\d)?", p)
        tz_from, tz_to = (_offset(zones[0]), _offset(zones[1])) if zones else (UTC,) * 2
        t = datetime.combine(datetime(2024, 3, 1).date(),
                             datetime.strptime(start, "%H:%M").time(), tzinfo=tz_from)
        for dur in re.findall(r"(?:takes|stop of) (\d+ minutes|\d+ h(?: \d+ min)?)", p):
            t += timedelta(minutes=_minutes(dur))
        want = t.astimezone(tz_to).strftime("%H:%M")
        assert item.answer == want, p
        if want.startswith("0"):
            assert item.meta["aliases"] == [want[1:]]


def _singular(word: str) -> str:
    irregular = {"feet": "foot", "inches": "inch"}
    if word.isupper():
        return word
    return irregular.get(word, word[:-1] if word.endswith("s") else word)


def _convert(rates: dict[str, dict[str, Fraction]], src: str, dst: str) -> Fraction:
    """Breadth-first search over the stated rates, used in both directions."""
    frontier, seen = [(src, Fraction(1))], {src}
    while frontier:
        unit, f = frontier.pop(0)
        if unit == dst:
            return f
        for nxt, k in rates[unit].items():
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, f * k))
    raise AssertionError(f"{src} -> {dst} not connected")


def test_unit_conversion_recomputed_from_stated_rates() -> None:
    for item in _items("calculation.general.unit_conversion"):
        p = item.prompt
        rates: dict[str, dict[str, Fraction]] = {}
        for big, k, small in re.findall(r"1 (\w+) = ([\d.]+) (\w+)", p):
            a, b = _singular(big), _singular(small)
            rates.setdefault(a, {})[b] = Fraction(k)
            rates.setdefault(b, {})[a] = 1 / Fraction(k)
        if m := re.search(r"Convert ([\d.]+) (\w+) per (\w+) to (\w+) per (\w+)\.", p):
            amount = Fraction(m[1])
            f = _convert(rates, _singular(m[2]), _singular(m[4]))
            f /= _convert(rates, m[3], m[5])
        else:
            m = _search(r"How many (\w+) (?:are in|is) ([\d.]+) (\w+)\?", p)
            amount = Fraction(m[2])
            f = _convert(rates, _singular(m[3]), _singular(m[1]))
        assert float(item.answer) == pytest.approx(float(amount * f), rel=1e-5), p
        if item.difficulty <= 2:
            assert (amount * f).denominator == 1 and item.answer == str(amount * f)
