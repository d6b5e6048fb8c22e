"""Diagnostic generators: every answer is re-derived from the prompt text by an independent checker
(Python/sympy evaluation for math, a scipy.constants formula table for science, executing the
shown code and tests for coding, Decimal and timezone-aware datetime arithmetic for receipts and
itineraries), so each injected error is checked to be a real error and each earlier step to be
really correct; plus the clean rule on the seed, the spread of error positions, the work count,
the share of hard errors at level 5 and determinism."""

from __future__ import annotations

import ast
import functools
import itertools
import json
import random
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import scipy.constants as sc
import sympy
from sympy.parsing.sympy_parser import (
    implicit_multiplication_application,
    parse_expr,
    standard_transformations,
)

import reasonscope.bench.generators.diagnostic  # noqa: F401  (registers the families)
from reasonscope.bench.generators.base import REGISTRY, Generator
from reasonscope.bench.suites import BUILTIN_SUITES, _cell_items
from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain

SEEDS = range(36)  # six runs of six seeds: the clean rule repeats every six
LEVELS = range(1, 6)
GENS: dict[str, Generator] = {
    name: g for name, g in sorted(REGISTRY.items()) if g.behavior is Behavior.DIAGNOSTIC}


@functools.cache
def _items(name: str, seeds: range) -> tuple[Item, ...]:
    return tuple(GENS[name](seed, level) for level in LEVELS for seed in seeds)


def items_of(name: str, seeds: range = SEEDS) -> tuple[Item, ...]:
    return _items(name, seeds)


def first_failure(oks: list[bool]) -> int:
    return next((i for i, ok in enumerate(oks, start=1) if not ok), 0)


def test_every_cell_has_families() -> None:
    for domain in Domain:
        assert sum(g.domain is domain for g in GENS.values()) >= 2, domain


# --- the positions an item asks to check, read from the prompt alone ------------------------

def checkable(item: Item) -> list[int]:
    """Step numbers, receipt lines with an amount to check, itinerary times, or code lines."""
    if "Tests:\n" in item.prompt:
        listing = item.prompt.split("\nTests:\n")[0].split("\n")[1:]
        return [int(line[:2]) for line in listing
                if line[3:].strip() and not line[3:].strip().startswith(('"', "'"))]
    if re.search(r"^Step \d+", item.prompt, re.M):
        return [int(n) for n in re.findall(r"^Step (\d+)", item.prompt, re.M)]
    lines = re.findall(r"^(\d+)\. (.+)$", item.prompt, re.M)
    return [int(n) for n, text in lines
            if re.match(r"(Fly|Wait|Total travel)", text)
            or ("$" in text and not text.startswith("Paid"))]


@pytest.mark.parametrize("name", sorted(GENS))
def test_work_is_the_positions_checked_up_to_the_first_error(name: str) -> None:
    for item in items_of(name):
        spots = checkable(item)
        answer = int(item.answer)
        assert item.meta["work_unit"] in ("steps", "lines")
        assert item.meta["work"] == (len(spots) if answer == 0 else spots.index(answer) + 1)


@pytest.mark.parametrize("name", sorted(GENS))
def test_exactly_one_seed_in_six_is_clean_at_every_level(name: str) -> None:
    doc = " ".join((GENS[name].fn.__doc__ or "").split())
    stated = re.search(r"Clean exactly when \(seed \+ difficulty(?: \+ (\d))?\) % 6 == 0", doc)
    assert stated is not None, f"{name}: the docstring must state the clean rule"
    phase = int(stated.group(1) or 0)
    for level in LEVELS:
        clean = [s for s in range(60) if GENS[name](s, level).answer == "0"]
        assert clean == [s for s in range(60) if (s + level + phase) % 6 == 0], (level, clean)


@pytest.mark.parametrize("domain", list(Domain))
def test_every_suite_slice_of_a_cell_holds_two_clean_items(domain: Domain) -> None:
    """Families of a cell take different phases, so the 12 items a suite draws per difficulty
    (families in turn, consecutive seeds) hold exactly two clean ones, whatever the seed base."""
    spec = BUILTIN_SUITES["rs-synth-v2"]
    gens = [g for g in GENS.values() if g.domain is domain]  # by name, as suites order them
    for base in (spec.seed_base, 0, 7, 11):
        for level in LEVELS:
            items = _cell_items(gens, level, spec.per_difficulty(), base, set())
            assert sum(i.answer == "0" for i in items) == 2, (base, level)


