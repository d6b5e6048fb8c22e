"""calculation/math families: exact fraction arithmetic, modular powers, prime factorization.

Every quantity is in the prompt and the operation order is fixed by the expression, so the only
skill exercised is carrying out exact arithmetic without slips; difficulty grows with the number
of operations and the size of the numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import fmt_frac
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# --------------------------------------------------------------------------- fraction arithmetic


@dataclass(frozen=True)
class FNode:
    """A fraction literal, a binary operation, or a literal raised to an integer power."""

    op: str  # "lit", "+", "-", "*", "/", "^"
    value: Fraction = Fraction(0)
    left: FNode | None = None
    right: FNode | None = None
    exp: int = 0


_FPREC = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}


def _kids(n: FNode) -> tuple[FNode, FNode]:
    assert n.left is not None and n.right is not None
    return n.left, n.right


def _operand(child: FNode, parent: str, right: bool) -> str:
    text = render_fraction_expr(child)
    if child.op == "lit":
        # A non-integer literal is written p/q; inside a product, quotient or power it is bracketed
        # so that a reader never has to rely on left-to-right evaluation of '/'.
        return f"({text})" if child.value.denominator != 1 and parent in "*/^" else text
    p, c = _FPREC[parent], _FPREC[child.op]
    return f"({text})" if c < p or (right and c <= p) or (parent == "^") else text


def render_fraction_expr(n: FNode) -> str:
    if n.op == "lit":
        return fmt_frac(n.value)
    if n.op == "^":
        assert n.left is not None
        e = str(n.exp) if n.exp >= 0 else f"({n.exp})"
        return f"{_operand(n.left, '^', False)}^{e}"
    left, right = _kids(n)
    return f"{_operand(left, n.op, False)} {n.op} {_operand(right, n.op, True)}"


def _paren_value(q: Fraction) -> str:
    s = fmt_frac(q)
    return f"({s})" if q < 0 or q.denominator != 1 else s


def eval_fraction_expr(n: FNode, steps: list[str] | None = None) -> Fraction:
    """Exact value; appends one 'a op b = c' line per operation (post-order) to `steps`."""
    if n.op == "lit":
        return n.value
    if n.op == "^":
        assert n.left is not None
        base = eval_fraction_expr(n.left, steps)
        out = base**n.exp
        if steps is not None:
            e = str(n.exp) if n.exp >= 0 else f"({n.exp})"
            steps.append(f"{_paren_value(base)}^{e} = {fmt_frac(out)}")
        return out
    left, right = _kids(n)
    a, b = eval_fraction_expr(left, steps), eval_fraction_expr(right, steps)
    if n.op == "/" and b == 0:
        raise ZeroDivisionError
    out = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else Fraction(0)}[n.op]
    if steps is not None:
        steps.append(f"{_paren_value(a)} {n.op} {_paren_value(b)} = {fmt_frac(out)}")
    return out


# ops, binary operators, max denominator, power probability, exponents, answer size cap
_FRACTION_LEVELS: dict[int, tuple[int, str, int, float, tuple[int, ...], int]] = {
    1: (1, "+-", 6, 0.0, (), 10**3),
    2: (2, "+-*", 9, 0.0, (), 10**4),
    3: (3, "+-*/", 12, 0.2, (2,), 10**6),
    4: (6, "+-*/", 16, 0.3, (2, 3), 10**9),
    5: (11, "+-*/", 30, 0.3, (-2, -1, 2, 3), 10**15),
}


def _literal(rng: random.Random, max_den: int, level: int) -> FNode:
    if level >= 2 and rng.random() < 0.15:
        return FNode("lit", Fraction(rng.randint(1, 3 * level)))
    den = rng.randint(2, max_den)
    top = den - 1 if level <= 2 else 2 * den
    return FNode("lit", Fraction(rng.randint(1, top), den))


def _fraction_tree(rng: random.Random, n_ops: int, level: int) -> FNode:
    _, ops, max_den, p_pow, exps, _ = _FRACTION_LEVELS[level]
    if n_ops == 0:
        return _literal(rng, max_den, level)
    if exps and rng.random() < p_pow:
        base_value = Fraction(rng.randint(2, 4))
        while base_value.denominator == 1 and rng.random() < 0.7:
            base_value = Fraction(rng.randint(1, 6), rng.randint(2, 6))
        base = FNode("lit", base_value)
        pow_node = FNode("^", left=base, exp=rng.choice(exps))
        if n_ops == 1:
            return pow_node
        rest = _fraction_tree(rng, n_ops - 2, level)
        op = rng.choice(ops)
        return FNode(op, left=pow_node, right=rest) if rng.random() < 0.5 else FNode(
            op, left=rest, right=pow_node)
    k = rng.randint(0, n_ops - 1)
    return FNode(rng.choice(ops), left=_fraction_tree(rng, k, level),
                 right=_fraction_tree(rng, n_ops - 1 - k, level))


@generator("calculation.math.fraction_arith", behavior=Behavior.CALCULATION, domain=Domain.MATH,
           version=2,
           why="The expression fixes every operation and its order and the answer is one reduced "
               "fraction, so nothing is planned or recalled; only exact common-denominator and "
               "cancellation work remains, from one sum to eleven operations.")
def fraction_arith(rng: random.Random, difficulty: int) -> Draft:
    """Evaluate an expression of fractions exactly (+, -, *, /, integer powers)."""
    n_ops, *_, cap = _FRACTION_LEVELS[difficulty]
    while True:
        tree = _fraction_tree(rng, n_ops, difficulty)
        steps: list[str] = []
        try:
            value = eval_fraction_expr(tree, steps)
        except ZeroDivisionError:
            continue
        if abs(value.numerator) <= cap and value.denominator <= cap:
            break
    expr = render_fraction_expr(tree)
    ops = len(steps)  # one line per operation evaluated
    steps.append(f"The answer is {fmt_frac(value)}.")
    return Draft(
        prompt=f"Compute {expr}. Answer with a fraction in lowest terms (or an integer).",
        answer=fmt_frac(value), answer_type=AnswerType.RATIONAL, steps=tuple(steps),
        meta={"expression": expr}, work=ops, work_unit="operations",
    )


# --------------------------------------------------------------------------- modular powers

# (base max, exponent range, modulus range, number of power terms, additive constant?)
_MOD_LEVELS: dict[int, tuple[int, tuple[int, int], tuple[int, int], int]] = {
    1: (9, (2, 4), (3, 12), 1),
    2: (20, (7, 15), (5, 50), 1),
    3: (200, (30, 250), (50, 1000), 1),
    4: (10**4, (10**3, 10**5), (10**3, 10**5), 2),
    5: (10**6, (10**5, 10**7), (10**6, 10**9), 2),
}


def power_mod_steps(a: int, b: int, m: int) -> tuple[int, list[str], int]:
    """a^b mod m by repeated squaring: (value, one line per square and per multiplication,
    number of multiplications and reductions performed)."""
    if b <= 6:
        full = 1
        for _ in range(b):
            full *= a
        return full % m, [f"{a}^{b} = {full}, and {full} mod {m} = {full % m}."], b
    steps = [f"{b} in binary is {b:b}."]
    squares: list[tuple[int, int]] = []
    e, cur = 1, a % m
    steps.append(f"{a}^1 ≡ {cur} (mod {m})")
    squares.append((e, cur))
    while 2 * e <= b:
        nxt = cur * cur % m
        e *= 2
        steps.append(f"{a}^{e} ≡ {cur}^2 ≡ {nxt}")
        cur = nxt
        squares.append((e, cur))
    result, left, used = 1, b, []
    for e_k, v in reversed(squares):
        if e_k <= left:
            left -= e_k
            used.append(e_k)
            new = result * v % m
            steps.append(f"× {a}^{e_k}: {result} × {v} ≡ {new}")
            result = new
    steps.append(f"So {a}^{b} ≡ {result} (mod {m}), since {b} = {' + '.join(map(str, used))}.")
    ops = 1 + 2 * (len(squares) - 1) + 2 * len(used)  # reduce a; square+reduce; multiply+reduce
    return result, steps, ops


@generator("calculation.math.modular_power", behavior=Behavior.CALCULATION, domain=Domain.MATH,
           version=2,
           why="Every number is given and repeated squaring is a fixed procedure, so nothing is "
               "searched or recalled; the item is a chain of exact multiplications and "
               "reductions, up to a hundred-odd products of nine-digit numbers.")
def modular_power(rng: random.Random, difficulty: int) -> Draft:
    """Reduce powers (and sums/products of powers) modulo m."""
    a_max, (b_lo, b_hi), (m_lo, m_hi), n_terms = _MOD_LEVELS[difficulty]
    m = rng.randint(m_lo, m_hi)
    terms = [(rng.randint(2, a_max), rng.randint(b_lo, b_hi)) for _ in range(n_terms)]
    steps: list[str] = []
    values = []
    ops = 0
    for a, b in terms:
        v, s, k = power_mod_steps(a, b, m)
        steps += s
        values.append(v)
        ops += k
    powers = [f"{a}^{b}" for a, b in terms]
    if n_terms == 1:
        expr, result = powers[0], values[0]
    else:
        c = rng.randint(2, m - 1)
        expr = f"({powers[0]} + {c} · {powers[1]})"
        result = (values[0] + c * values[1]) % m
        ops += 3  # multiply, add, reduce
        steps.append(f"{values[0]} + {c} × {values[1]} = {values[0] + c * values[1]} "
                     f"≡ {result} (mod {m})")
    steps.append(f"The answer is {result}.")
    return Draft(
        prompt=f"Compute {expr} mod {m}. Give the remainder as an integer from 0 to {m - 1}.",
        answer=str(result), answer_type=AnswerType.INTEGER, steps=tuple(steps),
        meta={"terms": [list(t) for t in terms], "modulus": m, "expression": expr},
        work=ops, work_unit="operations",
    )


# --------------------------------------------------------------------------- prime factorization


@lru_cache(maxsize=1)
def primes_upto(n: int = 60_000) -> tuple[int, ...]:
    sieve = bytearray([1]) * (n + 1)
    sieve[0:2] = b"\x00\x00"
    for i in range(2, int(n**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(range(i * i, n + 1, i)))
    return tuple(i for i in range(n + 1) if sieve[i])


def _pick_prime(rng: random.Random, lo: int, hi: int) -> int:
    ps = [p for p in primes_upto() if lo <= p <= hi]
    return rng.choice(ps)


def _factor_plan(rng: random.Random, difficulty: int) -> list[int]:
    small = [2, 3, 5, 7, 11, 13]
    if difficulty <= 2:
        # level 1: any composite up to 60; level 2: up to 9999 with prime factors below 100;
        # later levels: two large prime factors, so trial division runs up to the smaller one
        hi, smooth = (60, 60) if difficulty == 1 else (9999, 97)
        while True:
            n, factors, p = rng.randint(4, hi), [], 2
            rest = n
            while rest > 1 and p <= smooth:
                while rest % p == 0:
                    factors.append(p)
                    rest //= p
                p += 1
            if rest == 1 and len(factors) >= 2:
                return factors
    if difficulty == 3:
        return [rng.choice(small[:4]) for _ in range(rng.randint(1, 3))] + [
            _pick_prime(rng, 29, 97), _pick_prime(rng, 29, 97)]
    if difficulty == 4:
        return [rng.choice(small) for _ in range(rng.randint(1, 3))] + [
            _pick_prime(rng, 101, 997), _pick_prime(rng, 101, 997)]
    return [rng.choice(small) for _ in range(rng.randint(1, 3))] + [
        _pick_prime(rng, 211, 4999), _pick_prime(rng, 1009, 29999)]


def trial_division(n: int) -> tuple[list[int], list[str], int]:
    """Factor n by trial division by primes, in order, until p^2 exceeds what is left.

    Returns (factors, steps, number of divisions: each test and each division counts)."""
    factors, steps, trials, rest = [], [], 0, n
    since = 2  # first prime tried since the last factor was found
    for p in primes_upto():
        if p * p > rest:
            break
        trials += 1
        if rest % p:
            continue
        if p > since:
            steps.append(f"No prime from {since} to {_prev_prime(p)} divides {rest}.")
        while True:  # divide, then test p again
            steps.append(f"{rest} ÷ {p} = {rest // p}")
            factors.append(p)
            rest //= p
            trials += 2
            if rest % p:
                break
        since = _next_prime(p)
    if rest > 1:
        steps.append(f"No prime p with p^2 ≤ {rest} divides {rest}, so {rest} is prime.")
        factors.append(rest)
    return factors, steps, trials


def _prev_prime(p: int) -> int:
    ps = primes_upto()
    return ps[ps.index(p) - 1]


def _next_prime(p: int) -> int:
    ps = primes_upto()
    return ps[ps.index(p) + 1]


@generator("calculation.math.prime_factorization", behavior=Behavior.CALCULATION,
           domain=Domain.MATH, version=2,
           why="Trial division is a fixed procedure on a given integer, so nothing is searched "
               "for or recalled; the work is the exact divisions, from a few for a number below "
               "60 to hundreds of trial divisions for a product of two four- and five-digit "
               "primes.")
def prime_factorization(rng: random.Random, difficulty: int) -> Draft:
    """Factor an integer into primes (listed with multiplicity)."""
    planned = sorted(_factor_plan(rng, difficulty))
    n = 1
    for p in planned:
        n *= p
    factors, steps, trials = trial_division(n)
    assert factors == planned
    answer = ", ".join(map(str, factors))
    steps.append(f"So {n} = {' × '.join(map(str, factors))}; the answer is {answer}.")
    return Draft(
        prompt=(f"Find the prime factorization of {n}. List the prime factors from smallest to "
                "largest, repeating each as often as it divides, separated by commas."),
        answer=answer, answer_type=AnswerType.LIST, steps=tuple(steps), meta={"n": n},
        work=trials, work_unit="divisions",
    )
