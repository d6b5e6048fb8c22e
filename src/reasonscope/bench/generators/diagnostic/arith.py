"""Worked arithmetic with at most one injected error: step-by-step expression evaluation and
term-by-term series sums.

Each shown step follows from the previous *shown* step, so after an injected error the chain stays
internally consistent and only the first wrong step can be pinned down: locating it needs each
step re-derived, not the final answer compared. The harder errors are not wrong digits in a copied
number but a wrong way of working: a difference with its sign lost, `a - b + c` read right to
left, `a + b * c` added before multiplying, one coefficient's sign flipped inside a term, the
parity of `(-1)^k` misread.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

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


_EXPR_LEVELS = {  # ops range, leaf range, bound on intermediates, negatives allowed, error kinds
    1: ((2, 2), (1, 9), 100, False, ("slip",)),
    2: ((3, 4), (1, 12), 200, False, ("slip", "sign")),
    3: ((5, 7), (1, 30), 2_000, True, ("slip", "sign", "order")),
    4: ((8, 11), (2, 99), 50_000, True, ("slip", "sign", "order", "precedence")),
    5: ((13, 16), (2, 999), 1_000_000, True, ("slip", "sign", "order", "precedence")),
}


def _random_expr(rng: random.Random, n_ops: int, lo: int, hi: int) -> Expr:
    """Products always have a small factor (2..12) on the right, so values stay in range; half
    of them multiply a single number, which is where a precedence slip can happen."""
    if n_ops == 0:
        return rng.randint(lo, hi)
    op = rng.choice("+-*")
    if op == "*":
        small = rng.randint(2, min(hi, 12))
        if rng.random() < 0.5:
            return Op(op, rng.randint(lo, hi), small) if n_ops == 1 else Op(
                "+-"[rng.random() < 0.5], _random_expr(rng, n_ops - 2, lo, hi),
                Op(op, rng.randint(lo, hi), small))
        return Op(op, _random_expr(rng, n_ops - 1, lo, hi), small)
    k = rng.randint(0, n_ops - 1)
    return Op(op, _random_expr(rng, k, lo, hi), _random_expr(rng, n_ops - 1 - k, lo, hi))


def _ops_in(e: Expr) -> int:
    return 0 if isinstance(e, int) else 1 + _ops_in(e.left) + _ops_in(e.right)


def _expression(rng: random.Random, difficulty: int) -> Expr:
    (nlo, nhi), (lo, hi), bound, negatives, _ = _EXPR_LEVELS[difficulty]
    n_ops = rng.randint(nlo, nhi)
    while True:
        e = _random_expr(rng, n_ops, lo, hi)
        vals = _intermediates(e)
        if all(abs(v) <= bound and (negatives or v >= 0) for v in vals):
            return e


def _nodes(e: Expr) -> list[Op]:
    return [] if isinstance(e, int) else [e, *_nodes(e.left), *_nodes(e.right)]


def _order_sites(e: Expr) -> list[Op]:
    """`X - y + z` or `X - y - z` (y, z numbers): a right-to-left reading changes the value."""
    return [n for n in _nodes(e) if n.op in "+-" and isinstance(n.right, int)
            and isinstance(n.left, Op) and n.left.op == "-" and isinstance(n.left.right, int)]


def _precedence_sites(e: Expr) -> list[Op]:
    """`a + b * c` or `a - b * c` (a, b, c numbers): doing the addition first changes it."""
    return [n for n in _nodes(e) if n.op in "+-" and isinstance(n.left, int)
            and isinstance(n.right, Op) and n.right.op == "*"
            and isinstance(n.right.left, int) and isinstance(n.right.right, int)]


def _num(v: Expr) -> str:
    return render(v, False)


def _wrong_step(rng: random.Random, cur: Expr, node: Op, kind: str, difficulty: int
                ) -> tuple[Expr, str] | None:
    """The shown expression for an injected error of `kind`, and what a checker would say."""
    r = evaluate(node)
    expected = _replace(cur, node, r)
    if kind == "sign" and node.op == "-" and r != 0:
        new = _replace(cur, node, -r)
        why = (f"{_num(node.left)} - {_num(node.right)} = {r}, so it reads {render(expected)}, "
               f"not {render(new)}")
    elif kind == "order" and _order_sites(cur):
        site = rng.choice(_order_sites(cur))
        assert isinstance(site.left, Op) and isinstance(site.right, int)
        y, z = site.left.right, site.right
        assert isinstance(y, int)
        v = y + z if site.op == "+" else y - z
        new = _replace(cur, site, Op("-", site.left.left, v))
        why = (f"it works out {_num(y)} {site.op} {_num(z)} = {v} first, but in "
               f"... - {_num(y)} {site.op} {_num(z)} the subtraction comes first (left to "
               f"right), so the value changes")
    elif kind == "precedence" and _precedence_sites(cur):
        site = rng.choice(_precedence_sites(cur))
        assert isinstance(site.left, int) and isinstance(site.right, Op)
        a, b, c = site.left, site.right.left, site.right.right
        assert isinstance(b, int) and isinstance(c, int)
        s = a + b if site.op == "+" else a - b
        new = _replace(cur, site, Op("*", s, c))
        why = (f"it works out {_num(a)} {site.op} {_num(b)} = {s} first, but in "
               f"{render(site)} the product {_num(b)} * {_num(c)} comes first, so the value "
               f"changes")
    elif kind == "slip":
        new = _replace(cur, node, slip_int(rng, r, difficulty))
        why = (f"{_num(node.left)} {node.op} {_num(node.right)} = {r}, so it reads "
               f"{render(expected)}, not {render(new)}")
    else:
        return None
    return (new, why) if evaluate(new) != evaluate(cur) else None


def expression_steps(rng: random.Random, difficulty: int, slot: ErrorSlot) -> Draft:
    e0 = _expression(rng, difficulty)
    n = _ops_in(e0)
    kinds = _EXPR_LEVELS[difficulty][4]
    pos = slot.position(range(1, n + 1))
    shown: list[Expr] = []
    checks: list[tuple[str, bool]] = []
    original: list[Expr] = []
    cur = ok_cur = e0
    kind = ""
    while not isinstance(cur, int):
        node = _next_node(cur)
        assert node is not None
        r = evaluate(node)
        expected = _replace(cur, node, r)
        text = f"{_num(node.left)} {node.op} {_num(node.right)} = {r}, the rest copied"
        new: Expr = expected
        if len(shown) + 1 == pos:
            wrong = None
            # from level 4 the ways of working wrong come first, a digit slip only if none fits
            tries = (rng.sample(kinds, len(kinds)) if difficulty < 4 else
                     rng.sample([k for k in kinds if k != "slip"], len(kinds) - 1))
            for kind in [*tries, *["slip"] * 10]:
                wrong = _wrong_step(rng, cur, node, kind, difficulty)
                if wrong is not None:
                    break
            assert wrong is not None
            new, text = wrong
        checks.append((text, new == expected))
        shown.append(new)
        ok_node = _next_node(ok_cur)
        assert ok_node is not None
        ok_cur = _replace(ok_cur, ok_node, evaluate(ok_node))
        original.append(ok_cur)
        cur = new
    lines = [f"Step {i}: {render(s)}" for i, s in enumerate(shown, start=1)]
    prompt = (f"A student evaluated {render(e0)} one operation per step:\n" + "\n".join(lines)
              + f"\nWhich step is the first wrong one? {STEP_QUESTION}")
    return Draft(
        prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
        steps=tuple(verdict_steps(checks, "Step", pos)),
        work=work_to_decide(pos, range(1, len(shown) + 1)), work_unit="steps",
        meta={"expression": render(e0), "original_steps": [render(s) for s in original],
              "error": {"step": pos, "kind": kind} if pos else None},
    )


# --- series sums ----------------------------------------------------------------------------

_SERIES_LEVELS = {  # shape, coefficient range, number of terms, start range, error kinds
    1: ("linear", (1, 5), (2, 3), (1, 1), ("term", "total")),
    2: ("linear", (1, 9), (3, 5), (1, 2), ("term", "total", "sign")),
    3: ("monic", (1, 9), (5, 7), (1, 3), ("term", "total", "sign", "dropped")),
    4: ("quadratic", (2, 9), (8, 11), (1, 4), ("term", "total", "sign")),
    5: ("hard", (2, 12), (13, 16), (1, 6), ("term", "total", "sign", "sign")),
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
    shape, (lo, hi), _, _, _ = _SERIES_LEVELS[difficulty]

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
    return Poly((0, rng.randint(1, 4), c(False), c()), alternating=True)


def _sign_slips(f: Poly, k: int) -> list[int]:
    """Terms worked out with one coefficient's sign flipped, or (alternating) the parity of
    (-1)^k misread: each a different value from the true term."""
    values = {f(k, i) for i in range(4)} | ({-f(k)} if f.alternating else set())
    return sorted(values - {f(k)})


def series_steps(rng: random.Random, difficulty: int, slot: ErrorSlot) -> Draft:
    f = _poly(rng, difficulty)
    _, _, (nlo, nhi), (slo, shi), kinds = _SERIES_LEVELS[difficulty]
    n, start = rng.randint(nlo, nhi), rng.randint(slo, shi)
    ks = list(range(start, start + n))
    pos = slot.position(range(1, n + 1))
    usable = [k for k in kinds if not (k == "dropped" and pos == n)
              and not (k == "sign" and pos and not _sign_slips(f, ks[pos - 1]))]
    kind = rng.choice(usable) if pos else ""
    lines, checks = [], []
    total, k_iter = 0, iter(ks)
    for step, k in enumerate(k_iter, start=1):
        if step == pos and kind == "dropped":
            k = next(k_iter)
        term = f(k)
        if step == pos and kind == "term":
            term = slip_int(rng, term, difficulty)
        elif step == pos and kind == "sign":
            term = rng.choice(_sign_slips(f, k))
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
        work=work_to_decide(pos, range(1, n + 1)), work_unit="steps",
        meta={"f": f.text(), "coefs": list(f.coefs), "alternating": f.alternating,
              "start": start, "end": ks[-1], "true_sum": sum(f(k) for k in ks),
              "error": {"step": pos, "kind": kind} if pos else None},
    )