@pytest.mark.parametrize("name", sorted(GENS))
def test_error_positions_spread_over_the_artefact(name: str) -> None:
    for level in (3, 4, 5):
        rel = [(checkable(i).index(int(i.answer)) + 0.5) / len(checkable(i))
               for i in items_of(name)[(level - 1) * len(SEEDS):level * len(SEEDS)]
               if i.answer != "0"]
        thirds = [sum(lo <= r < lo + 1 / 3 for r in rel) / len(rel) for lo in (0, 1 / 3, 2 / 3)]
        assert min(thirds) >= 0.15, (level, thirds)


def test_the_clean_rule_needs_the_items_own_stream() -> None:
    with pytest.raises(TypeError, match="ItemRandom"):
        GENS["diagnostic.math.series_sum"].fn(random.Random(0), 1)


# --- math -------------------------------------------------------------------------------------

def _int_eval(text: str) -> int:
    """Python's own integer arithmetic on an expression of + - * ** and parentheses."""
    tree = ast.parse(text.replace("^", "**"), mode="eval")
    assert all(isinstance(n, ast.Expression | ast.BinOp | ast.UnaryOp | ast.Constant | ast.Add
                          | ast.Sub | ast.Mult | ast.Pow | ast.USub) for n in ast.walk(tree)), text
    value = eval(compile(tree, "<step>", "eval"), {"__builtins__": {}})
    assert isinstance(value, int)
    return value


def _ops(text: str) -> int:
    return sum(isinstance(n, ast.BinOp) for n in ast.walk(ast.parse(text, mode="eval")))


def test_expression_steps_first_value_change_is_the_answer() -> None:
    for item in items_of("diagnostic.math.expression_steps"):
        start = re.search(r"evaluated (.+) one operation per step:", item.prompt)
        assert start is not None
        exprs = [start.group(1), *re.findall(r"^Step \d+: (.+)$", item.prompt, re.M)]
        values = [_int_eval(e) for e in exprs]
        assert [_ops(a) - _ops(b) for a, b in itertools.pairwise(exprs)] == [1] * (
            len(exprs) - 1), item.prompt  # one operation per step, ending at a number
        assert _ops(exprs[-1]) == 0
        oks = [b == a for a, b in itertools.pairwise(values)]
        assert item.answer == str(first_failure(oks)), item.prompt
        original = item.meta["original_steps"]
        assert all(_int_eval(s) == values[0] for s in original)
        assert (item.meta["error"] is None) == (item.answer == "0")


_TRANSFORMS = (*standard_transformations, implicit_multiplication_application)
_X = sympy.Symbol("x")


def _solve(equation: str) -> sympy.Expr:
    """The unique root of a linear equation, from sympy's expanded form of left - right."""
    left, right = equation.split(" = ")
    diff = sympy.expand(parse_expr(left, transformations=_TRANSFORMS)
                        - parse_expr(right, transformations=_TRANSFORMS))
    a, b = diff.coeff(_X, 1), diff.coeff(_X, 0)
    assert a != 0 and sympy.expand(diff - a * _X - b) == 0, equation
    return -b / a


def test_linear_equation_first_non_equivalent_step_is_the_answer() -> None:
    integer_final: list[tuple[bool, bool]] = []
    for item in items_of("diagnostic.math.linear_equation", range(24)):
        start = re.search(r"solved (.+) for x:", item.prompt)
        assert start is not None
        steps = re.findall(r"^Step \d+ \([^)]*\): (.+)$", item.prompt, re.M)
        sols = [_solve(start.group(1))] + [_solve(s) for s in steps]
        assert re.fullmatch(r"x = -?\d+(/\d+)?", steps[-1])
        oks = [b == a for a, b in itertools.pairwise(sols)]
        assert item.answer == str(first_failure(oks)), item.prompt
        assert sols[0] == sympy.Rational(item.meta["solution"])
        assert item.meta["original_steps"][-1] == f"x = {sols[0]}"
        integer_final.append((item.answer == "0", sympy.Rational(steps[-1][4:]).is_integer))
    # a fractional root must not give the error away: clean solutions are often fractions too
    clean_int = [i for clean, i in integer_final if clean]
    assert 0.15 < sum(clean_int) / len(clean_int) < 0.7


