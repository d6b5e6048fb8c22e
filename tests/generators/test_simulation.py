"""Simulation generators: every answer re-derived by an independent method, from the prompt.

Most checks parse the prompt the model sees (not the generator's meta) and recompute the answer
another way: Horner sums and matrix powers instead of stepping, unit steps instead of whole
moves, bit-parallel automata instead of table lookup, an in-place reverse sweep for decay
chains, permutation composition instead of swaps, complex headings instead of a direction
table, a parsed ledger for the account. They also check the no-shortcut properties the top
level promises (no cycle, no state revisited, order that matters). The coding families are
checked in `test_simulation_coding`.
"""

from __future__ import annotations

import ast
import decimal
import itertools
import json
import re
import subprocess
import sys
import time
from fractions import Fraction
from functools import cache
from math import gcd
from statistics import mean

import pytest

import reasonscope.bench.generators.simulation  # noqa: F401  (registers the families)
from reasonscope.bench.generators.base import REGISTRY, Generator
from reasonscope.items import Item
from reasonscope.scoring import score
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .rs_genkit import search as _search

SEEDS = range(40)
LEVELS = range(1, 6)
MAX_STEPS_CHARS = 3500  # a d5 worked solution must fit the default generation budget


def _fullmatch(pattern: str, text: str) -> re.Match[str]:
    m = re.fullmatch(pattern, text)
    assert m is not None, (pattern, text)
    return m


def _sim_generators() -> list[Generator]:
    return sorted((g for n, g in REGISTRY.items() if n.startswith("simulation.")),
                  key=lambda g: g.name)


@cache
def _items(name: str) -> tuple[Item, ...]:
    gen = REGISTRY[name]
    return tuple(gen(seed, d) for d in LEVELS for seed in SEEDS)


# ---------------------------------------------------------------------------------------------
# Registry and item form


def test_each_cell_has_at_least_two_families() -> None:
    for domain in Domain:
        names = [g.name for g in _sim_generators() if g.domain is domain]
        assert len(names) >= 2, (domain, names)
        assert all(n.startswith(f"simulation.{domain.value}.") for n in names)
        assert all(REGISTRY[n].behavior is Behavior.SIMULATION for n in names)


@pytest.mark.parametrize("gen", _sim_generators(), ids=lambda g: g.name)
def test_items_are_well_formed(gen: Generator) -> None:
    for d in LEVELS:
        for seed in range(15):
            item = gen(seed, d)
            assert "\\boxed" not in item.prompt
            assert re.search(r"\b(Give|Answer)\b", item.prompt), item.prompt
            kind, ans = item.answer_type, item.answer
            if kind is AnswerType.INTEGER:
                assert re.fullmatch(r"-?\d+", ans)
            elif kind is AnswerType.RATIONAL:
                assert re.fullmatch(r"-?\d+(/\d+)?", ans) and str(Fraction(ans)) == ans
            elif kind is AnswerType.NUMBER:
                float(ans)
                assert item.tolerance is not None and 0 < item.tolerance < 0.01
            elif kind is AnswerType.PYTHON:
                ast.literal_eval(ans)
            elif kind is AnswerType.LIST:
                assert all(part.strip() == part and part for part in ans.split(", "))
            else:
                assert kind is AnswerType.STRING and ans.strip() == ans and ans
                assert all(isinstance(a, str) for a in item.meta.get("aliases", []))
            json.dumps(item.meta)
            steps = item.meta["steps"]  # every domain has a worked solution, ending at the answer
            assert len(steps) >= 2, steps
            assert steps[-1] == f"The answer is {ans}." or (
                kind is AnswerType.NUMBER and steps[-1].startswith(f"The answer is {ans} ")), \
                steps[-1]
            assert item.meta["work"] >= 1 and item.meta["work_unit"]


