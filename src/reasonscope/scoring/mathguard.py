"""Cheap checks that keep pathological answers away from sympy.

math-verify runs under a wall clock, but a timeout costs seconds and a worker restart; answers
that are obviously too big to evaluate are settled here in microseconds instead.
"""

from __future__ import annotations

import re

from reasonscope.scoring.normalize import max_brace_depth

MAX_MATH_CHARS = 500  # the longest MATH-500 gold answer has 53 characters
MAX_MATH_DEPTH = 20


def math_input_ok(pred: str) -> bool:
    """Short and shallow enough to hand to math-verify at all (else: unparseable)."""
    return len(pred) <= MAX_MATH_CHARS and max_brace_depth(pred) <= MAX_MATH_DEPTH


_BIG_FACTORIAL_RE = re.compile(r"\d{5,}\s*!")
_POWER_RE = re.compile(r"(?:\^|\*\*)\s*")
_PLAIN_TOWER_RE = re.compile(r"\d+\s*(?:\^|\*\*)\s*\d+\s*(?:\^|\*\*)")
_BIG_INT_RE = re.compile(r"\d{5,}")
_LETTER_RE = re.compile(r"[A-Za-z]")
_LATEX_CMD_RE = re.compile(r"\\[A-Za-z]+")


def too_costly(pred: str) -> bool:
    """Would sympy try to build an astronomically large number (`10^{10^{10}}`, `99999!`)?

    Such answers are never the intended form of a canonical answer, and evaluating them can take
    minutes; they are judged wrong without asking math-verify (an identical string still matches).
    """
    if _BIG_FACTORIAL_RE.search(pred) or _PLAIN_TOWER_RE.search(pred):
        return True
    for m in _POWER_RE.finditer(pred):
        exponent = _exponent_text(pred, m.end())
        if _BIG_INT_RE.search(exponent):
            return True
        numeric = not _LETTER_RE.search(_LATEX_CMD_RE.sub("", exponent))
        if numeric and ("^" in exponent or "**" in exponent or "!" in exponent):
            return True
    return False


def _exponent_text(s: str, i: int) -> str:
    """The exponent starting at `i`: a braced or parenthesized group, else a number or a letter."""
    if i < len(s) and s[i] in "{(":
        depth = 0
        for j in range(i, len(s)):
            if s[j] in "{(":
                depth += 1
            elif s[j] in "})":
                depth -= 1
                if depth == 0:
                    return s[i + 1:j]
        return s[i + 1:]
    m = re.match(r"[-+]?\d+|\\?[A-Za-z]+", s[i:])
    return m.group() if m else ""
