"""Decimal digits of named constants by exact integer arithmetic (no floating point).

Each constant is computed as floor(c * 10^(n + GUARD)) with fixed-point series or integer square
roots, then truncated to n digits after the point; the guard digits absorb the series' truncation
error. Tests compare against mpmath.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from math import isqrt

GUARD = 12


def _atan_inv(x: int, scale: int) -> int:
    """atan(1/x) * scale by its Taylor series in fixed point."""
    total, term, k, sign = 0, scale // x, 1, 1
    x2 = x * x
    while term:
        total += sign * (term // k)
        term //= x2
        k += 2
        sign = -sign
    return total


def _pi(scale: int) -> int:
    return 16 * _atan_inv(5, scale) - 4 * _atan_inv(239, scale)  # Machin's formula


def _e(scale: int) -> int:
    total, term, k = 0, scale, 0
    while term:
        total += term
        k += 1
        term //= k
    return total


def _ln2(scale: int) -> int:
    """ln 2 = 2 * atanh(1/3) = 2 * sum 1 / ((2k + 1) 3^(2k + 1))."""
    total, power, k = 0, scale // 3, 1
    while power:
        total += power // k
        power //= 9
        k += 2
    return 2 * total


def _sqrt(n: int) -> Callable[[int], int]:
    return lambda scale: isqrt(n * scale * scale)


def _phi(scale: int) -> int:
    return (scale + isqrt(5 * scale * scale)) // 2


CONSTANTS: dict[str, tuple[str, Callable[[int], int]]] = {
    "pi": ("π (pi)", _pi),
    "e": ("e (Euler's number, the base of the natural logarithm)", _e),
    "sqrt2": ("√2 (the square root of 2)", _sqrt(2)),
    "sqrt3": ("√3 (the square root of 3)", _sqrt(3)),
    "phi": ("φ (the golden ratio, (1 + √5)/2)", _phi),
    "ln2": ("ln 2 (the natural logarithm of 2)", _ln2),
}


MAX_DIGITS = 400


@cache
def _expansion(key: str) -> tuple[int, str]:
    scale = 10 ** (MAX_DIGITS + GUARD)
    whole, frac = divmod(CONSTANTS[key][1](scale), scale)
    return whole, str(frac).zfill(MAX_DIGITS + GUARD)[:MAX_DIGITS]


def digits_after_point(key: str, n: int) -> tuple[int, str]:
    """(integer part, first n digits after the decimal point) of a named constant."""
    if not 0 <= n <= MAX_DIGITS:
        raise ValueError(f"at most {MAX_DIGITS} digits are available")
    whole, frac = _expansion(key)
    return whole, frac[:n]