@pytest.mark.parametrize("gen", _sim_generators(), ids=lambda g: g.name)
def test_top_level_is_thirty_state_changes_in_a_budget(gen: Generator) -> None:
    """Level 5 needs at least 30 state changes, and its worked solution fits the budget."""
    for seed in range(24):
        item = gen(seed, 5)
        assert item.meta["work"] >= 30, (gen.name, seed, item.meta["work"])
        assert len("\n".join(item.meta["steps"])) <= MAX_STEPS_CHARS, (gen.name, seed)


@pytest.mark.parametrize("gen", _sim_generators(), ids=lambda g: g.name)
def test_deterministic_in_process(gen: Generator) -> None:
    for d in LEVELS:
        assert gen(123, d) == gen(123, d)
        assert gen(123, d).prompt != gen(124, d).prompt


def test_deterministic_across_processes() -> None:
    names = [g.name for g in _sim_generators()]
    code = (
        "import json\n"
        "import reasonscope.bench.generators.simulation\n"
        "from reasonscope.bench.generators.base import REGISTRY\n"
        f"names = {names!r}\n"
        "print(json.dumps([REGISTRY[n](s, d).to_json() for n in names for s in (3, 77) "
        "for d in range(1, 6)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345"})
    here = [REGISTRY[n](s, d).to_json() for n in names for s in (3, 77) for d in LEVELS]
    assert json.loads(out.stdout) == here


@pytest.mark.parametrize("gen", _sim_generators(), ids=lambda g: g.name)
def test_prompts_are_diverse(gen: Generator) -> None:
    assert len({gen(s, 1).prompt for s in range(200)}) >= 30
    for d in range(2, 6):
        prompts = [gen(s, d).prompt for s in range(60)]
        assert len(set(prompts)) >= 57, (d, len(set(prompts)))


@pytest.mark.parametrize("gen", _sim_generators(), ids=lambda g: g.name)
def test_difficulty_scales(gen: Generator) -> None:
    lengths = [mean(len(gen(s, d).prompt) for s in range(30)) for d in LEVELS]
    assert all(a < b for a, b in itertools.pairwise(lengths)), lengths
    assert lengths[0] < 300
    steps = [mean(len(gen(s, d).meta["steps"]) for s in range(30)) for d in LEVELS]
    assert all(a < b for a, b in itertools.pairwise(steps)), steps


