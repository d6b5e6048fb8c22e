"""Simulation generators: every answer re-derived by an independent method, from the prompt.

Most checks parse the prompt the model sees (not the generator's meta) and recompute the answer
another way: matrix powers instead of stepping, move counting instead of walking, bit-parallel
automata instead of table lookup, permutation composition instead of swaps, complex headings
instead of a direction table, monthly sums instead of per-transaction steps, and a plan
interpreter (plus a real subprocess) instead of `exec` for the programs.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
import subprocess
import sys
import time
from collections import Counter
from fractions import Fraction
from statistics import mean

import pytest

from reasonscope.bench.generators.base import REGISTRY, Generator, all_generators, generators_for
from reasonscope.bench.generators.simulation import coding as _sim_coding
from reasonscope.bench.generators.simulation import program as P
from reasonscope.bench.generators.simulation import sequences as _sim_sequences
from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .rs_genkit import items_of
from .rs_genkit import search as _search

SEEDS = range(40)
LEVELS = range(1, 6)




def _match(pattern: str, text: str) -> re.Match[str]:
    m = re.match(pattern, text)
    assert m is not None, (pattern, text)
    return m


def _fullmatch(pattern: str, text: str) -> re.Match[str]:
    m = re.fullmatch(pattern, text)
    assert m is not None, (pattern, text)
    return m


def _sim_generators() -> list[Generator]:
    return [g for g in all_generators() if g.behavior is Behavior.SIMULATION]


def _items(name: str, seeds: range = SEEDS) -> list[Item]:
    return items_of(name, seeds)


# ---------------------------------------------------------------------------------------------
# Registry and item form


def test_each_cell_has_at_least_two_families() -> None:
    for domain in Domain:
        names = [g.name for g in generators_for(Behavior.SIMULATION, domain)]
        assert len(names) >= 2, (domain, names)
        assert all(n.startswith(f"simulation.{domain.value}.") for n in names)


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
                assert item.tolerance is not None and 0 < item.tolerance < 0.05
            elif kind is AnswerType.PYTHON:
                ast.literal_eval(ans)
            else:
                assert kind is AnswerType.STRING and ans.strip() == ans and ans
                assert all(isinstance(a, str) for a in item.meta.get("aliases", []))
            json.dumps(item.meta)
            if gen.domain is Domain.MATH:
                steps = item.meta["steps"]
                assert len(steps) >= 2 and ans in steps[-1]


@pytest.mark.parametrize("gen", _sim_generators(), ids=lambda g: g.name)
def test_deterministic_in_process(gen: Generator) -> None:
    for d in LEVELS:
        assert gen(123, d) == gen(123, d)
        assert gen(123, d).prompt != gen(124, d).prompt


def test_deterministic_across_processes() -> None:
    names = sorted(g.name for g in _sim_generators())
    code = (
        "import json, sys\n"
        "from reasonscope.bench.generators.base import REGISTRY, all_generators\n"
        "all_generators()\n"
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
    steps = [mean(len(gen(s, d).meta.get("steps", [])) for s in range(30)) for d in LEVELS]
    if gen.domain is not Domain.CODING:
        assert all(a < b for a, b in itertools.pairwise(steps)), steps


def test_thousand_items_are_fast() -> None:
    gens = _sim_generators()
    t0 = time.process_time()  # CPU time: robust to a busy machine
    n = 0
    for seed in range(1000 // (len(gens) * 5) + 1):
        for g in gens:
            for d in LEVELS:
                g(seed, d)
                n += 1
    assert n >= 1000 and time.process_time() - t0 < 10


# ---------------------------------------------------------------------------------------------
# Math


def _mat_mul(a: list[list[int]], b: list[list[int]], m: int) -> list[list[int]]:
    return [[sum(a[i][k] * b[k][j] for k in range(2)) % m for j in range(2)] for i in range(2)]


def test_affine_recurrence_by_matrix_power() -> None:
    for item in _items("simulation.math.affine_recurrence"):
        x0, a, b, m, n = map(int, _search(
            r"x_0 = (\d+) and x_\(k\+1\) = \((\d+)\*x_k \+ (\d+)\) mod (\d+)\. What is x_(\d+)",
            item.prompt).groups())
        power, base = [[1, 0], [0, 1]], [[a % m, b % m], [0, 1]]
        while n:
            if n & 1:
                power = _mat_mul(power, base, m)
            base, n = _mat_mul(base, base, m), n >> 1
        assert int(item.answer) == (power[0][0] * x0 + power[0][1]) % m


def test_piecewise_recurrence_from_the_prompt() -> None:
    for item in _items("simulation.math.piecewise_recurrence"):
        x = int(_search(r"x_0 = (\d+)", item.prompt).group(1))
        n = int(_search(r"What is x_(\d+)\?", item.prompt).group(1))
        branches = [(int(p or 1), int(q)) for p, q in re.findall(r"(\d*)x \+ (\d+)", item.prompt)]
        d = 2 if "is even" in item.prompt else 3
        assert len(branches) == d - 1
        for _ in range(n):
            q, r = divmod(x, d)
            x = q if r == 0 else branches[r - 1][0] * x + branches[r - 1][1]
        assert int(item.answer) == x


_VEC = {"U": (0, 1), "D": (0, -1), "L": (-1, 0), "R": (1, 0)}


def test_lattice_walk_by_counting_moves() -> None:
    for item in _items("simulation.math.lattice_walk"):
        moves = _search(r"Moves: ([^.]*)\.", item.prompt).group(1).split()
        counts: Counter[str] = Counter()
        for tok in moves:
            name, reps = _fullmatch(r"([UDLR]+)(\d*)", tok).groups()
            counts[name] += int(reps or 1)
        if item.answer_type is AnswerType.INTEGER:
            start = int(_search(r"starts at (-?\d+)", item.prompt).group(1))
            assert int(item.answer) == start + counts["R"] - counts["L"]
            continue
        x, y = map(int, _search(r"starts at \((-?\d+), (-?\d+)\)", item.prompt).groups())
        for name, c in counts.items():
            x += c * sum(_VEC[ch][0] for ch in name)
            y += c * sum(_VEC[ch][1] for ch in name)
        size = re.search(r"mod (\d+)", item.prompt)
        if size:
            x, y = x % int(size.group(1)), y % int(size.group(1))
        assert ast.literal_eval(item.answer) == (x, y)


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


def test_euler_motion_by_matrix_power() -> None:
    for item in _items("simulation.science.euler_motion"):
        m, s0, n, idx = _euler_matrix(item)
        exact = _apply(_matpow(m, n), s0)[idx]
        assert float(item.answer) == pytest.approx(float(exact), rel=1e-9, abs=1e-12)
        tol = item.tolerance or 0.0
        for other in (n - 1, n + 1):  # one step too few or too many is outside the tolerance
            wrong = _apply(_matpow(m, other), s0)[idx]
            assert abs(wrong - exact) > tol * abs(exact)


def test_decay_by_superposition_of_matrix_powers() -> None:
    for item in _items("simulation.science.decay"):
        meta = item.meta
        keep = [Fraction(k) for k in meta["keep"]]
        size, k = len(keep), meta["k"]
        m = [[Fraction(0)] * size for _ in range(size)]
        for i, kp in enumerate(keep):
            m[i][i] = kp
            if i + 1 < size:
                m[i + 1][i] = 1 - kp
        total = _apply(_matpow(m, k), [Fraction(a) for a in meta["start"]])
        for when, species, change in meta["events"]:
            pulse = [Fraction(0)] * size
            pulse[species] = Fraction(change)
            total = [a + b for a, b in zip(total, _apply(_matpow(m, k - when), pulse),
                                           strict=True)]
        assert Fraction(item.answer) == total[meta["ask"]] >= 0
        for amount in meta["start"][:1] + [abs(Fraction(c)) for _, _, c in meta["events"]]:
            assert str(amount) in item.prompt
        if size == 1:  # closed form without events: N0 / 2^k
            assert meta["events"] or Fraction(item.answer) == Fraction(meta["start"][0]) / 2**k


def _ca_bitwise(row: str, rule: int, steps: int, wrap: bool) -> str:
    width = len(row)
    full = (1 << width) - 1
    cells = int(row, 2)
    for _ in range(steps):
        left = (cells >> 1) | ((cells & 1) << (width - 1) if wrap else 0)  # neighbour on the left
        right = ((cells << 1) & full) | ((cells >> (width - 1)) if wrap else 0)
        nxt = 0
        for pattern in range(8):
            if rule >> pattern & 1:
                nxt |= ((left if pattern & 4 else ~left) & (cells if pattern & 2 else ~cells)
                        & (right if pattern & 1 else ~right) & full)
        cells = nxt
    return format(cells, f"0{width}b")


def test_cellular_automaton_bit_parallel() -> None:
    for item in _items("simulation.science.cellular_automaton"):
        table = dict(re.findall(r"([01]{3})->([01])", item.prompt))
        rule = sum(int(v) << int(nb, 2) for nb, v in table.items())
        named = re.search(r"rule (\d+):", item.prompt)
        assert len(table) == 8 and (named is None or int(named.group(1)) == rule)
        start = _search(r"Start: ([01]+)\.", item.prompt).group(1)
        steps = int(_search(r"after (\d+) step", item.prompt).group(1))
        wrap = "wraps around" in item.prompt
        assert item.answer == _ca_bitwise(start, rule, steps, wrap)


# ---------------------------------------------------------------------------------------------
# Coding

_BUILDERS = {
    "simulation.coding.program_output": _sim_coding.build_mixed,
    "simulation.coding.list_mutations": _sim_sequences.build_list_program,
    "simulation.coding.string_pipeline": _sim_sequences.build_string_program,
}


def test_coding_families_are_all_cross_checked() -> None:
    assert {g.name for g in generators_for(Behavior.SIMULATION, Domain.CODING)} == set(_BUILDERS)


@pytest.mark.parametrize("name", sorted(_BUILDERS))
def test_program_output_matches_plan_interpreter(name: str) -> None:
    gen = REGISTRY[name]
    for d in LEVELS:
        for seed in SEEDS:
            item = gen(seed, d)
            plan = _BUILDERS[name](gen.rng(seed, d), d)
            source = P.render(plan)
            assert f"```python\n{source}```" in item.prompt
            (value,) = P.interpret(plan, P.Budget(10**5, 10**12, 10**3))
            if item.answer_type is AnswerType.PYTHON:
                assert ast.literal_eval(item.answer) == value
                assert item.answer == str(value)
            else:
                assert item.answer_type is AnswerType.STRING and item.answer == value


def test_program_output_matches_a_real_interpreter_process() -> None:
    sources, answers = [], []
    for name in sorted(_BUILDERS):
        for d in LEVELS:
            item = REGISTRY[name](7, d)
            sources.append(_search(r"```python\n(.*)```", item.prompt, re.S).group(1))
            answers.append(item.answer)
    runner = ("import json, sys, io, contextlib\nouts = []\n"
              "for src in json.load(sys.stdin):\n    buf = io.StringIO()\n"
              "    with contextlib.redirect_stdout(buf):\n        exec(src, {})\n"
              "    outs.append(buf.getvalue())\nprint(json.dumps(outs))\n")
    out = subprocess.run([sys.executable, "-c", runner], input=json.dumps(sources),
                         capture_output=True, text=True, check=True)
    assert [o.rstrip("\n") for o in json.loads(out.stdout)] == answers


def test_interpreter_catches_a_rendering_slip() -> None:
    """The cross-check has teeth: a precedence slip changes the executed result."""
    plan = (P.Assign("x", P.BinOp("*", P.BinOp("+", P.Num(2), P.Num(3)), P.Num(4))),
            P.Print(P.Name("x")))
    assert P.interpret(plan) == [20] and P.execute(P.render(plan)) == "20\n"
    assert P.execute(P.render(plan).replace("(", "", 1).replace(")", "", 1)) != "20\n"


def test_mixed_programs_grow_with_difficulty() -> None:
    gen = REGISTRY["simulation.coding.program_output"]
    lines = [mean(gen(s, d).meta["lines"] for s in range(30)) for d in LEVELS]
    assert all(a < b for a, b in itertools.pairwise(lines)), lines
    assert lines[0] <= 4 and lines[-1] >= 20


# ---------------------------------------------------------------------------------------------
# General


def test_swapped_objects_by_permutation_composition() -> None:
    for item in _items("simulation.general.swapped_objects"):
        head, rest = item.prompt.split(". Then, in order: ")
        pairs = re.findall(r"(\w+) has the ([a-z ]+?)(?=, | and |$)", head)
        people = [p for p, _ in pairs]
        things = [t for _, t in pairs]
        perm = list(range(len(people)))  # perm[i]: whose original object person i holds
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
        final = [things[perm[i]] for i in range(len(people))]
        held_by = re.search(r"What does (\w+) hold", item.prompt)
        if held_by:
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
        for ins in said.split(", then "):
            words = ins.split()
            if ins.startswith("turn"):
                head *= {"left": 1j, "right": -1j, "around": -1}[words[1]]
            elif ins.startswith("walk"):
                pos += int(words[2]) * head * (1 if words[1] == "forward" else -1)
            elif ins.startswith("sidestep"):
                pos += int(words[1]) * head * (-1j if words[-1] == "right" else 1j)
        if item.meta["ask"] == "facing":
            assert _HEADING[item.answer] == head
        else:
            assert ast.literal_eval(item.answer) == (int(pos.real), int(pos.imag))


def test_account_balance_by_monthly_sums() -> None:
    for item in _items("simulation.general.account_balance"):
        owner, start = _match(r"(\w+)'s bank account holds \$(\d+)\.", item.prompt).groups()
        fee = re.search(r"each withdrawal costs an extra \$(\d+)", item.prompt)
        service = re.search(r"a \$(\d+) service fee", item.prompt)
        rate = re.search(r"then (\d+)% interest", item.prompt)
        body = item.prompt.split("What is the balance")[0]
        months = re.split(r"Month \d+: ", body)[1:] or [body]
        balance = int(start)
        for text in months:
            deposits = sum(map(int, re.findall(rf"{owner} deposits \$(\d+)", text)))
            withdrawals = [int(w) for w in re.findall(rf"{owner} withdraws \$(\d+)", text)]
            balance += deposits - sum(withdrawals) - len(withdrawals) * int(fee[1] if fee else 0)
            if service:
                balance -= int(service[1])
                if rate and balance > 0:
                    balance += balance * int(rate[1]) // 100
        assert int(item.answer) == balance
