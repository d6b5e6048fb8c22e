"""The shipped seeds: at least three per cell, each a valid item with a rationale, each gold
answer accepted by the scorer, and the computable ones re-derived here independently."""

from __future__ import annotations

import ast
import contextlib
import datetime
import io
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from reasonscope.pools.seeds import SeedFileError, load_seeds, query_text
from reasonscope.taxonomy import CELLS

SEEDS = {s.id: s for s in load_seeds()}


def test_every_cell_has_three_or_more_seeds_with_rationales() -> None:
    counts = Counter(s.cell for s in SEEDS.values())
    assert set(counts) == set(CELLS)
    assert min(counts.values()) >= 3 and sum(counts.values()) >= 60
    for seed in SEEDS.values():
        assert len(seed.rationale) > 20 and "\n" not in seed.rationale
        assert seed.prompt in query_text(seed) and "Keywords:" in query_text(seed)
    prompts = [s.prompt for s in SEEDS.values()]
    assert len(set(prompts)) == len(prompts)


def test_gold_answers_score_correct() -> None:
    from reasonscope.scoring import score_many

    items = [s.as_item() for s in SEEDS.values()]
    results = score_many([(i, f"So the answer is \\boxed{{{i.answer}}}.") for i in items])
    assert all(r.correct for r in results), [
        (i.source, r.parse_status) for i, r in zip(items, results, strict=True) if not r.correct]


def _printed(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})
    return out.getvalue().strip()


def _code(prompt: str) -> str:
    m = re.search(r"```python\n(.*?)```", prompt, re.S)
    assert m, prompt
    return m.group(1)


def _assert_value(prompt: str) -> object:
    """cruxeval-style 'def f ... assert f(ARGS) == ??': run f on ARGS."""
    body, call = prompt.rsplit("\nassert ", 1)
    env: dict[str, object] = {}
    exec(body, env)
    return eval(call.split(" == ??")[0], env)


def _lattice(w: int, h: int, blocked: set[tuple[int, int]]) -> int:
    ways = {(0, 0): 1}
    for x in range(w + 1):
        for y in range(h + 1):
            if (x, y) == (0, 0):
                continue
            ways[(x, y)] = 0 if (x, y) in blocked else ways.get((x - 1, y), 0) + ways.get(
                (x, y - 1), 0)
    return ways[(w, h)]


def _walk() -> tuple[int, int]:
    x, y, dx, dy = 0, 0, 0, 1
    for move in ("f3", "r", "f2", "r", "f5", "l", "f1"):
        if move == "r":
            dx, dy = dy, -dx
        elif move == "l":
            dx, dy = -dy, dx
        else:
            x, y = x + dx * int(move[1:]), y + dy * int(move[1:])
    return (x, y)


def _rule90(row: str, steps: int) -> str:
    cells = [int(c) for c in row]
    for _ in range(steps):
        padded = [0, *cells, 0]
        cells = [padded[i - 1] ^ padded[i + 1] for i in range(1, len(padded) - 1)]
    return "".join(map(str, cells))


def _iterate(f: Callable[[float], float], x: float, n: int) -> float:
    for _ in range(n):
        x = f(x)
    return x


def _no_adjacent_subsets(n: int) -> int:
    return sum(1 for k in range(2 ** n) if not k & (k >> 1))


def _seatings() -> int:
    return sum(1 for p in itertools.permutations("ABCD") if abs(p.index("A") - p.index("B")) > 1)