def test_thousand_items_are_fast() -> None:
    gens = _sim_generators()
    t0 = time.process_time()  # CPU time: robust to a busy machine
    n = 0
    for seed in range(1000 // (len(gens) * 5) + 1):
        for g in gens:
            for d in LEVELS:
                g(seed + 10_000, d)
                n += 1
    assert n >= 1000 and time.process_time() - t0 < 10


# ---------------------------------------------------------------------------------------------
# Math


def _mat_mul(a: list[list[int]], b: list[list[int]], m: int) -> list[list[int]]:
    return [[sum(a[i][k] * b[k][j] for k in range(2)) % m for j in range(2)] for i in range(2)]


def test_affine_recurrence_by_matrix_power_or_horner_sum() -> None:
    for item in _items("simulation.math.affine_recurrence"):
        x0, a, rest, m = _search(r"x_0 = (\d+) and x_\(k\+1\) = \((\d+)\*x_k \+ "
                                 r"(\d+|s_\(k\+1\))\) mod (\d+)", item.prompt).groups()
        x0, a, m = int(x0), int(a), int(m)
        n = int(_search(r"What is x_(\d+)\?", item.prompt).group(1))
        assert gcd(a, m) == 1  # a unit: no power of a vanishes, so no step is forgotten
        if rest.isdigit():
            b = int(rest)
            power, base, e = [[1, 0], [0, 1]], [[a % m, b % m], [0, 1]], n
            while e:
                if e & 1:
                    power = _mat_mul(power, base, m)
                base, e = _mat_mul(base, base, m), e >> 1
            expected = (power[0][0] * x0 + power[0][1]) % m
        else:
            adds = [int(v) for v in _search(r"= ((?:\d+, )*\d+)\. What", item.prompt)
                    .group(1).split(", ")]
            assert len(adds) == n and item.difficulty >= 3
            expected = (pow(a, n, m) * x0
                        + sum(s * pow(a, n - k, m) for k, s in enumerate(adds, 1))) % m
        assert int(item.answer) == expected


def test_piecewise_recurrence_from_the_prompt() -> None:
    for item in _items("simulation.math.piecewise_recurrence"):
        x = int(_search(r"x_0 = (\d+)", item.prompt).group(1))
        n = int(_search(r"What is x_(\d+)\?", item.prompt).group(1))
        branches = [(int(p or 1), int(q)) for p, q in re.findall(r"(\d*)x \+ (\d+)", item.prompt)]
        d = 2 if "is even" in item.prompt else 3
        assert len(branches) == d - 1
        for r, (p, q) in enumerate(branches, 1):  # every affine branch lands on a multiple
            assert (p * r + q) % d == 0
        seen = {x}
        for _ in range(n):
            q, r = divmod(x, d)
            x = q if r == 0 else branches[r - 1][0] * x + branches[r - 1][1]
            assert x not in seen  # no cycle before the end
            seen.add(x)
        assert int(item.answer) == x


_VEC = {"U": (0, 1), "D": (0, -1), "L": (-1, 0), "R": (1, 0)}


def test_lattice_walk_by_unit_steps() -> None:
    for item in _items("simulation.math.lattice_walk"):
        moves = _search(r"Moves: ([^.]*)\.", item.prompt).group(1).split()
        if item.answer_type is AnswerType.INTEGER:
            start = int(_search(r"starts at (-?\d+)", item.prompt).group(1))
            assert int(item.answer) == start + moves.count("R") - moves.count("L")
            continue
        pos = list(map(int, _search(r"starts at \((-?\d+), (-?\d+)\)", item.prompt).groups()))
        board = re.search(r"The board is 0\.\.(\d+)", item.prompt)
        edge = int(board.group(1)) if board else None
        total = [0, 0]
        cut = 0
        for tok in moves:
            name, reps = _fullmatch(r"([UDLR]+)(\d*)", tok).groups()
            before = list(pos)
            for _ in range(int(reps or 1)):
                for axis in (0, 1):
                    delta = sum(_VEC[ch][axis] for ch in name)
                    total[axis] += delta
                    if edge is None or 0 <= pos[axis] + delta <= edge:
                        pos[axis] += delta
                    else:
                        cut += 1
            assert pos != before  # every move changes the position
        assert ast.literal_eval(item.answer) == tuple(pos)
        if edge is not None:  # the order matters: adding the moves up and clamping is wrong
            origin = [int(c) for c in _search(r"starts at \((-?\d+), (-?\d+)\)",
                                              item.prompt).groups()]
            naive = tuple(min(max(s + t, 0), edge) for s, t in zip(origin, total, strict=True))
            assert naive != tuple(pos) and cut >= 1


# ---------------------------------------------------------------------------------------------
# Science


def _matpow(m: list[list[Fraction]], n: int) -> list[list[Fraction]]:
    size = len(m)
    out = [[Fraction(int(i == j)) for j in range(size)] for i in range(size)]
    for _ in range(n):
        out = [[sum((out[i][k] * m[k][j] for k in range(size)), Fraction(0))
                for j in range(size)] for i in range(size)]
    return out


def _accel(text: str) -> tuple[Fraction, Fraction, Fraction]:
    coef = {"x": Fraction(0), "v": Fraction(0), "": Fraction(0)}
    for sign, num, var in re.findall(r"([+-]?)\s*(\d+(?:\.\d+)?)?\*?([xv]?)", text):
        if num or var:
            coef[var] += (-1 if sign == "-" else 1) * Fraction(num or "1")
    return coef["x"], coef["v"], coef[""]


def _euler_matrix(item: Item) -> tuple[list[list[Fraction]], list[Fraction], int, int]:
    x0, v0, acc, n, dt, ask = _search(
        r"x = (-?[\d.]+) m and v = (-?[\d.]+) m/s at t = 0, acceleration a = (.*?) m/s\^2\. "
        r"Take (\d+) explicit Euler steps? of dt = ([\d.]+) s .*What is ([xv]) after",
        item.prompt).groups()
    kx, kv, f = _accel(acc)
    h = Fraction(dt)
    m = [[Fraction(1), h, Fraction(0)], [h * kx, 1 + h * kv, h * f],
         [Fraction(0), Fraction(0), Fraction(1)]]
    return m, [Fraction(x0), Fraction(v0), Fraction(1)], int(n), "xv".index(ask)


def _apply(m: list[list[Fraction]], s: list[Fraction]) -> list[Fraction]:
    return [sum((a * b for a, b in zip(row, s, strict=True)), Fraction(0)) for row in m]


def _round_3_sig(x: Fraction) -> decimal.Decimal:
    ctx = decimal.Context(prec=60)
    value = ctx.divide(decimal.Decimal(x.numerator), decimal.Decimal(x.denominator))
    return value.quantize(decimal.Decimal(1).scaleb(value.adjusted() - 2),
                          rounding=decimal.ROUND_HALF_UP)


def test_euler_motion_by_matrix_power_at_the_requested_precision() -> None:
    for item in _items("simulation.science.euler_motion"):
        assert "rounded to 3 significant figures" in item.prompt
        m, s0, n, idx = _euler_matrix(item)
        exact = _apply(_matpow(m, n), s0)[idx]
        gold = Fraction(item.answer)
        assert decimal.Decimal(item.answer) == _round_3_sig(exact)
        tol = Fraction(item.tolerance or 0) * abs(gold)
        unit = Fraction(decimal.Decimal(1).scaleb(_round_3_sig(exact).adjusted() - 2))
        assert abs(exact - gold) <= tol  # the exact value is accepted ...
        for wrong in (gold - unit, gold + unit):  # ... a value wrong in the 3rd figure is not
            assert abs(wrong - gold) > tol
        for other in (n - 1, n + 1):  # one step too few or too many is wrong
            assert abs(_apply(_matpow(m, other), s0)[idx] - gold) > tol


def test_decay_by_superposition_or_a_reverse_sweep() -> None:
    for item in _items("simulation.science.decay"):
        if item.difficulty <= 3:  # one isotope, halved exactly: N0/2^k plus each event decayed
            n0 = Fraction(_search(r"holds (\d+) ", item.prompt).group(1))
            half = int(_search(r"half-life of (\d+) ", item.prompt).group(1))
            total = int(_search(r"remain after (\d+) ", item.prompt).group(1))
            k = total // half
            amount = n0 / 2**k
            for when, change, verb in re.findall(r"At (\d+) \w+, (\d+) \w+ of the isotope is "
                                                 r"(added to|removed from)", item.prompt):
                sign = 1 if verb == "added to" else -1
                amount += sign * Fraction(change) / 2 ** (k - int(when) // half)
            assert Fraction(item.answer) == amount >= 0
            continue
        rules = re.findall(r"([A-D]) loses floor\(\1/(\d)\) atoms", item.prompt)
        divisors = [int(d) for _, d in rules]
        counts = [int(c) for c in re.findall(r"[A-D] = (\d+)", item.prompt.split("At the start, ")
                                             [1].split(" atoms.")[0])]
        k = int(_search(r"after (\d+) steps\?", item.prompt).group(1))
        ask = "ABCD".index(_search(r"How many atoms of ([A-D])", item.prompt).group(1))
        events = [(int(w), "ABCD".index(sp), int(n)) for w, n, sp in re.findall(
            r"Right after step (\d+), (\d+) atoms of ([A-D]) are added", item.prompt)]
        for step in range(1, k + 1):  # in place, last species first: each loss is read before
            for i in reversed(range(len(counts))):  # that species is updated
                counts[i] -= counts[i] // divisors[i]
                if i:
                    counts[i] += counts[i - 1] // divisors[i - 1]
            for when, sp, n in events:
                if when == step:
                    counts[sp] += n
            assert all(c >= d for c, d in zip(counts, divisors, strict=True))  # never frozen
        assert int(item.answer) == counts[ask]
        for when, sp, _ in events:  # every addition still reaches the asked species
            assert sp <= ask and when + ask - sp <= k


def _ca_bitwise(row: str, rule: int, steps: int, wrap: bool) -> list[str]:
    width = len(row)
    full = (1 << width) - 1
    cells = int(row, 2)
    rows = [row]
    for _ in range(steps):
        left = (cells >> 1) | ((cells & 1) << (width - 1) if wrap else 0)  # neighbour on the left
        right = ((cells << 1) & full) | ((cells >> (width - 1)) if wrap else 0)
        nxt = 0
        for pattern in range(8):
            if rule >> pattern & 1:
                nxt |= ((left if pattern & 4 else ~left) & (cells if pattern & 2 else ~cells)
                        & (right if pattern & 1 else ~right) & full)
        cells = nxt
        rows.append(format(cells, f"0{width}b"))
    return rows


def test_cellular_automaton_bit_parallel() -> None:
    for item in _items("simulation.science.cellular_automaton"):
        table = dict(re.findall(r"([01]{3})->([01])", item.prompt))
        rule = sum(int(v) << int(nb, 2) for nb, v in table.items())
        named = re.search(r"rule (\d+):", item.prompt)
        assert len(table) == 8 and (named is None or int(named.group(1)) == rule)
        start = _search(r"Start: ([01]+)\.", item.prompt).group(1)
        steps = int(_search(r"after (\d+) step", item.prompt).group(1))
        rows = _ca_bitwise(start, rule, steps, "wraps around" in item.prompt)
        assert item.answer == rows[-1]
        assert len(set(rows)) == len(rows)  # no row repeats: no cycle to exploit
        assert item.meta["work"] == len(start) * steps


# ---------------------------------------------------------------------------------------------
# General


def test_swapped_objects_by_permutation_composition() -> None:
    for item in _items("simulation.general.swapped_objects"):
        head, rest = item.prompt.split(". Then, in order: ")
        pairs = re.findall(r"(\w+) has the ([a-z ]+?)(?=, | and |$)", head)
        people = [p for p, _ in pairs]
        things = [t for _, t in pairs]
        perm = list(range(len(people)))  # perm[i]: whose original object person i holds
        seen = {tuple(perm)}
        for sentence in rest.split(". "):
            swap = re.fullmatch(r"(\w+) and (\w+) swap", sentence)
            if swap:
                i, j = people.index(swap.group(1)), people.index(swap.group(2))
                step = list(range(len(people)))
                step[i], step[j] = j, i
            elif sentence.startswith("Everyone passes"):
                step = [(i - 1) % len(people) for i in range(len(people))]
            else:
                continue
            perm = [perm[step[i]] for i in range(len(people))]
            assert tuple(perm) not in seen  # no arrangement comes back
            seen.add(tuple(perm))
        final = [things[perm[i]] for i in range(len(people))]
        held_by = re.search(r"What does (\w+) hold", item.prompt)
        if item.answer_type is AnswerType.LIST:
            order = _search(r"by commas, in the order (.*)\.$", item.prompt).group(1)
            assert re.split(r", | and ", order) == people
            assert item.answer.split(", ") == final
        elif held_by:
            assert item.answer == final[people.index(held_by.group(1))]
            assert f"the {item.answer}" in item.meta["aliases"]
        else:
            thing = _search(r"Who holds the ([a-z ]+) at the end", item.prompt).group(1)
            assert item.answer == people[final.index(thing)]


_HEADING = {"north": 1j, "east": 1, "south": -1j, "west": -1}


def test_grid_navigation_with_complex_headings() -> None:
    for item in _items("simulation.general.grid_navigation"):
        x, y, facing, said = _search(
            r"at \((-?\d+), (-?\d+)\) facing (\w+)\. You (.*?)\. (Where|Which)",
            item.prompt).groups()[:4]
        pos, head = complex(int(x), int(y)), _HEADING[facing]
        seen = {(pos, head)}
        for ins in said.split(", then "):
            words = ins.split()
            if ins.startswith("turn"):
                head *= {"left": 1j, "right": -1j, "around": -1}[words[1]]
            elif ins.startswith("walk"):
                pos += int(words[2]) * head * (1 if words[1] == "forward" else -1)
            elif ins.startswith("sidestep"):
                pos += int(words[1]) * head * (-1j if words[-1] == "right" else 1j)
            else:
                continue
            if item.difficulty >= 3:  # the walk never comes back to a state it was in
                assert (pos, head) not in seen
            seen.add((pos, head))
        if item.meta["ask"] == "facing":
            assert item.difficulty <= 3 and _HEADING[item.answer] == head
        else:
            assert ast.literal_eval(item.answer) == (int(pos.real), int(pos.imag))


def test_account_balance_by_a_parsed_ledger() -> None:
    for item in _items("simulation.general.account_balance"):
        owner, start = _search(r"^(\w+)'s bank account holds \$(\d+)\.", item.prompt).groups()
        fee = int(m[1]) if (m := re.search(r"withdrawal costs an extra \$(\d+)", item.prompt)) \
            else 0
        service = re.search(r"a \$(\d+) service fee", item.prompt)
        rate = re.search(r"then (\d+)% interest", item.prompt)
        declines = "is declined" in item.prompt
        body = item.prompt.split("What is the balance")[0]
        months = re.split(r"Month \d+: ", body)[1:] or [body]
        balance = naive = int(start)
        declined = changes = 0
        for text in months:
            for verb, amount in re.findall(rf"{owner} (deposits|withdraws) \$(\d+)", text):
                value = int(amount)
                if verb == "deposits":
                    balance, naive = balance + value, naive + value
                    changes += 1
                    continue
                naive -= value + fee
                if declines and balance - value - fee < 0:
                    declined += 1
                else:
                    balance -= value + fee
                    changes += 1
            if service:
                balance -= int(service[1])
                gain = balance * int(rate[1]) // 100 if rate and balance > 0 else 0
                balance += gain
                changes += 1 + (gain != 0)
        assert int(item.answer) == balance
        assert item.meta["work"] == changes
        if item.difficulty >= 3:  # declined withdrawals: summing the amounts is wrong
            assert declined >= 1 and naive != balance


# ---------------------------------------------------------------------------------------------
# Scoring


def _boxed(text: str) -> str:
    return f"Step by step, the final state is reached.\n\\boxed{{{text}}}"


@pytest.mark.parametrize("gen", [g for g in _sim_generators() if g.domain is not Domain.CODING],
                         ids=lambda g: g.name)
def test_the_scorer_accepts_the_answer_and_rejects_a_near_miss(gen: Generator) -> None:
    for item in _items(gen.name)[::4]:
        assert score(item, _boxed(item.answer)).correct, item.answer
        kind = item.answer_type
        if kind is AnswerType.NUMBER:
            exact = Fraction(item.meta["exact"])
            unit = Fraction(decimal.Decimal(1).scaleb(_round_3_sig(exact).adjusted() - 2))
            assert score(item, _boxed(f"{float(exact):.9g}")).correct
            assert not score(item, _boxed(str(float(Fraction(item.answer) + unit)))).correct
        elif kind is AnswerType.LIST:
            parts = item.answer.split(", ")
            assert score(item, _boxed(f"[{item.answer}]")).correct
            wrong = [parts[1], parts[0], *parts[2:]]
            assert not score(item, _boxed(", ".join(wrong))).correct
        elif kind is AnswerType.PYTHON:
            x, y = ast.literal_eval(item.answer)
            assert score(item, _boxed(f"({x},{y})")).correct
            assert not score(item, _boxed(f"({x}, {y + 1})")).correct
        elif kind in (AnswerType.INTEGER, AnswerType.RATIONAL):
            assert not score(item, _boxed(str(Fraction(item.answer) + 1))).correct
