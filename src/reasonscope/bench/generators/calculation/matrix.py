"""calculation/math: eigenvalues of integer matrices built as A = P D P^-1.

P is a product of integer row operations (determinant ±1), so P^-1 is integral, A is an integer
matrix, and its eigenvalues are exactly the chosen integers in D: the item asks for an exact
characteristic-polynomial computation whose answer is known by construction.
"""

from __future__ import annotations

import random
from fractions import Fraction

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

Matrix = list[list[int]]

# size, eigenvalue range, number of row operations, multipliers, entry cap
_LEVELS: dict[int, tuple[int, int, int, tuple[int, ...], int]] = {
    1: (2, 4, 0, (), 9),
    2: (2, 5, 2, (-2, -1, 1, 2), 20),
    3: (3, 5, 3, (-1, 1), 30),
    4: (4, 6, 8, (-1, 1), 40),
    5: (5, 7, 12, (-1, 1), 60),
}


def identity(n: int) -> Matrix:
    return [[int(i == j) for j in range(n)] for i in range(n)]


def matmul(a: Matrix, b: Matrix) -> Matrix:
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
            for i in range(len(a))]


def _elementary(n: int, i: int, j: int, c: int) -> Matrix:
    e = identity(n)
    e[i][j] = c
    return e


def build_matrix(rng: random.Random, difficulty: int) -> tuple[Matrix, list[int]]:
    """A with distinct integer eigenvalues; level 1 gives an upper-triangular A (P = I)."""
    n, span, n_ops, mults, cap = _LEVELS[difficulty]
    for _ in range(10_000):
        eig = rng.sample(range(-span + 1, span + 1), n)
        p, p_inv = identity(n), identity(n)
        for _ in range(n_ops):
            i, j = rng.sample(range(n), 2)
            c = rng.choice(mults)
            p = matmul(p, _elementary(n, i, j, c))
            p_inv = matmul(_elementary(n, i, j, -c), p_inv)
        d = [[eig[i] if i == j else 0 for j in range(n)] for i in range(n)]
        a = matmul(matmul(p, d), p_inv)
        if difficulty == 1:
            a[0][1] = rng.randint(-3, 3)
        upper = sum(1 for i in range(n) for j in range(i + 1, n) if a[i][j])
        lower = sum(1 for i in range(n) for j in range(i) if a[i][j])
        dense = upper + lower >= max(n, n * (n - 1) * 3 // 5)  # 60% of off-diagonal entries
        coupled = all(any(a[i][j] for j in range(n) if j != i) and
                      any(a[j][i] for j in range(n) if j != i) for i in range(n))
        mixed = dense and upper > 0 and lower > 0 and (coupled or difficulty <= 2)
        if max(abs(x) for row in a for x in row) <= cap and (upper if difficulty == 1 else mixed):
            return a, eig
    raise RuntimeError(f"no matrix found for level {difficulty}")


def _counted_product(a: list[list[Fraction]], b: list[list[Fraction]], ops: list[int]
                     ) -> list[list[Fraction]]:
    """Matrix product; counts the multiplications by nonzero entries and their additions."""
    n = len(a)
    out = []
    for i in range(n):
        row = []
        for j in range(n):
            terms = [a[i][t] * b[t][j] for t in range(n) if a[i][t] and b[t][j]]
            ops[0] += 2 * len(terms) - 1 if terms else 0
            row.append(sum(terms, Fraction(0)))
        out.append(row)
    return out


def char_poly_counted(a: Matrix) -> tuple[list[int], int]:
    """Coefficients [1, c1, ..., cn] of det(λI - A) by the Faddeev-LeVerrier recursion, and the
    number of arithmetic operations it took (products with a zero entry are skipped)."""
    n = len(a)
    af = [[Fraction(x) for x in row] for row in a]
    m = [[Fraction(0)] * n for _ in range(n)]
    coeffs = [Fraction(1)]
    ops = [0]
    for k in range(1, n + 1):
        m = _counted_product(af, m, ops) if k > 1 else m
        m = [[m[i][j] + (coeffs[-1] if i == j else 0) for j in range(n)] for i in range(n)]
        ops[0] += n if k > 1 else 0  # adding c_(k-1) on the diagonal
        am = _counted_product(af, m, ops)
        coeffs.append(-sum((am[i][i] for i in range(n)), Fraction(0)) / k)
        ops[0] += n  # the trace, then the division by k
    assert all(c.denominator == 1 for c in coeffs)
    return [int(c) for c in coeffs], ops[0]


def char_poly(a: Matrix) -> list[int]:
    return char_poly_counted(a)[0]


def poly_text(coeffs: list[int]) -> str:
    n = len(coeffs) - 1
    parts: list[str] = []
    for k, c in enumerate(coeffs):
        if c == 0:
            continue
        power = n - k
        var = "" if power == 0 else ("λ" if power == 1 else f"λ^{power}")
        mag = abs(c)
        body = f"{mag}{var}" if (mag != 1 or not var) else var
        sign = "-" if c < 0 else "+"
        parts.append(body if not parts and c > 0 else (f"-{body}" if not parts else
                                                        f" {sign} {body}"))
    return "".join(parts)


def matrix_text(a: Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(map(str, row)) + "]" for row in a) + "]"


@generator("calculation.math.matrix_eigenvalues", behavior=Behavior.CALCULATION,
           domain=Domain.MATH, version=2,
           why="The matrix is given entry by entry and its eigenvalues are integers, so no method "
               "is searched for; the item is an exact characteristic-polynomial computation and "
               "integer root finding, from a triangular 2x2 to a dense 5x5.")
def matrix_eigenvalues(rng: random.Random, difficulty: int) -> Draft:
    """Eigenvalues (all, or the largest) of an integer matrix with integer eigenvalues."""
    a, eig = build_matrix(rng, difficulty)
    n = len(a)
    coeffs, ops = char_poly_counted(a)
    roots = sorted(eig)
    steps = []
    for k in range(1, n + 1):
        what = "trace" if k == 1 else "determinant" if k == n else \
            f"sum of the {k}x{k} principal minors"
        steps.append(f"{what} = {(-1) ** k * coeffs[k]}")
    steps.append(f"det(λI - A) = {poly_text(coeffs)}.")
    factors = "".join(f"(λ - {r})" if r >= 0 else f"(λ + {-r})" for r in roots)
    steps.append(f"It factors as {factors}.")
    for r in roots:
        steps.append(f"Check λ = {r}: det(A - {r}I) = 0.")
    ask_largest = difficulty >= 3 and rng.random() < 0.5
    if ask_largest:
        answer, answer_type = str(roots[-1]), AnswerType.INTEGER
        ask = "What is its largest eigenvalue? Give the answer as an integer."
        steps.append(f"The largest eigenvalue is {roots[-1]}.")
    else:
        answer, answer_type = ", ".join(map(str, roots)), AnswerType.SET
        ask = "Find all of its eigenvalues (they are integers). List them separated by commas."
        steps.append(f"The eigenvalues are {answer}.")
    return Draft(
        prompt=f"Let A be the {n}x{n} matrix with rows {matrix_text(a)}. {ask}",
        answer=answer, answer_type=answer_type, steps=tuple(steps),
        meta={"matrix": a, "ask": "largest" if ask_largest else "all"},
        work=ops, work_unit="operations",
    )
