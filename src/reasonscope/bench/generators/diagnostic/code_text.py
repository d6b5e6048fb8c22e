"""Correct string and integer functions for the coding diagnostic families, each with a contract in
its docstring and an input maker that covers the boundaries (zero, one, primes and squares,
empty and odd-length strings).

Sources are written in the exact form `ast.unparse` prints.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.diagnostic.code_types import Template

_WORDS = ("apple", "level", "river", "noon", "stats", "tree", "data", "moon", "racecar", "sky",
          "plan", "code", "refer", "idea", "ocean", "kayak", "list", "map")


def _word(rng: random.Random) -> str:
    return rng.choice(_WORDS)


def _sentence(rng: random.Random, d: int) -> str:
    return " ".join(_word(rng) for _ in range(rng.randint(1, 2 + d)))


def _brackets(rng: random.Random, d: int) -> str:
    return "".join(rng.choice("(()x)") for _ in range(rng.randint(2, 4 + d)))


def _mixed_case(rng: random.Random, d: int) -> str:
    return "".join(c.upper() if rng.random() < 0.3 else c for c in _sentence(rng, d))


def _tail(rng: random.Random) -> str:
    return "".join(rng.choice("aeo") for _ in range(rng.randint(0, 3)))


def _palindromish(rng: random.Random, d: int) -> str:
    w = _word(rng)
    return rng.choice([w, w + " " + w[::-1], w.capitalize(), w[:-1] + w[::-1]])


TEXT_TEMPLATES: tuple[Template, ...] = (
    Template(("digit_sum", "sum_digits", "digits_total"), 1, '''
def $fn(n):
    """Return the sum of the decimal digits of the non-negative integer n."""
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s''', lambda r, d: (r.choice([0, r.randint(1, 9), r.randint(10, 10 ** (1 + d))]),)),
    Template(("count_vowels", "vowel_count", "num_vowels"), 1, '''
def $fn(text):
    """Return the number of vowels (a, e, i, o, u) in text, ignoring case."""
    count = 0
    for ch in text.lower():
        if ch in 'aeiou':
            count += 1
    return count''', lambda r, d: (_mixed_case(r, d),)),
    Template(("factorial", "fact", "product_upto"), 1, '''
def $fn(n):
    """Return n! (the product 1 * 2 * ... * n, with 0! = 1) for n >= 0."""
    result = 1
    for k in range(2, n + 1):
        result *= k
    return result''', lambda r, d: (r.randint(0, 8),)),
    Template(("gcd", "greatest_divisor", "common_factor"), 1, '''
def $fn(a, b):
    """Return the greatest common divisor of the positive integers a and b."""
    while b != 0:
        a, b = (b, a % b)
    return a''', lambda r, d: (lambda g: (g * r.randint(1, 9), g * r.randint(1, 9)))(
        r.randint(1, 6))),
    Template(("reverse_words", "backwards_words", "flip_words"), 1, '''
def $fn(s):
    """Return s with the order of its space-separated words reversed."""
    words = s.split()
    return ' '.join(words[::-1])''', lambda r, d: (_sentence(r, d),)),
    Template(("count_long", "long_words", "num_long_words"), 1, '''
def $fn(s, k):
    """Return how many space-separated words of s have at least k letters."""
    return len([w for w in s.split() if len(w) >= k])''',
             lambda r, d: (_sentence(r, d), r.randint(3, 5))),
    Template(("is_prime", "prime", "check_prime"), 2, '''
def $fn(n):
    """Return True if the integer n is a prime number."""
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True''', lambda r, d: (r.choice([0, 1, 2, 3, 4, 9, 25, 49, r.randint(5, 60)]),)),
    Template(("is_palindrome", "palindrome", "reads_same"), 2, '''
def $fn(s):
    """Return True if s reads the same backwards, ignoring case and spaces."""
    t = s.replace(' ', '').lower()
    for i in range(len(t) // 2):
        if t[i] != t[len(t) - 1 - i]:
            return False
    return True''', lambda r, d: (_palindromish(r, d),)),
    Template(("to_base", "in_base", "base_digits"), 2, '''
def $fn(n, base):
    """Return the digits of the non-negative integer n in base 2..10, as a string."""
    if n == 0:
        return '0'
    digits = ''
    while n > 0:
        digits = str(n % base) + digits
        n //= base
    return digits''', lambda r, d: (r.choice([0, r.randint(1, 200)]), r.randint(2, 9))),
    Template(("fizz_count", "multiples_count", "count_multiples"), 2, '''
def $fn(n, a, b):
    """Return how many of the integers 1..n are divisible by a or by b."""
    count = 0
    for i in range(1, n + 1):
        if i % a == 0 or i % b == 0:
            count += 1
    return count''', lambda r, d: (r.randint(1, 30), r.randint(2, 5), r.randint(3, 7))),
    Template(("balanced", "brackets_ok", "parens_balanced"), 2, '''
def $fn(s):
    """Return True if the round brackets in s are balanced."""
    depth = 0
    for ch in s:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
            if depth < 0:
                return False
    return depth == 0''', lambda r, d: (_brackets(r, d),)),
    Template(("divisor_sum", "aliquot", "proper_divisor_sum"), 2, '''
def $fn(n):
    """Return the sum of the proper divisors of n (the divisors smaller than n), n >= 1."""
    total = 0
    for d in range(1, n):
        if n % d == 0:
            total += d
    return total''', lambda r, d: (r.choice([1, 6, 12, 28, r.randint(2, 50)]),)),
    Template(("caesar", "shift_letters", "rotate_letters"), 3, '''
def $fn(text, shift):
    """Shift each lowercase letter of text forward by shift places, wrapping z to a."""
    out = ''
    for ch in text:
        if 'a' <= ch <= 'z':
            out += chr((ord(ch) - ord('a') + shift) % 26 + ord('a'))
        else:
            out += ch
    return out''', lambda r, d: (_sentence(r, d), r.randint(1, 25))),
    Template(("collatz_steps", "steps_to_one", "hailstone_length"), 3, '''
def $fn(n):
    """Return the number of Collatz steps (halve if even, else 3n + 1) from n >= 1 to 1."""
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps''', lambda r, d: (r.randint(1, 12),)),
    Template(("power_mod", "modpow", "fast_power"), 3, '''
def $fn(base, exp, mod):
    """Return base ** exp % mod (exp >= 0, mod >= 2) by repeated squaring."""
    result = 1
    base %= mod
    while exp > 0:
        if exp % 2 == 1:
            result = result * base % mod
        base = base * base % mod
        exp //= 2
    return result''', lambda r, d: (r.randint(2, 12), r.randint(0, 12), r.randint(5, 13))),
    Template(("most_common", "mode_char", "top_char"), 3, '''
def $fn(s):
    """Return the character occurring most often in the non-empty s (the earliest if tied)."""
    counts = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    best = s[0]
    for ch in s:
        if counts[ch] > counts[best]:
            best = ch
    return best''', lambda r, d: (_word(r) + _tail(r),)),
    Template(("reverse_number", "mirror_digits", "reversed_int"), 3, '''
def $fn(n):
    """Return the integer whose decimal digits are those of n >= 0 in reverse order."""
    r = 0
    while n > 0:
        r = r * 10 + n % 10
        n //= 10
    return r''', lambda r, d: (r.choice([0, r.randint(1, 9), r.randint(10, 10 ** (2 + d))]),)),
    Template(("is_leap", "leap_year", "has_feb_29"), 3, '''
def $fn(year):
    """Return True if year is a leap year in the Gregorian calendar."""
    if year % 400 == 0:
        return True
    if year % 100 == 0:
        return False
    return year % 4 == 0''', lambda r, d: (r.choice([1900, 2000, 2024, 2023, 2100, 2400,
                                                       r.randint(1800, 2400)]),)),
)
