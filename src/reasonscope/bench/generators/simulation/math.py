"""Simulation in the math domain: iterate a given rule and report where the state ends up.

Every family states its update rule completely, so the only work is applying it step after
step without losing track; difficulty grows with the number of steps and the size of the state.
Each worked solution lists every intermediate state (training traces are built from `steps`).
"""

from __future__ import annotations

import random
from math import gcd

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# (modulus range, largest multiplier or 0 for any, step-count range, driven) per difficulty.
_AFFINE_LEVELS = {1: ((5, 10), 0, (1, 2), False), 2: ((11, 30), 0, (3, 4), False),
                  3: ((31, 100), 30, (8, 10), True), 4: ((101, 500), 40, (16, 20), True),
                  5: ((501, 999), 40, (30, 34), True)}


def _affine_draw(rng: random.Random, difficulty: int) -> tuple[int, int, list[int], list[int]]:
    """(a, m, added terms s_1..s_n, trajectory x_0..x_n).

    a is a unit mod m, so no step forgets the past (with a shared factor, a power of a can
    vanish mod m and x_n would depend on the last few terms only). With a constant added term
    the trajectory is redrawn if it repeats (a cycle would let a guess stand in for the steps);
    with a driving sequence the closed form (a Horner sum over the sequence) is the same work
    as stepping."""
    (m_lo, m_hi), a_max, (n_lo, n_hi), driven = _AFFINE_LEVELS[difficulty]
    while True:
        m = rng.randint(m_lo, m_hi)
        n = rng.randint(n_lo, n_hi)
        a = rng.randint(2, a_max or m - 1)
        if driven:
            top = 9 if difficulty == 3 else 99
            adds = [rng.randint(0, top) for _ in range(n)]
        else:
            adds = [rng.randint(1, m - 1)] * n
        xs = [rng.randint(1, m - 1)]
        for add in adds:
            xs.append((a * xs[-1] + add) % m)
        if gcd(a, m) == 1 and (driven or len(set(xs)) == len(xs)):
            return a, m, adds, xs


@generator("simulation.math.affine_recurrence", behavior=Behavior.SIMULATION,
           domain=Domain.MATH, version=2,
           why="the residue after n steps of a given multiply-add-reduce rule (driven by a "
               "stated sequence at the top levels, so no cycle or closed form is cheaper) must "
               "be carried step by step; each step is small arithmetic")
def affine_recurrence(rng: random.Random, difficulty: int) -> Draft:
    """Iterate x_{k+1} = (a*x_k + b) mod m, or (a*x_k + s_{k+1}) mod m for a given sequence s.

    Each step is one multiply-add and a reduction; the state is a single residue, so what is
    measured is carrying it through many steps without a slip.
    """
    a, m, adds, xs = _affine_draw(rng, difficulty)
    n, driven = len(adds), _AFFINE_LEVELS[difficulty][3]
    steps = [f"x_{k + 1} = ({a}*{xs[k]} + {adds[k]}) mod {m} = {a * xs[k] + adds[k]} mod {m} "
             f"= {xs[k + 1]}" for k in range(n)]
    steps.append(f"The answer is {xs[-1]}.")
    if driven:
        rule = (f"x_(k+1) = ({a}*x_k + s_(k+1)) mod {m}, where s_1, ..., s_{n} = "
                + ", ".join(map(str, adds)))
    else:
        rule = f"x_(k+1) = ({a}*x_k + {adds[0]}) mod {m}"
    prompt = f"Let x_0 = {xs[0]} and {rule}. What is x_{n}? Give the answer as an integer."
    meta: dict[str, object] = {"a": a, "m": m, "x0": xs[0], "n": n}
    meta["adds" if driven else "b"] = adds if driven else adds[0]
    return Draft(prompt=prompt, answer=str(xs[-1]), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=n, work_unit="steps")


# Step counts, start range and the largest value the trajectory may reach, per difficulty.
_PIECEWISE_LEVELS = {1: ((1, 2), (2, 20), 100), 2: ((3, 4), (2, 99), 1_000),
                     3: ((8, 10), (10, 500), 10_000), 4: ((16, 20), (100, 5_000), 100_000),
                     5: ((30, 34), (1_000, 50_000), 1_000_000)}


def _piecewise_rule(rng: random.Random, difficulty: int) -> tuple[int, list[tuple[int, int]]]:
    """Return (d, [(p_r, q_r) for r = 1..d-1]): x -> x/d if d | x, else p_r*x + q_r.

    Every affine branch lands on a multiple of d (odd p and q for d = 2, as in Collatz; for
    d = 3 each non-zero residue r gets p*r + q = 0 mod 3), so a division follows it and the next
    residue depends on the whole value: no branch repeats itself along a predictable run (a
    branch keeping its residue, like x + 3 for x = 1 mod 3, would be an arithmetic progression).
    """
    if difficulty <= 2:
        return 2, [(rng.choice([1, 3, 5]), rng.choice([1, 3, 5, 7]))]
    d = rng.choice([2, 3]) if difficulty == 3 else 3
    if d == 2:
        return 2, [(rng.choice([3, 5, 7]), rng.choice([1, 3, 5, 7, 9]))]
    branches = []
    for r in (1, 2):
        p = rng.choice([1, 2, 4, 5])
        branches.append((p, rng.choice([q for q in range(1, 10) if (p * r + q) % 3 == 0])))
    return 3, branches


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
           domain=Domain.MATH, version=2,
           why="which branch applies depends on the current term's residue, so every term is "
               "computed before the next (no cycle occurs before the end); each branch is a "
               "stated one-line affine map, so the arithmetic stays small")
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
                 meta={"d": d, "branches": [list(b) for b in branches], "x0": x0, "n": n},
                 work=n, work_unit="steps")


