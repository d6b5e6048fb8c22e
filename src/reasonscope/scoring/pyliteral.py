"""`python` answers: Python literals compared by value *and* type, never evaluated."""

from __future__ import annotations

import ast
from typing import Any

from reasonscope.scoring.normalize import latex_to_plain, max_brace_depth

MAX_TEXT_CHARS = 10_000
MAX_PY_DEPTH = 100

_ERRORS = (ValueError, TypeError, SyntaxError, MemoryError, RecursionError)


def read_literal(text: str) -> tuple[bool, Any]:
    """(True, value) if `text` (maybe fenced, backticked or in `\\texttt{}`) is a literal."""
    s = text.strip()
    if s.startswith("```"):
        s = s.strip("`").removeprefix("python").strip()
    s = s.strip("`").strip()
    if len(s) > MAX_TEXT_CHARS or max_brace_depth(s) > MAX_PY_DEPTH:
        return False, None
    try:
        return True, ast.literal_eval(s)
    except _ERRORS:
        pass
    plain = latex_to_plain(s)  # \texttt{[1, 2]}, \{1, 2\}
    if plain != s:
        try:
            return True, ast.literal_eval(plain.strip().strip("`"))
        except _ERRORS:
            pass
    return False, None


def same_value(a: Any, b: Any) -> bool:
    """Equality that also requires equal types: `True` is not `1`, `2.0` is not `2`."""
    if type(a) is not type(b) or a != b:
        return False
    if isinstance(a, (list, tuple)):
        return all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        b_keys = {k: k for k in b}  # equal keys of different types (1, True) collide: compare them
        return all(same_value(k, b_keys[k]) and same_value(v, b[k]) for k, v in a.items())
    if isinstance(a, (set, frozenset)):
        b_elems = {x: x for x in b}
        return all(same_value(x, b_elems[x]) for x in a)
    return True