def test_series_sum_steps_are_rechecked_with_sympy() -> None:
    k = sympy.Symbol("k")
    for item in items_of("diagnostic.math.series_sum"):
        head = re.search(r"summed f\(k\) = (.+) for k = (\d+) to (\d+) term by term:", item.prompt)
        assert head is not None
        f = parse_expr(head.group(1).replace("^", "**"), transformations=_TRANSFORMS)
        start, end = int(head.group(2)), int(head.group(3))
        oks, total, want_k = [], 0, start
        rows = re.findall(r"^Step \d+: k = (-?\d+): (.+) = (-?\d+); total = (-?\d+) ([+-]) (\d+) "
                          r"= (-?\d+)$", item.prompt, re.M)
        for kk, subst, term, prev, sign, mag, new_total in rows:
            value = int(f.subs(k, int(kk)))
            assert _int_eval(subst) == value  # the substitution is shown right
            shown_term = int(term)
            assert int(prev) == total and int(mag) == abs(shown_term)
            assert sign == ("+" if shown_term >= 0 else "-")
            oks.append(int(kk) == want_k and shown_term == value
                       and int(new_total) == total + shown_term)
            total, want_k = int(new_total), int(kk) + 1
        assert item.answer == str(first_failure(oks)), item.prompt
        assert item.meta["true_sum"] == sum(int(f.subs(k, j)) for j in range(start, end + 1))
        if item.answer == "0":
            assert total == item.meta["true_sum"] and want_k == end + 1


@pytest.mark.parametrize("name", sorted(GENS))
def test_worked_solutions_end_at_the_answer_and_fit_the_budget(name: str) -> None:
    for item in items_of(name):
        steps = item.meta["steps"]
        assert len(steps) >= 2 and steps[-1].endswith(f"{item.answer}.")
        assert len("\n".join(steps)) <= 3_500  # ~900 tokens: inside 1024 new tokens
        if item.answer != "0" and ".coding." not in name:
            assert re.match(rf"(Step|Line) {item.answer}:", steps[-2]) and "wrong" in steps[-2]


# --- science ----------------------------------------------------------------------------------

FORMULAS: dict[str, Callable[..., float]] = {
    "kmh_to_ms": lambda x: x * sc.kilo / sc.hour,
    "ms_to_kmh": lambda x: x * sc.hour / sc.kilo,
    "min_to_s": lambda x: x * sc.minute,
    "kohm_to_ohm": lambda x: x * sc.kilo,
    "a_to_ma": lambda x: x / sc.milli,
    "c_to_k": lambda x: x + sc.zero_Celsius,
    "f_to_k": lambda x: float(sc.convert_temperature(x, "Fahrenheit", "Kelvin")),
    "kpa_to_pa": lambda x: x * sc.kilo,
    "pa_to_kpa": lambda x: x / sc.kilo,
    "l_to_m3": lambda x: x * sc.liter,
    "ml_to_m3": lambda x: x * sc.milli * sc.liter,
    "j_to_kj": lambda x: x / sc.kilo,
    "w_to_kw": lambda x: x / sc.kilo,
    "g_to_kg": lambda x: x * sc.gram,
    "j_to_kwh": lambda x: x / (sc.kilo * sc.hour),
    "product": lambda a, b: a * b,
    "triple_product": lambda a, b, c: a * b * c,
    "quotient": lambda a, b: a / b,
    "sum": lambda a, b: a + b,
    "difference": lambda a, b: a - b,
    "v2_over_2a": lambda v, a: v * v / (2 * a),
    "parallel": lambda a, b: 1 / (1 / a + 1 / b),
    "sq_product": lambda i, r: i * i * r,
    "gas_n": lambda p, v, r, t: p * v / (r * t),
    "ratio_scale": lambda x, new, old: x * new / old,
    "half_m_v2": lambda m, v: m * v * v / 2,
    "rms_speed": lambda r, t, m: (3 * r * t / m) ** 0.5,
}
SCIENCE = [n for n in GENS if ".science." in n]


def _close(a: float, b: float, rel: float = 2e-4) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b))


