"""Simulation in the math domain: iterate a given rule and report where the state ends up.

Every family states its update rule completely, so the only work is applying it step after
step without losing track; difficulty grows with the number of steps and the size of the state.
Each worked solution lists every intermediate state (training traces are built from `steps`).
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# (modulus range, step-count range) per difficulty for the affine recurrence.
_AFFINE_LEVELS = {1: ((5, 10), (1, 2)), 2: ((11, 30), (3, 4)), 3: ((31, 100), (6, 8)),
                  4: ((101, 1000), (10, 14)), 5: ((1001, 9999), (16, 22))}


@generator("simulation.math.affine_recurrence", behavior=Behavior.SIMULATION,
           domain=Domain.MATH, version=1)
def affine_recurrence(rng: random.Random, difficulty: int) -> Draft:
    """Iterate x_{k+1} = (a*x_k + b) mod m for n steps from a given x_0.

    Each step is one multiply-add and a reduction; the state is a single residue, so what is
    measured is carrying it through many steps without a slip.
    """
    (m_lo, m_hi), (n_lo, n_hi) = _AFFINE_LEVELS[difficulty]
    m = rng.randint(m_lo, m_hi)
    n = rng.randint(n_lo, n_hi)
    while True:  # a trajectory that repeats early would let a guess stand in for the steps
        a = rng.randint(2, m - 1)
        b = rng.randint(1, m - 1)
        xs = [rng.randint(0, m - 1)]
        for _ in range(n):
            xs.append((a * xs[-1] + b) % m)
        if len(set(xs)) == len(xs):
            break
    x0 = xs[0]
    steps = [f"x_{k + 1} = ({a}*{xs[k]} + {b}) mod {m} = {a * xs[k] + b} mod {m} = {xs[k + 1]}"
             for k in range(n)]
    steps.append(f"The answer is {xs[-1]}.")
    prompt = (f"Let x_0 = {x0} and x_(k+1) = ({a}*x_k + {b}) mod {m}. What is x_{n}? "
              "Give the answer as an integer.")
    return Draft(prompt=prompt, answer=str(xs[-1]), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta={"a": a, "b": b, "m": m, "x0": x0, "n": n})


# Step counts, start range and the largest value the trajectory may reach, per difficulty.
_PIECEWISE_LEVELS = {1: ((1, 2), (2, 20), 100), 2: ((3, 4), (2, 99), 1_000),
                     3: ((6, 8), (10, 500), 10_000), 4: ((10, 14), (100, 5_000), 100_000),
                     5: ((16, 22), (1_000, 50_000), 1_000_000)}


def _piecewise_rule(rng: random.Random, difficulty: int) -> tuple[int, list[tuple[int, int]]]:
    """Return (d, [(p_r, q_r) for r = 1..d-1]): x -> x/d if d | x, else p_r*x + q_r.

    With d = 2 the odd branch uses an odd p and q so that p*x + q is even again (Collatz-like);
    with d = 3 each non-zero residue gets its own affine branch.
    """
    if difficulty <= 2:
        return 2, [(rng.choice([1, 3, 5]), rng.choice([1, 3, 5, 7]))]
    d = rng.choice([2, 3]) if difficulty == 3 else 3
    if d == 2:
        return 2, [(rng.choice([3, 5, 7]), rng.choice([1, 3, 5, 7, 9]))]
    return 3, [(rng.randint(1, 4), rng.randint(1, 9)) for _ in range(2)]


def _piecewise_step(x: int, d: int, branches: list[tuple[int, int]]) -> int:
    r = x % d
    if r == 0:
        return x // d
    p, q = branches[r - 1]
    return p * x + q


def _affine_text(p: int, q: int) -> str:
    return f"{'' if p == 1 else p}x + {q}"


def _describe_rule(d: int, branches: list[tuple[int, int]]) -> str:
    if d == 2:
        odd = _affine_text(*branches[0])
        return f"if x is even, the next term is x/2; if x is odd, the next term is {odd}"
    one, two = (_affine_text(*b) for b in branches)
    return (f"if x mod 3 = 0, the next term is x/3; if x mod 3 = 1, it is {one}; "
            f"if x mod 3 = 2, it is {two}")


@generator("simulation.math.piecewise_recurrence", behavior=Behavior.SIMULATION,
           domain=Domain.MATH, version=1)
def piecewise_recurrence(rng: random.Random, difficulty: int) -> Draft:
    """Iterate a Collatz-style rule (divide when divisible, else an affine branch) n times.

    The branch taken depends on the current value, so there is no shortcut: every term must be
    computed and its residue checked before the next one.
    """
    (n_lo, n_hi), (x_lo, x_hi), cap = _PIECEWISE_LEVELS[difficulty]
    while True:  # bounded values, and no cycle before the end (a cycle invites guessing)
        d, branches = _piecewise_rule(rng, difficulty)
        n = rng.randint(n_lo, n_hi)
        xs = [rng.randint(x_lo, x_hi)]
        for _ in range(n):
            xs.append(_piecewise_step(xs[-1], d, branches))
        if max(xs) <= cap and len(set(xs)) == len(xs):
            break
    x0 = xs[0]
    steps = []
    for k in range(n):
        x, nxt = xs[k], xs[k + 1]
        r = x % d
        if r == 0:
            why = f"{x} is divisible by {d}, so x_{k + 1} = {x}/{d} = {nxt}"
        else:
            p, q = branches[r - 1]
            why = f"{x} mod {d} = {r}, so x_{k + 1} = {p}*{x} + {q} = {nxt}"
        steps.append(why)
    steps.append(f"The answer is {xs[-1]}.")
    prompt = (f"A sequence starts at x_0 = {x0}. For each term x, {_describe_rule(d, branches)}. "
              f"What is x_{n}? Give the answer as an integer.")
    return Draft(prompt=prompt, answer=str(xs[-1]), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps),
                 meta={"d": d, "branches": [list(b) for b in branches], "x0": x0, "n": n})


_MOVES_1D = {"L": -1, "R": 1}
_MOVES_2D = {"U": (0, 1), "D": (0, -1), "L": (-1, 0), "R": (1, 0)}
_MOVES_8 = {**_MOVES_2D, "UL": (-1, 1), "UR": (1, 1), "DL": (-1, -1), "DR": (1, -1)}
# (moves, number of moves, largest step length, torus size or 0 for the open plane)
_WALK_LEVELS = {1: ("1d", 2, 1, 0), 2: ("2d", 5, 1, 0), 3: ("2d", 9, 5, 0),
                4: ("2d", 14, 9, 10), 5: ("8", 24, 9, 13)}


def _walk_1d(rng: random.Random) -> Draft:
    n = rng.randint(2, 3)
    start = rng.randint(-5, 5)
    seq = [rng.choice("LR") for _ in range(n)]
    pos, steps = start, []
    for k, s in enumerate(seq, 1):
        pos += _MOVES_1D[s]
        steps.append(f"Move {k} ({s}): position {pos}")
    steps.append(f"The answer is {pos}.")
    prompt = (f"A token starts at {start} on a number line. L moves it 1 left, R moves it 1 right."
              f" Moves: {' '.join(seq)}. Where does it end? Give the answer as an integer.")
    return Draft(prompt=prompt, answer=str(pos), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps),
                 meta={"dims": 1, "start": [start], "moves": [[s, 1] for s in seq], "size": 0})


@generator("simulation.math.lattice_walk", behavior=Behavior.SIMULATION, domain=Domain.MATH,
           version=1)
def lattice_walk(rng: random.Random, difficulty: int) -> Draft:
    """Follow a given sequence of lattice moves (on a line, the plane, or a torus).

    The walk is fully specified (no randomness left to the solver): the task is to apply each
    move to the position; at the top levels moves have lengths, diagonals and wrap-around.
    """
    kind, n, max_len, size = _WALK_LEVELS[difficulty]
    if kind == "1d":
        return _walk_1d(rng)
    table = _MOVES_8 if kind == "8" else _MOVES_2D
    names = list(table)
    n = rng.randint(n - 1, n + 1)
    lim = size - 1 if size else 9
    start = (rng.randint(0 if size else -lim, lim), rng.randint(0 if size else -lim, lim))
    moves = [(rng.choice(names), rng.randint(1, max_len)) for _ in range(n)]
    x, y = start
    steps = []
    for k, (name, length) in enumerate(moves, 1):
        dx, dy = table[name]
        x, y = x + dx * length, y + dy * length
        if size:
            x, y = x % size, y % size
        steps.append(f"Move {k} ({name}{length if max_len > 1 else ''}): position ({x}, {y})")
    answer = f"({x}, {y})"
    steps.append(f"The answer is {answer}.")
    shown = " ".join(f"{m}{ln}" if max_len > 1 else m for m, ln in moves)
    rules = "U, D, L, R move up (y+1), down (y-1), left (x-1), right (x+1)"
    if kind == "8":
        rules += "; UL, UR, DL, DR move diagonally (e.g. UR adds 1 to both x and y)"
    if max_len > 1:
        rules += "; the number after a move is how many times it is repeated"
    torus = (f" The grid wraps around: coordinates are taken mod {size} (0..{size - 1})."
             if size else "")
    prompt = (f"A token starts at ({start[0]}, {start[1]}) on an integer grid. {rules}.{torus} "
              f"Moves: {shown}. Where does the token end? "
              "Give the answer as an ordered pair (x, y).")
    return Draft(prompt=prompt, answer=answer, answer_type=AnswerType.PYTHON, steps=tuple(steps),
                 meta={"dims": 2, "start": list(start), "moves": [list(m) for m in moves],
                       "size": size, "diagonal": kind == "8"})
