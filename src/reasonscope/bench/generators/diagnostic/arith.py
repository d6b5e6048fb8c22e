"""Worked arithmetic with one injected error: step-by-step expression evaluation and term-by-term
series sums.

Each shown step follows from the previous *shown* step, so after an injected error the chain stays
internally consistent and only the first wrong step can be pinned down: locating it needs each
step re-checked, not the final answer compared.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.diagnostic.common import (
    STEP_QUESTION,
    is_clean,
    pick_position,
    slip_int,
    verdict_steps,
)
from reasonscope.taxonomy import AnswerType


@dataclass(frozen=True)
class Op:
    op: str
    left: Expr
    right: Expr


Expr = int | Op

_PREC = {"+": 1, "-": 1, "*": 2}


def render(e: Expr, top: bool = True) -> str:
    """Infix text with the parentheses the tree needs (right operands of equal rank bracketed)."""
    if isinstance(e, int):
        return str(e) if e >= 0 or top else f"({e})"
    left, right = render(e.left, False), render(e.right, False)
    if isinstance(e.left, Op) and _PREC[e.left.op] < _PREC[e.op]:
        left = f"({left})"
    if isinstance(e.right, Op) and _PREC[e.right.op] <= _PREC[e.op]:
        right = f"({right})"
    return f"{left} {e.op} {right}"


def evaluate(e: Expr) -> int:
    if isinstance(e, int):
        return e
    a, b = evaluate(e.left), evaluate(e.right)
    return a + b if e.op == "+" else a - b if e.op == "-" else a * b


def _next_node(e: Expr) -> Op | None:
    """The operation evaluated next: the first node in post-order whose operands are numbers."""
    if isinstance(e, int):
        return None
    if isinstance(e.left, int) and isinstance(e.right, int):
        return e
    return _next_node(e.left) or _next_node(e.right)


def _replace(e: Expr, target: Op, new: Expr) -> Expr:
    if e is target:
        return new
    if isinstance(e, int):
        return e
    return Op(e.op, _replace(e.left, target, new), _replace(e.right, target, new))


def _droppable(e: Expr) -> list[Op]:
    """Additive nodes with a nonzero number on the right: the term a careless rewrite loses."""
    if isinstance(e, int):
        return []
    own = [e] if e.op in "+-" and isinstance(e.right, int) and e.right != 0 else []
    return own + _droppable(e.left) + _droppable(e.right)


def _intermediates(e: Expr) -> list[int]:
    if isinstance(e, int):
        return [e]
    return [*_intermediates(e.left), *_intermediates(e.right), evaluate(e)]


_EXPR_LEVELS = {  # ops range, leaf range, bound on intermediates, negatives allowed
    1: ((2, 2), (1, 9), 100, False),
    2: ((3, 3), (1, 12), 200, False),
    3: ((4, 5), (1, 30), 2_000, True),
    4: ((6, 8), (2, 99), 20_000, True),
    5: ((9, 12), (2, 999), 1_000_000, True),
}


def _random_expr(rng: random.Random, n_ops: int, lo: int, hi: int) -> Expr:
    if n_ops == 0:
        return rng.randint(lo, hi)
    k = rng.randint(0, n_ops - 1)
    op = rng.choice("+-*")
    if op == "*" and rng.random() < 0.6:  # keep products in range: one small factor
        return Op(op, _random_expr(rng, n_ops - 1, lo, hi), rng.randint(2, min(hi, 12)))
    return Op(op, _random_expr(rng, k, lo, hi), _random_expr(rng, n_ops - 1 - k, lo, hi))


def _expression(rng: random.Random, difficulty: int) -> Expr:
    (nlo, nhi), (lo, hi), bound, negatives = _EXPR_LEVELS[difficulty]
    n_ops = rng.randint(nlo, nhi)
    while True:
        e = _random_expr(rng, n_ops, lo, hi)
        vals = _intermediates(e)
        if all(abs(v) <= bound and (negatives or v >= 0) for v in vals):
            return e


def expression_steps(rng: random.Random, difficulty: int) -> Draft:
    e0 = _expression(rng, difficulty)
    n = len(_intermediates(e0)) // 2  # number of operations
    clean = is_clean(rng)
    pos = 0 if clean else pick_position(rng, range(1, n + 1), difficulty)
    for _ in range(50):
        kinds = ["slip"] + (["sign"] if difficulty >= 2 else []) + (
            ["dropped"] if difficulty >= 3 else [])
        kind = rng.choice(kinds) if pos else ""
        shown: list[Expr] = []
        original: list[Expr] = []
        checks: list[tuple[str, bool]] = []
        cur, ok_cur = e0, e0
        failed = False
        while not isinstance(cur, int):
            node = _next_node(cur)
            assert node is not None
            r = evaluate(node)
            expected = _replace(cur, node, r)
            step = len(shown) + 1
            new = expected
            if step == pos:
                if kind == "sign" and node.op == "-" and r != 0:
                    new = _replace(cur, node, -r)
                elif kind == "dropped" and _droppable(cur):
                    victim = rng.choice(_droppable(cur))
                    new = _replace(cur, victim, victim.left)
                else:
                    kind = "slip"
                    new = _replace(cur, node, slip_int(rng, r, difficulty))
                if evaluate(new) == evaluate(cur):
                    failed = True
                    break
            text = (f"{render(node.left, False)} {node.op} {render(node.right, False)} = {r}, "
                    f"so it reads {render(expected)}")
            checks.append((text if new == expected else f"{text}, not {render(new)}",
                           new == expected))
            shown.append(new)
            ok_node = _next_node(ok_cur)
            if ok_node is not None:
                ok_cur = _replace(ok_cur, ok_node, evaluate(ok_node))
                original.append(ok_cur)
            cur = new
        if not failed:
            break
        pos = pick_position(rng, range(1, n + 1), difficulty)
    lines = [f"Step {i}: {render(s)}" for i, s in enumerate(shown, start=1)]
    prompt = (f"A student evaluated {render(e0)} one operation per step:\n" + "\n".join(lines)
              + f"\nWhich step is the first wrong one? {STEP_QUESTION}")
    return Draft(
        prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
        steps=tuple(verdict_steps(checks, "Step", pos)),
        meta={"expression": render(e0), "original_steps": [render(s) for s in original],
              "error": {"step": pos, "kind": kind} if pos else None},
    )


# --- series sums ----------------------------------------------------------------------------

_SERIES_LEVELS = {  # shape, coefficient range, number of terms, start range
    1: ("linear", (1, 5), (2, 3), (1, 1)),
    2: ("linear", (1, 9), (3, 4), (1, 2)),
    3: ("monic", (1, 9), (4, 5), (1, 2)),
    4: ("quadratic", (2, 9), (5, 7), (1, 3)),
    5: ("hard", (2, 12), (7, 10), (1, 5)),
}


@dataclass(frozen=True)
class Poly:
    """sign^k * (c3 k^3 + c2 k^2 + c1 k + c0), with sign = -1 for an alternating series."""

    coefs: tuple[int, int, int, int]  # c3, c2, c1, c0
    alternating: bool = False

    def __call__(self, k: int, flip: int = -1) -> int:
        cs = [(-c if i == flip else c) for i, c in enumerate(self.coefs)]
        v = cs[0] * k**3 + cs[1] * k**2 + cs[2] * k + cs[3]
        return -v if self.alternating and k % 2 else v

    def _parts(self, k: str | None) -> list[tuple[int, str]]:
        out = []
        for c, p in zip(self.coefs, (3, 2, 1, 0), strict=True):
            if c == 0:
                continue
            if k is None:
                body = {3: "k^3", 2: "k^2", 1: "k", 0: ""}[p]
                mag = "" if abs(c) == 1 and p else str(abs(c))
                out.append((c, f"{mag}{body}"))
            else:
                power = {3: f"{k}^3", 2: f"{k}^2", 1: k, 0: ""}[p]
                mag = str(abs(c)) if not p or abs(c) != 1 else ""
                out.append((c, f"{mag}*{power}" if mag and p else mag or str(power)))
        return out

    def text(self, k: int | None = None) -> str:
        parts = self._parts(None if k is None else str(k))
        body = " ".join(("-" if c < 0 else "+") + " " + t for c, t in parts)
        body = body[2:] if body.startswith("+ ") else "-" + body[2:]
        if not self.alternating:
            return body
        sign = "(-1)^k" if k is None else f"(-1)^{k}"
        return f"{sign}*({body})"


def _poly(rng: random.Random, difficulty: int) -> Poly:
    shape, (lo, hi), _, _ = _SERIES_LEVELS[difficulty]

    def c(allow_zero: bool = True) -> int:
        v = rng.randint(-hi, hi) if allow_zero else rng.choice([-1, 1]) * rng.randint(lo, hi)
        return v if difficulty > 1 else abs(v)

    if shape == "linear":
        return Poly((0, 0, rng.randint(lo, hi), c()))
    if shape == "monic":
        return Poly((0, 1, c(False), c()))
    if shape == "quadratic":
        return Poly((0, rng.randint(lo, hi), c(False), c()))
    if rng.random() < 0.5:
        return Poly((rng.randint(1, 3), 0, c(False), c()))
    return Poly((0, rng.randint(1, 4), c(), c()), alternating=True)


def series_steps(rng: random.Random, difficulty: int) -> Draft:
    f = _poly(rng, difficulty)
    _, _, (nlo, nhi), (slo, shi) = _SERIES_LEVELS[difficulty]
    n, start = rng.randint(nlo, nhi), rng.randint(slo, shi)
    ks = list(range(start, start + n))
    pos = 0 if is_clean(rng) else pick_position(rng, range(1, n + 1), difficulty)
    kinds = ["term", "total"] + (["sign"] if difficulty >= 2 else []) + (
        ["dropped"] if difficulty >= 3 and pos < n else [])
    kind = rng.choice(kinds) if pos else ""
    if kind == "sign" and all(f(ks[pos - 1], i) == f(ks[pos - 1]) for i in range(4)):
        kind = "term"
    lines, checks = [], []
    total, k_iter = 0, iter(ks)
    for step, k in enumerate(k_iter, start=1):
        if step == pos and kind == "dropped":
            k = next(k_iter)
        term = f(k)
        if step == pos and kind == "term":
            term = slip_int(rng, term, difficulty)
        elif step == pos and kind == "sign":
            flips = [i for i in range(4) if f(k, i) != f(k)]
            term = f(k, rng.choice(flips))
        new_total = total + term
        if step == pos and kind == "total":
            new_total = slip_int(rng, new_total, difficulty)
        sign = "+" if term >= 0 else "-"
        lines.append(f"Step {step}: k = {k}: {f.text(k)} = {term}; "
                     f"total = {total} {sign} {abs(term)} = {new_total}")
        want_k = ks[step - 1] if step <= pos or kind != "dropped" else ks[step]
        good = k == want_k and term == f(k) and new_total == total + term
        checks.append((f"k = {want_k}, term {f(want_k)}, total {total + f(want_k)}", good))
        total = new_total
    prompt = (f"A student summed f(k) = {f.text()} for k = {start} to {ks[-1]} term by term:\n"
              + "\n".join(lines) + f"\nWhich step is the first wrong one? {STEP_QUESTION}")
    return Draft(
        prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
        steps=tuple(verdict_steps(checks, "Step", pos)),
        meta={"f": f.text(), "coefs": list(f.coefs), "alternating": f.alternating,
              "start": start, "end": ks[-1], "true_sum": sum(f(k) for k in ks),
              "error": {"step": pos, "kind": kind} if pos else None},
    )