@pytest.mark.parametrize("name", SCIENCE)
def test_science_steps_recomputed_from_their_shown_inputs(name: str) -> None:
    for item in items_of(name):
        lines = re.findall(r"^Step (\d+): [^:]+: (\w+) = (.*) = (\S+) (\S+)$", item.prompt, re.M)
        record = item.meta["derivation"]
        assert len(lines) == len(record)
        values = {s: float(v) for s, v in item.meta["givens"].items()}
        for sym, v in item.meta["givens"].items():
            assert f"{sym} = {v} " in item.prompt
        oks = []
        for (_, sym, formula, shown, _), step in zip(lines, record, strict=True):
            assert sym == step["sym"] and shown == step["value"]
            want = FORMULAS[step["kind"]](*(values[s] for s in step["inputs"]))
            oks.append(_close(float(shown), want))
            if oks[-1]:  # a right step shows the quantities it needs
                assert all(re.search(rf"\b{s}\b", formula) for s in step["inputs"]), formula
            values[sym] = float(shown)
        assert item.answer == str(first_failure(oks)), item.prompt
        if item.answer != "0":  # the injected error is far beyond rounding
            bad = record[int(item.answer) - 1]
            assert bad["value"] != item.meta["original_values"][bad["sym"]]


def _kelvin(value: float, unit: str) -> float:
    return float(sc.convert_temperature(value, "Fahrenheit" if unit == "°F" else "Celsius",
                                        "Kelvin"))


@pytest.mark.parametrize("name", SCIENCE)
def test_clean_derivations_obey_the_physics(name: str) -> None:
    """Relations the steps never use directly: braking distance is mean speed times time, the
    brakes' work is the kinetic energy, branch currents add up, the power is U*I, the gas amount
    matches pV = nRT from the givens, the heat is n Cv dT."""
    checked = 0
    for item in items_of(name):
        if item.answer != "0":
            continue
        v = {s: float(x) for s, x in item.meta["original_values"].items()}
        g = {s: float(x) for s, x in item.meta["givens"].items()}
        units = dict(re.findall(r"(\w+) = [-\d.]+ (°[CF]|mL|L)\b", item.prompt))
        relations = []
        if "d2" in v:
            relations.append((v["d2"], v["v"] * g["tb"] / 2))
        if "W" in v and "E" in v:
            relations.append((v["W"], v["E"]))
        if "P" in v and "R" in v:
            relations.append((v["P"], g["U"] ** 2 / v["R"]))
        if "I2" in v:
            relations.append((v["I1"] + v["I2"], v["I"]))
        if "Up" in v:
            relations.append((v["Up"] + v["U3"], g["U"]))
        if "n" in v:
            litres = g["V"] * (sc.milli if units["V"] == "mL" else 1)
            n = g["P1"] * sc.kilo * litres * sc.liter / (sc.R * _kelvin(g["T1"], units["T1"]))
            relations.append((v["n"], n))
        if "Qh" in v:
            rise = _kelvin(g["T2"], units["T2"]) - _kelvin(g["T1"], units["T1"])
            relations.append((v["Qh"], v["n"] * g["Cv"] * rise))
        assert all(_close(a, b, 2e-3) for a, b in relations), (relations, item.prompt)
        checked += len(relations)
    assert checked > 0


# --- coding -----------------------------------------------------------------------------------

class _Budget(BaseException):
    pass


def _passes(code: str, tests: list[str]) -> bool:
    """Run the code and each assert under a line budget (a mutant may never finish)."""
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        if count > 50_000:
            raise _Budget
        return tracer

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        for test in tests:
            exec(test, namespace)
    except (_Budget, Exception):
        return False
    finally:
        sys.settrace(old)
    return True


SUBTLE_MUTATIONS = {"boundary", "range_bound", "index", "off_by_one"}


@pytest.mark.parametrize("name", [n for n in GENS if ".coding." in n])
def test_coding_answer_matches_execution_and_diff(name: str) -> None:
    for item in items_of(name, range(30)):
        body = item.prompt.split("\nTests:\n")
        listing = [re.sub(r"^ ?\d+ ?", "", line, count=1) for line in body[0].split("\n")[1:]]
        numbers = [int(line[:2]) for line in body[0].split("\n")[1:]]
        assert numbers == list(range(1, len(listing) + 1))
        code = "\n".join(listing)
        assert code == item.meta["code"]
        tests = [t for t in body[1].split("\n") if t.startswith("assert ")]
        assert tests == item.meta["test_code"].split("\n")
        original = item.meta["original_code"]
        assert _passes(original, tests), original
        assert _passes(code, tests) == (item.answer == "0"), item.prompt
        diff = [i for i, (a, b) in enumerate(zip(original.split("\n"), listing, strict=True),
                                             start=1) if a != b]
        assert diff == ([] if item.answer == "0" else [int(item.answer)])
        if item.difficulty >= 4 and item.answer != "0":  # subtle, and nothing else gives it away
            was, now = original.split("\n")[diff[0] - 1], listing[diff[0] - 1]
            assert item.meta["mutation"]["kind"] in SUBTLE_MUTATIONS, (was, now)
            assert was.count("(") == now.count("(") and "-0" not in now, (was, now)


