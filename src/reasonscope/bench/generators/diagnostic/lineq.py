"""Solving a linear equation step by step, with at most one injected algebra mistake.

The mistakes are the classic ones: a bracket multiplied out only partly or with a sign lost, a
fraction's numerator multiplied by the whole common denominator instead of its share, a term moved
across without its sign changing, a coefficient slip, a division turned upside down or given the
wrong sign. Every later step is correct algebra applied to the wrong equation, so the solution at
the end is consistently wrong and only re-deriving each rewrite finds where it went astray.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.diagnostic.common import (
    STEP_QUESTION,
    ErrorSlot,
    slip_int,
    verdict_steps,
    work_to_decide,
)
from reasonscope.taxonomy import AnswerType


@dataclass(frozen=True)
class Term:
    coef: int
    x: bool  # True: coef*x, False: constant


@dataclass(frozen=True)
class Group:
    """mult * (terms) / denom, shown as `m(...)` or `(...)/d`."""

    mult: int
    terms: tuple[Term, ...]
    denom: int = 1


Part = Term | Group
Side = tuple[Part, ...]


@dataclass(frozen=True)
class Eq:
    left: Side
    right: Side
    solved: Fraction | None = None  # set by the final step: "x = value"


def _term_text(t: Term, first: bool) -> str:
    mag = abs(t.coef)
    body = ("x" if mag == 1 else f"{mag}x") if t.x else str(mag)
    if first:
        return ("-" if t.coef < 0 else "") + body
    return ("- " if t.coef < 0 else "+ ") + body


def _terms_text(terms: tuple[Term, ...]) -> str:
    return " ".join(_term_text(t, i == 0) for i, t in enumerate(terms)) if terms else "0"


def _part_text(p: Part, first: bool) -> str:
    if isinstance(p, Term):
        return _term_text(p, first)
    inner = f"({_terms_text(p.terms)})"
    mag = abs(p.mult)
    body = f"{inner}/{p.denom}" if p.denom != 1 else f"{'' if mag == 1 else mag}{inner}"
    if p.denom != 1 and mag != 1:
        body = f"{mag}{body}"
    sign = "-" if p.mult < 0 else ""
    return f"{sign}{body}" if first else f"{'- ' if sign else '+ '}{body}"


def side_text(side: Side) -> str:
    return " ".join(_part_text(p, i == 0) for i, p in enumerate(side)) if side else "0"


def eq_text(eq: Eq) -> str:
    if eq.solved is not None:
        v = eq.solved
        return f"x = {v.numerator}" if v.denominator == 1 else f"x = {v.numerator}/{v.denominator}"
    return f"{side_text(eq.left)} = {side_text(eq.right)}"


def _linear(side: Side) -> tuple[Fraction, Fraction]:
    a, b = Fraction(0), Fraction(0)
    for p in side:
        scale, terms = ((Fraction(1), (p,)) if isinstance(p, Term)
                        else (Fraction(p.mult, p.denom), p.terms))
        for t in terms:
            if t.x:
                a += scale * t.coef
            else:
                b += scale * t.coef
    return a, b


def solution(eq: Eq) -> Fraction | None:
    """The unique solution, or None when the equation has none or infinitely many."""
    if eq.solved is not None:
        return eq.solved
    (a1, b1), (a2, b2) = _linear(eq.left), _linear(eq.right)
    return None if a1 == a2 else (b2 - b1) / (a1 - a2)


# --- the steps: each returns (reason, new equation); `bad` asks for a typical mistake ----------

Slip = Callable[[int], int]


def _expand(eq: Eq, bad: Slip | None, rng: random.Random) -> tuple[str, Eq]:
    side = eq.left if any(isinstance(p, Group) for p in eq.left) else eq.right
    i = next(i for i, p in enumerate(side) if isinstance(p, Group))
    g = side[i]
    assert isinstance(g, Group)
    terms = [Term(g.mult * t.coef, t.x) for t in g.terms]
    if bad is not None:
        j = rng.randrange(len(terms))
        if rng.random() < 0.5 and j > 0:  # only the first term got multiplied
            terms[j] = Term(g.terms[j].coef * (1 if g.mult > 0 else -1), terms[j].x)
        else:
            terms[j] = Term(bad(terms[j].coef), terms[j].x)
    new_side = side[:i] + tuple(terms) + side[i + 1:]
    new = replace(eq, left=new_side) if side is eq.left else replace(eq, right=new_side)
    return "expand the bracket", new


def _clear(eq: Eq, bad: Slip | None, rng: random.Random) -> tuple[str, Eq]:
    denoms = [p.denom for p in eq.left + eq.right if isinstance(p, Group)]
    lcm = math.lcm(*denoms)

    def scaled(side: Side) -> list[Part]:
        return [Term(p.coef * lcm, p.x) if isinstance(p, Term)
                else Group(p.mult * lcm // p.denom, p.terms) for p in side]

    left, right = scaled(eq.left), scaled(eq.right)
    if bad is not None:
        parts = left + right
        j = rng.randrange(len(parts))
        p = parts[j]
        orig = (eq.left + eq.right)[j]
        if isinstance(p, Term) and isinstance(orig, Term) and rng.random() < 0.5:
            p = orig  # this term was not multiplied
        elif isinstance(p, Group) and isinstance(orig, Group) and rng.random() < 0.4:
            p = Group(orig.mult * lcm, p.terms)  # multiplied by the whole lcm, not cancelled
        elif isinstance(p, Term):
            p = Term(bad(p.coef), p.x)
        else:
            p = Group(bad(p.mult), p.terms)
        parts[j] = p
        left, right = parts[:len(left)], parts[len(left):]
    return f"multiply both sides by {lcm}", Eq(tuple(left), tuple(right))


def _collect(side: Side, bad: Slip | None, rng: random.Random) -> Side:
    a, b = _linear(side)
    vals = [int(a), int(b)]
    if bad is not None:
        j = rng.choice([i for i, v in enumerate(vals) if v != 0] or [0])
        vals[j] = bad(vals[j])
    return tuple(t for t in (Term(vals[0], True), Term(vals[1], False)) if t.coef != 0)


def _combine_left(eq: Eq, bad: Slip | None, rng: random.Random) -> tuple[str, Eq]:
    return "combine like terms on the left", Eq(_collect(eq.left, bad, rng), eq.right)


def _combine_right(eq: Eq, bad: Slip | None, rng: random.Random) -> tuple[str, Eq]:
    return "combine like terms on the right", Eq(eq.left, _collect(eq.right, bad, rng))


def _move_x(eq: Eq, bad: Slip | None, rng: random.Random) -> tuple[str, Eq]:
    (a1, b1), (a2, b2) = _linear(eq.left), _linear(eq.right)
    a = int(a1 + a2) if bad is not None and a2 != 0 and rng.random() < 0.6 else int(a1 - a2)
    if bad is not None and a == int(a1 - a2):
        a = bad(a)
    left = tuple(t for t in (Term(a, True), Term(int(b1), False)) if t.coef != 0)
    right = tuple(t for t in (Term(int(b2), False),) if t.coef != 0)
    return "move the x terms to the left", Eq(left, right)


def _move_const(eq: Eq, bad: Slip | None, rng: random.Random) -> tuple[str, Eq]:
    (a1, b1), (_, b2) = _linear(eq.left), _linear(eq.right)
    c = int(b2 + b1) if bad is not None and b1 != 0 and rng.random() < 0.6 else int(b2 - b1)
    if bad is not None and c == int(b2 - b1):
        c = bad(c)
    left = (Term(int(a1), True),)
    return "move the constants to the right", Eq(left, (Term(c, False),) if c else ())


def _divide(eq: Eq, bad: Slip | None, rng: random.Random) -> tuple[str, Eq]:
    (a, _), (_, c) = _linear(eq.left), _linear(eq.right)
    v = c / a
    if bad is not None:
        if c != 0 and abs(c) != abs(a) and rng.random() < 0.4:
            v = a / c  # divided the wrong way round
        else:
            v = Fraction(bad(v.numerator), v.denominator)
    return f"divide both sides by {a}", Eq((), (), solved=v)


STEP_FNS = {"expand": _expand, "clear": _clear, "combine_left": _combine_left,
            "combine_right": _combine_right, "move_x": _move_x, "move_const": _move_const,
            "divide": _divide}


def _nz(rng: random.Random, lo: int, hi: int) -> int:
    return rng.choice([-1, 1]) * rng.randint(lo, hi)


def _group(rng: random.Random, lo: int = 1, hi: int = 9, q_hi: int = 15) -> tuple[Term, Term]:
    return Term(rng.randint(lo, hi), True), Term(_nz(rng, 1, q_hi), False)


def _value_at(terms: tuple[Term, ...], x0: int) -> int:
    return sum(t.coef * (x0 if t.x else 1) for t in terms)


def _setup(rng: random.Random, difficulty: int) -> tuple[Eq, list[str]]:
    """An equation with a unique root and the plan of steps that solves it (2, 4, 6, 8 and 10
    steps from level 1 to 5)."""
    while True:
        if difficulty == 1:
            a, x0, b = rng.randint(2, 9), rng.randint(1, 9), rng.randint(1, 20)
            eq = Eq((Term(a, True), Term(b, False)), (Term(a * x0 + b, False),))
            plan = ["move_const", "divide"]
        elif difficulty == 2:
            a, c, x0, b, f = rng.randint(2, 12), rng.randint(1, 12), rng.randint(-9, 9), \
                rng.randint(-20, 20), _nz(rng, 1, 20)
            d = a * x0 + b + f - c * x0
            if b == 0 or d == 0:
                continue
            eq = Eq((Term(a, True), Term(b, False), Term(f, False)),
                    (Term(c, True), Term(d, False)))
            plan = ["combine_left", "move_x", "move_const", "divide"]
        elif difficulty == 3:
            m, p, q, b = rng.randint(2, 6), rng.randint(1, 5), _nz(rng, 1, 9), _nz(rng, 1, 20)
            n, (r, t) = rng.randint(2, 5), _group(rng, 1, 5, 9)
            x0 = _nz(rng, 1, 12)
            d = m * (p * x0 + q) + b - n * (r.coef * x0 + t.coef)
            eq = Eq((Group(m, (Term(p, True), Term(q, False))), Term(b, False)),
                    (Group(n, (r, t)),) + ((Term(d, False),) if d else ()))
            plan = ["expand", "expand", "combine_left", "move_x", "move_const", "divide"]
        elif difficulty == 4:
            m1, m2, m3 = rng.randint(2, 9), -rng.randint(2, 9), rng.choice([-1, 1]) * \
                rng.randint(2, 6)
            g1, g2, g3 = _group(rng), _group(rng), _group(rng, 1, 6, 12)
            c, x0 = _nz(rng, 1, 9), _nz(rng, 1, 20)
            lhs = m1 * _value_at(g1, x0) + m2 * _value_at(g2, x0)
            e = lhs - m3 * _value_at(g3, x0) - c * x0
            if e == 0:
                continue
            eq = Eq((Group(m1, g1), Group(m2, g2)),
                    (Group(m3, g3), Term(c, True), Term(e, False)))
            plan = ["expand", "expand", "expand", "combine_left", "combine_right", "move_x",
                    "move_const", "divide"]
        else:
            d1, d2, d3 = rng.sample((2, 3, 4, 5, 6, 8, 9, 10, 12), 3)
            lcm = math.lcm(d1, d2, d3)
            if lcm > 72 or lcm in (d1, d2, d3):
                continue
            x0 = _nz(rng, 1, 15)
            gs = []
            for den in (d1, d2, d3):  # numerators divisible by their denominator at the root
                p_ = rng.randint(1, 9)
                q_ = rng.randint(-4, 4) * den - p_ * x0
                gs.append((Term(p_, True), Term(q_, False)))
            if any(g[1].coef == 0 for g in gs):
                continue
            s2, m4 = rng.choice([-1, 1]), rng.choice([-1, 1]) * rng.randint(2, 5)
            g4 = _group(rng, 1, 6, 12)
            left = _value_at(gs[0], x0) // d1 + s2 * (_value_at(gs[1], x0) // d2)
            right = _value_at(gs[2], x0) // d3 + m4 * _value_at(g4, x0)
            if left == right:  # shift a constant so that both sides differ in form at x0
                continue
            eq = Eq((Group(1, gs[0], d1), Group(s2, gs[1], d2)),
                    (Group(1, gs[2], d3), Group(m4, g4), Term(left - right, False)))
            plan = ["clear", "expand", "expand", "expand", "expand", "combine_left",
                    "combine_right", "move_x", "move_const", "divide"]
        (a_left, _), (a_right, _) = _linear(eq.left), _linear(eq.right)
        if a_left - a_right in (0, 1, -1) or a_left == 0 or (a_right == 0 and difficulty > 1):
            continue  # a side whose x terms cancel would make some mistakes invisible
        eq = _maybe_fractional(rng, eq)
        if solution(eq) != 0:  # at x = 0 a wrong x coefficient keeps the root
            return eq, plan


def _maybe_fractional(rng: random.Random, eq: Eq) -> Eq:
    """Usually shift the right-hand constant so the root is a fraction: otherwise a fractional
    final answer would betray an injected error."""
    if rng.random() < 0.35:
        return eq
    consts = [i for i, p in enumerate(eq.right) if isinstance(p, Term) and not p.x]
    for delta in rng.sample(range(1, 10), 9):
        if consts:
            i = consts[-1]
            term = eq.right[i]
            assert isinstance(term, Term)
            right = (*eq.right[:i], Term(term.coef + delta, False), *eq.right[i + 1:])
        else:
            right = (*eq.right, Term(delta, False))
        new = Eq(eq.left, tuple(p for p in right if not (isinstance(p, Term) and p.coef == 0)))
        sol = solution(new)
        if sol is not None and sol.denominator != 1:
            return new
    return eq


def _slip_or_sign(rng: random.Random, difficulty: int) -> Slip:
    """How the wrong step goes wrong: an arithmetic slip, or (from level 3, half the time) a sign
    lost, which keeps every magnitude right and so survives a glance at the numbers."""
    if difficulty >= 3 and rng.random() < 0.5:
        return lambda v: -v
    return lambda v: slip_int(rng, v, difficulty)


def _valid_mistake(cur: Eq, new: Eq) -> bool:
    """The wrong step must change the solution and still look like a normal step (no zero
    coefficients, an x term kept)."""
    sol = solution(new)
    zero = any(p.mult == 0 or any(t.coef == 0 for t in p.terms) if isinstance(p, Group)
               else p.coef == 0 for p in new.left + new.right)
    return not (sol is None or sol == solution(cur) or zero
                or (new.solved is None and _linear(new.left)[0] == 0))


def _attempt(eq0: Eq, plan: list[str], pos: int, rng: random.Random, difficulty: int
             ) -> tuple[list[str], list[str], list[tuple[str, bool]]] | None:
    """The shown steps (the one at `pos` wrong), the right ones and the checks, or None when
    the drawn mistake at `pos` does not change the solution or looks abnormal."""
    shown, original, checks = [], [], []
    cur = ok_cur = eq0
    for step, name in enumerate(plan, start=1):
        reason, expected = STEP_FNS[name](cur, None, rng)
        new = expected
        if step == pos:
            _, new = STEP_FNS[name](cur, _slip_or_sign(rng, difficulty), rng)
            if not _valid_mistake(cur, new):
                return None
        ok_cur = STEP_FNS[name](ok_cur, None, rng)[1]
        original.append(eq_text(ok_cur))
        same = eq_text(new) == eq_text(expected)
        text = f"{reason} gives {eq_text(expected)}"
        checks.append((text if same else f"{text}, not {eq_text(new)}", same))
        shown.append(f"Step {step} ({reason}): {eq_text(new)}")
        cur = new
    return shown, original, checks


def linear_equation_steps(rng: random.Random, difficulty: int, slot: ErrorSlot) -> Draft:
    eq0, plan = _setup(rng, difficulty)
    n = len(plan)
    wanted = slot.position(range(1, n + 1))
    # the slot's step, or (rarely, when no mistake there changes the root) the nearest one
    for pos in sorted(range(1, n + 1), key=lambda p: (abs(p - wanted), p)) if wanted else [0]:
        result = next((r for _ in range(100)
                       if (r := _attempt(eq0, plan, pos, rng, difficulty)) is not None), None)
        if result is not None:
            break
    else:
        raise RuntimeError(f"no step of {eq_text(eq0)} takes a visible mistake")
    shown, original, checks = result
    prompt = (f"A student solved {eq_text(eq0)} for x:\n" + "\n".join(shown)
              + f"\nWhich step is the first wrong one? {STEP_QUESTION}")
    return Draft(
        prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
        steps=tuple(verdict_steps(checks, "Step", pos)),
        work=work_to_decide(pos, range(1, n + 1)), work_unit="steps",
        meta={"equation": eq_text(eq0), "original_steps": original,
              "solution": str(solution(eq0)),
              "error": {"step": pos, "rewrite": plan[pos - 1]} if pos else None},
    )