INDEPENDENT: dict[str, Callable[[], object]] = {
    "seed.calculation.math.1": lambda: (Fraction(3, 4) + Fraction(5, 6)) * Fraction(12, 19),
    "seed.calculation.math.2": lambda: pow(7, 5, 13),
    "seed.calculation.math.3": lambda: 3 * 4 ** 2 - 2 * 4 + 5,
    "seed.calculation.math.5": lambda: math.gcd(252, 198),
    "seed.calculation.science.1": lambda: 0.5 * 3.0 * 8.0 ** 2,
    "seed.calculation.science.2": lambda: round(2.0 * 8.314 * 300 / 0.010 / 1000, 2),
    "seed.calculation.science.6": lambda: 2.0 * 4186 * 15,
    "seed.calculation.coding.1": lambda: -17 // 5,
    "seed.calculation.coding.2": lambda: 7 % -3,
    "seed.calculation.coding.3": lambda: (0b1011 ^ 0b0110) << 2,
    "seed.calculation.coding.4": lambda: eval("not (True and False) or False"),
    "seed.calculation.coding.5": lambda: eval("len('hello world'.split('o'))"),
    "seed.calculation.general.1": lambda: round(80 * 0.75 * 1.10, 6),
    "seed.calculation.general.2": lambda: (datetime.datetime(2000, 1, 1, 9, 47)
                                           + datetime.timedelta(hours=2, minutes=38)
                                           ).strftime("%H:%M"),
    "seed.calculation.general.3": lambda: round(20 - (3 * 2.40 + 2 * 1.15), 6),
    "seed.calculation.general.4": lambda: 40 * 18 + 6 * 27,
    "seed.calculation.general.5": lambda: (48 + 48 // 3) * 3,
    "seed.calculation.general.7": lambda: (datetime.date(2024, 3, 28)
                                           + datetime.timedelta(days=10)).strftime("%m/%d/%Y"),
    "seed.enumeration.math.1": lambda: sum(1 for n in range(1, 100) if n % 3 == 0 or n % 5 == 0),
    "seed.enumeration.math.2": lambda: len(set(itertools.permutations("LEVEL"))),
    "seed.enumeration.math.3": lambda: _lattice(4, 3, {(2, 1)}),
    "seed.enumeration.math.4": lambda: _no_adjacent_subsets(10),
    "seed.enumeration.math.6": lambda: sum(1 for s in itertools.product("HT", repeat=4)
                                          if s.count("H") == 2),
    "seed.enumeration.science.1": lambda: len({"".join(sorted(a)) + "".join(sorted(b))
                                               for a in itertools.product("Aa", "Aa")
                                               for b in itertools.product("Bb", "Bb")}),
    "seed.enumeration.science.2": lambda: math.comb(5, 2),
    "seed.enumeration.science.3": lambda: sum(1 for q in itertools.product(range(4), repeat=3)
                                              if sum(q) == 3),
    "seed.enumeration.science.4": lambda: sum(1 for c in itertools.product("ACGT", repeat=3)
                                              if "G" in c),
    "seed.enumeration.science.5": lambda: len(set(itertools.product("Aa", "Bb", "Cc"))),
    "seed.enumeration.science.6": lambda: math.comb(6, 3),
    "seed.enumeration.coding.1": lambda: sum(1 for s in itertools.product("ab", repeat=4)
                                             if re.fullmatch(r"a*b*", "".join(s))),
    "seed.enumeration.coding.2": lambda: sum(1 for n in range(1, 51) if n % 4 == 1 or n % 6 == 0),
    "seed.enumeration.coding.3": lambda: sum(1 for x in range(64) if bin(x).count("1") == 2),
    "seed.enumeration.coding.4": lambda: len(set(itertools.permutations([1, 1, 2]))),
    "seed.enumeration.coding.6": lambda: len({x & 0b1010 for x in range(16)}),
    "seed.enumeration.general.2": lambda: sum(datetime.date(2026, m, 13).weekday() == 4
                                              for m in range(1, 13)),
    "seed.enumeration.general.3": _seatings,
    "seed.enumeration.general.4": lambda: "Every eleven seconds, the green kettle beeps".count("e"),
    "seed.enumeration.general.6": lambda: 3 * 3 * 2,
    "seed.simulation.math.1": lambda: _iterate(lambda a: 2 * a - 1, 3, 5),
    "seed.simulation.math.2": lambda: ((0 + 5) * 3 - 4) * 2 + 7,
    "seed.simulation.math.3": lambda: _iterate(lambda n: n / 2 if n % 2 == 0 else 3 * n + 1, 6, 5),
    "seed.simulation.math.4": lambda: (1 - 1 + 4 + 6 + 3 + 5) % 10 + 1,
    "seed.simulation.math.5": lambda: _iterate(lambda y: y + 0.5 * y, 1.0, 2),
    "seed.simulation.math.6": lambda: _iterate(lambda x: x - (x * x - 2) / (2 * x),
                                               Fraction(1), 2),
    "seed.simulation.science.2": lambda: 200 * 0.5 ** (12 / 3),
    "seed.simulation.science.3": lambda: _rule90("0001000", 2),
    "seed.simulation.science.4": lambda: _iterate(lambda n: 2 * n - 30, 50, 4),
    "seed.simulation.science.6": lambda: _iterate(lambda n: n / 2 + 1, 8, 3),
    "seed.simulation.general.2": lambda: _walk(),
    "seed.simulation.general.3": lambda: 120 + 45 - 60 - 15 + 30,
    "seed.fact_retrieval.math.1": lambda: [p for p in range(2, 40)
                                           if all(p % d for d in range(2, p))][9],
    "seed.fact_retrieval.math.3": lambda: str(math.pi)[2:7],
}


def _as_value(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


@pytest.mark.parametrize("seed_id", sorted(INDEPENDENT))
def test_seed_answer_rederived(seed_id: str) -> None:
    seed = SEEDS[seed_id]
    expected = INDEPENDENT[seed_id]()
    gold = _as_value(seed.answer)
    if isinstance(expected, float | Fraction) and not isinstance(gold, str):
        assert math.isclose(float(expected), float(gold), rel_tol=1e-9), (expected, gold)
    elif isinstance(expected, Fraction):
        assert expected == Fraction(seed.answer)
    else:
        assert expected == gold or str(expected) == seed.answer, (expected, seed.answer)


@pytest.mark.parametrize("seed_id", [s for s in SEEDS if s.startswith("seed.simulation.coding")])
def test_simulation_coding_seeds_by_execution(seed_id: str) -> None:
    seed = SEEDS[seed_id]
    if "assert f(" in seed.prompt:
        assert _assert_value(seed.prompt) == ast.literal_eval(seed.answer)
    else:
        printed = _printed(_code(seed.prompt))
        assert printed == seed.answer or _as_value(printed) == _as_value(seed.answer)


def test_enumeration_coding_loop_seed_by_execution() -> None:
    env: dict[str, int] = {}
    exec(_code(SEEDS["seed.enumeration.coding.5"].prompt), env)
    assert env["count"] == int(SEEDS["seed.enumeration.coding.5"].answer)


def test_bad_seed_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "seeds.jsonl"
    bad.write_text('{"id": "s1", "behavior": "calculation", "domain": "math", "prompt": "1+1?",'
                   ' "answer": "2", "answer_type": "integer", "rationale": ""}\n',
                   encoding="utf-8")
    with pytest.raises(SeedFileError, match=r"seeds.jsonl:1: every seed needs a rationale"):
        load_seeds(bad)