# --- general ----------------------------------------------------------------------------------

def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


def _round_pct(amount: int, pct: int) -> int:
    return int((Decimal(amount) * pct / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_receipt_first_inconsistent_line() -> None:
    for item in items_of("diagnostic.general.receipt"):
        lines = re.findall(r"^\d+\. (.+)$", item.prompt, re.M)
        oks: list[bool] = []
        items: list[int] = []
        s: dict[str, int] = {}
        for line in lines:
            m_qty = re.fullmatch(r".+: (\d+) x \$(\d+\.\d\d) = \$(\d+\.\d\d)", line)
            m_kg = re.fullmatch(r".+: ([\d.]+) kg x \$(\d+\.\d\d)/kg = \$(\d+\.\d\d)", line)
            m_sum = re.fullmatch(r"(Subtotal|Total|Paid in cash|Change): \$(\d+\.\d\d)", line)
            m_pct = re.fullmatch(r"(Discount|Tax) (\d+)%: -?\$(\d+\.\d\d)", line)
            if m_qty:
                want, shown = int(m_qty.group(1)) * _cents(m_qty.group(2)), _cents(m_qty.group(3))
                items.append(shown)
            elif m_kg:
                want = int((Decimal(m_kg.group(1)) * _cents(m_kg.group(2))).quantize(
                    Decimal(1), rounding=ROUND_HALF_UP))
                shown = _cents(m_kg.group(3))
                items.append(shown)
            elif m_pct:
                base = s["Subtotal"] - s.get("Discount", 0)
                want, shown = _round_pct(base, int(m_pct.group(2))), _cents(m_pct.group(3))
                s[m_pct.group(1)] = shown
            elif m_sum:
                key, shown = m_sum.group(1), _cents(m_sum.group(2))
                want = {"Subtotal": sum(items),
                        "Total": s.get("Subtotal", sum(items)) - s.get("Discount", 0)
                        + s.get("Tax", 0),
                        "Paid in cash": shown,
                        "Change": s.get("Paid in cash", 0) - s.get("Total", 0)}[key]
                s[key] = shown
            else:
                want = shown = 0  # a note: nothing to check
            oks.append(want == shown)
        assert item.answer == str(first_failure(oks)), item.prompt


_TIME = r"(\d\d):(\d\d)(?: \(([+-]\d+) days?\))?"


def _zone(text: str) -> timezone:
    m = re.fullmatch(r"UTC([+-])(\d+)(?::(\d\d))?", text)
    assert m is not None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def _at(clock: tuple[str | None, ...], tz: timezone) -> datetime:
    """`clock` is (hh, mm, day offset or None) as the time pattern captures it."""
    hh, mm, day = clock
    assert hh is not None and mm is not None
    return datetime(2025, 3, 10, int(hh), int(mm), tzinfo=tz) + timedelta(days=int(day or 0))


def _dur(text: str) -> timedelta:
    h, m = re.fullmatch(r"(\d+)h (\d\d)m", text).groups()  # type: ignore[union-attr]
    return timedelta(hours=int(h), minutes=int(m))


def test_itinerary_first_inconsistent_line_with_aware_datetimes() -> None:
    for item in items_of("diagnostic.general.itinerary"):
        lines = re.findall(r"^\d+\. (.+)$", item.prompt, re.M)
        oks: list[bool] = []
        start: datetime | None = None
        now = datetime.min.replace(tzinfo=UTC)
        tz = UTC
        for line in lines:
            dep = re.fullmatch(rf"Depart \w+ \((UTC[^)]*)\) at {_TIME}\.", line)
            fly = re.fullmatch(rf"Fly (\d+h \d\dm) to \w+ \((UTC[^)]*)\); arrive at {_TIME}\.",
                               line)
            wait = re.fullmatch(rf"Wait (\d+h \d\dm); depart \w+ at {_TIME}\.", line)
            total = re.fullmatch(r"Total travel time: (\d+h \d\dm)\.", line)
            if dep:
                tz = _zone(dep.group(1))
                start = now = _at(dep.groups()[1:], tz)
                oks.append(True)
            elif fly:
                tz = _zone(fly.group(2))
                shown = _at(fly.groups()[2:], tz)
                oks.append(shown == now + _dur(fly.group(1)))
                now = shown
            elif wait:
                shown = _at(wait.groups()[1:], tz)
                oks.append(shown == now + _dur(wait.group(1)))
                now = shown
            elif total:
                assert start is not None
                oks.append(_dur(total.group(1)) == now - start)
            else:
                oks.append(True)
        assert item.answer == str(first_failure(oks)), item.prompt


# --- shared properties ------------------------------------------------------------------------

HARD_KINDS: dict[str, set[str]] = {
    "diagnostic.math.expression_steps": {"sign", "order", "precedence"},
    "diagnostic.math.series_sum": {"sign"},
    **{n: {"subtle", "input", "subtle_conversion"} for n in SCIENCE},
    "diagnostic.general.receipt": {"quantity", "rounded_down", "dropped", "rate", "tax_base",
                                   "discount_added", "tax_left_out", "change_before_tax"},
    "diagnostic.general.itinerary": {"date", "zone_ignored", "zone_reversed",
                                     "local_clock_difference"},
}


@pytest.mark.parametrize("name", sorted(HARD_KINDS))
def test_most_level_five_errors_are_ways_of_working_wrong(name: str) -> None:
    """At level 5 most errors are not digit slips but a wrong way of working that needs the
    step re-derived (a sign, an order of operations, a lost factor, a wrong quantity or rule)."""
    kinds = [i.meta["error"]["kind"] for i in items_of(name)[4 * len(SEEDS):]
             if i.answer != "0"]
    assert sum(k in HARD_KINDS[name] for k in kinds) / len(kinds) >= 0.45, kinds


@pytest.mark.parametrize("name", sorted(GENS))
def test_answers_prompts_and_isolation_claim(name: str) -> None:
    assert len(GENS[name].why) >= 30 and GENS[name].version >= 2
    for item in items_of(name):
        assert item.answer_type is AnswerType.LINE and item.answer.isdigit()
        assert "or 0 if" in item.prompt and "\\boxed" not in item.prompt
        json.dumps(item.meta)
        error = item.meta.get("error", item.meta.get("mutation"))
        assert (error is None) == (item.answer == "0")
    assert len({i.answer for i in items_of(name)}) >= 4  # the error moves around


@pytest.mark.parametrize("name", sorted(GENS))
def test_difficulty_scales_and_prompts_are_distinct(name: str) -> None:
    g = GENS[name]
    mean_len = [sum(len(g(s, d).prompt) for s in range(30)) / 30 for d in LEVELS]
    assert all(a < b for a, b in itertools.pairwise(mean_len)), mean_len
    for d in (2, 3, 5):
        prompts = [g(s, d).prompt for s in range(60)]
        assert len(set(prompts)) >= 58, (d, len(set(prompts)))
    assert len({g(s, 1).prompt for s in range(200)}) >= 30


def test_level_one_prompts_are_short() -> None:
    for name, g in GENS.items():
        mean = sum(len(g(s, 1).prompt) for s in range(30)) / 30
        assert mean < 600, (name, mean)


def test_deterministic_within_and_across_processes() -> None:
    here = {n: [GENS[n](s, d).to_json() for s, d in ((3, 1), (11, 4), (29, 5))] for n in GENS}
    assert here == {n: [GENS[n](s, d).to_json() for s, d in ((3, 1), (11, 4), (29, 5))]
                    for n in GENS}
    script = (
        "import json\n"
        "import reasonscope.bench.generators.diagnostic\n"
        "from reasonscope.bench.generators.base import REGISTRY\n"
        "print(json.dumps({n: [g(s, d).to_json() for s, d in ((3, 1), (11, 4), (29, 5))]"
        " for n, g in REGISTRY.items() if n.startswith('diagnostic.')}))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "123", "PATH": ""})
    assert json.loads(out.stdout) == here