_MOVES_1D = {"L": -1, "R": 1}
_MOVES_2D = {"U": (0, 1), "D": (0, -1), "L": (-1, 0), "R": (1, 0)}
_MOVES_8 = {**_MOVES_2D, "UL": (-1, 1), "UR": (1, 1), "DL": (-1, -1), "DR": (1, -1)}
# (moves, number of moves, largest step length, board edge N (coordinates 0..N) or 0 for the
# open plane, fewest moves cut short by an edge)
_WALK_LEVELS = {1: ("1d", 2, 1, 0, 0), 2: ("2d", 5, 1, 0, 0), 3: ("2d", 10, 5, 9, 1),
                4: ("8", 18, 7, 10, 3), 5: ("8", 32, 9, 12, 5)}


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
                 steps=tuple(steps), work=n, work_unit="moves",
                 meta={"dims": 1, "start": [start], "moves": [[s, 1] for s in seq], "edge": 0})


def walk_move(pos: tuple[int, int], step: tuple[int, int], length: int, edge: int
              ) -> tuple[int, int]:
    """Apply one move; on a board each coordinate stops at the edge it would pass."""
    x, y = pos[0] + step[0] * length, pos[1] + step[1] * length
    if edge:
        x, y = min(max(x, 0), edge), min(max(y, 0), edge)
    return x, y


def _draw_walk(rng: random.Random, difficulty: int
               ) -> tuple[tuple[int, int], list[tuple[str, int]], list[tuple[int, int]]]:
    """Start, moves and positions; every move changes the position, and on a board enough
    moves are cut short by an edge that adding the moves up (then clamping) gives another
    answer: the order of the moves matters, so they are followed one by one."""
    kind, n, max_len, edge, min_cut = _WALK_LEVELS[difficulty]
    table = _MOVES_8 if kind == "8" else _MOVES_2D
    while True:
        lim = edge or 9
        start = (rng.randint(0 if edge else -lim, lim), rng.randint(0 if edge else -lim, lim))
        moves: list[tuple[str, int]] = []
        path = [start]
        cut = 0
        goal = rng.randint(n - 1, n + 1)
        while len(moves) < goal:
            name, length = rng.choice(list(table)), rng.randint(1, max_len)
            nxt = walk_move(path[-1], table[name], length, edge)
            if nxt == path[-1]:
                continue  # pushing into a corner changes nothing: not a step
            free = walk_move(path[-1], table[name], length, 0)
            cut += nxt != free
            moves.append((name, length))
            path.append(nxt)
        total = (sum(table[m][0] * ln for m, ln in moves), sum(table[m][1] * ln for m, ln in moves))
        naive = walk_move((start[0] + total[0], start[1] + total[1]), (0, 0), 0, edge)
        if cut >= min_cut and (not edge or naive != path[-1]):
            return start, moves, path


@generator("simulation.math.lattice_walk", behavior=Behavior.SIMULATION, domain=Domain.MATH,
           version=2,
           why="the token's position after a stated sequence of moves, where edges of the board "
               "cut moves short so that order matters (summing the moves gives a wrong answer); "
               "each move is a small addition")
def lattice_walk(rng: random.Random, difficulty: int) -> Draft:
    """Follow a given sequence of lattice moves (on a line, the plane, or a walled board).

    The walk is fully specified (no randomness left to the solver): the task is to apply each
    move to the position; at the top levels moves have lengths and diagonals, and the board's
    edges stop them.
    """
    kind, _, max_len, edge, _ = _WALK_LEVELS[difficulty]
    if kind == "1d":
        return _walk_1d(rng)
    table = _MOVES_8 if kind == "8" else _MOVES_2D
    start, moves, path = _draw_walk(rng, difficulty)
    steps = []
    for k, ((name, length), (x, y)) in enumerate(zip(moves, path[1:], strict=True), 1):
        free = walk_move(path[k - 1], table[name], length, 0)
        note = " (stopped at the edge)" if free != (x, y) else ""
        steps.append(f"Move {k} ({name}{length if max_len > 1 else ''}): ({x}, {y}){note}")
    answer = f"({path[-1][0]}, {path[-1][1]})"
    steps.append(f"The answer is {answer}.")
    shown = " ".join(f"{m}{ln}" if max_len > 1 else m for m, ln in moves)
    rules = "U, D, L, R move up (y+1), down (y-1), left (x-1), right (x+1)"
    if kind == "8":
        rules += "; UL, UR, DL, DR move diagonally (e.g. UR adds 1 to both x and y)"
    if max_len > 1:
        rules += "; the number after a move is how many times it is repeated"
    board = (f" The board is 0..{edge} in both x and y: a unit move that would take a "
             "coordinate past an edge leaves that coordinate at the edge (the other coordinate "
             "still moves)." if edge else "")
    where = "a board" if edge else "an integer grid"
    prompt = (f"A token starts at ({start[0]}, {start[1]}) on {where}. {rules}.{board} "
              f"Moves: {shown}. Where does the token end? "
              "Give the answer as an ordered pair (x, y).")
    return Draft(prompt=prompt, answer=answer, answer_type=AnswerType.PYTHON, steps=tuple(steps),
                 work=len(moves), work_unit="moves",
                 meta={"dims": 2, "start": list(start), "moves": [list(m) for m in moves],
                       "edge": edge, "diagonal": kind == "8"})
