"""One spelling per TeX construct, before anything compares or evaluates an answer.

TeX reads an undelimited macro argument as one token: a control word or a single character.
Models and benchmark golds rely on it (`\\frac12`, `\\frac \\pi4`, `\\sqrt2`, `\\frac{270}7`),
while math-verify's own fix-up turns `\\frac \\pi4` into `\\frac{\\}{p}i4`. So the arguments are
braced here exactly as TeX groups them, synonyms are unified (`\\dfrac` is `\\frac`), and
redundant outer groups (`{{42}}`) and spacing commands are dropped. Also here: the right-hand
side of a relation (`\\lambda_{\\max} = 7` answers 7), found at brace depth zero.
"""

from __future__ import annotations

import re

# Macros whose arguments are read TeX's way, and how many each takes.
_ARITY = {"frac": 2, "dfrac": 2, "tfrac": 2, "cfrac": 2, "binom": 2, "dbinom": 2, "tbinom": 2,
          "sqrt": 1}
_SYNONYMS = {"dfrac": "frac", "tfrac": "frac", "cfrac": "frac", "dbinom": "binom",
             "tbinom": "binom"}
_MACRO_RE = re.compile(r"\\(" + "|".join(sorted(_ARITY, key=len, reverse=True)) + r")(?![A-Za-z])")
_CONTROL_WORD_RE = re.compile(r"\\(?:[A-Za-z]+|.)", re.S)
_MAX_NESTING = 40

# TeX's infix forms, in a group or as the whole answer: `{4 \\choose 2}`, `7 \\over 12`.
_INFIX_GROUP_RE = re.compile(r"\{([^{}]*?)\\(choose|over)(?![A-Za-z])([^{}]*)\}")
_INFIX_WHOLE_RE = re.compile(r"^([^{}]*?)\\(choose|over)(?![A-Za-z])([^{}]*)$")
_INFIX_MACRO = {"choose": "\\binom", "over": "\\frac"}
_LEFT_RIGHT_RE = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)(?![A-Za-z])\s*\.?")
_THIN_COMMA_RE = re.compile(r"(?:,|\{,\})\s*\\!\s*")  # 111,\! 111: a thousands separator
_NOISE_RE = re.compile(r"\\displaystyle(?![A-Za-z])|\\!")


def _group_end(s: str, start: int) -> int:
    """Index just past the `}` closing the group opened at `s[start] == "{"`, or -1."""
    depth = 0
    i = start
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _read_argument(s: str, i: int, depth: int) -> tuple[str, int] | None:
    """One macro argument at `i` (after spaces), braced and normalized; None if there is none."""
    n = len(s)
    while i < n and s[i] in " \t\n":
        i += 1
    if i >= n or s[i] == "}":
        return None
    if s[i] == "{":
        end = _group_end(s, i)
        if end < 0:
            return None
        return "{" + _brace(s[i + 1:end - 1], depth + 1) + "}", end
    if s[i] == "\\":
        m = _CONTROL_WORD_RE.match(s, i)
        assert m is not None
        word = m.group()
        if word[1:] in _ARITY:  # \frac\frac12 3: the argument is itself a macro call
            inner = _expand_macro(s, i, word[1:], depth + 1)
            if inner is None:
                return None
            return "{" + inner[0] + "}", inner[1]
        return "{" + word + "}", m.end()
    return "{" + s[i] + "}", i + 1


def _expand_macro(s: str, i: int, name: str, depth: int) -> tuple[str, int] | None:
    """The macro at `i` (named `name`) with braced arguments, and the index after it."""
    pos = i + 1 + len(name)
    out = ["\\" + _SYNONYMS.get(name, name)]
    if name == "sqrt":  # optional [index]
        j = pos
        while j < len(s) and s[j] in " \t":
            j += 1
        if j < len(s) and s[j] == "[":
            close = s.find("]", j)
            if close < 0:
                return None
            out.append("[" + _brace(s[j + 1:close], depth + 1) + "]")
            pos = close + 1
    for _ in range(_ARITY[name]):
        arg = _read_argument(s, pos, depth)
        if arg is None:
            return None
        out.append(arg[0])
        pos = arg[1]
    return "".join(out), pos


def _brace(s: str, depth: int = 0) -> str:
    if depth > _MAX_NESTING or "\\" not in s:
        return s
    out: list[str] = []
    pos = 0
    for m in _MACRO_RE.finditer(s):
        if m.start() < pos:
            continue
        if m.start() > 0 and s[m.start() - 1] == "\\":  # \\frac is a line break and a word
            continue
        expanded = _expand_macro(s, m.start(), m.group(1), depth)
        if expanded is None:  # malformed: leave it for the reader to reject
            continue
        out.append(s[pos:m.start()])
        out.append(expanded[0])
        pos = expanded[1]
    out.append(s[pos:])
    return "".join(out)


def brace_arguments(s: str) -> str:
    """`\\frac \\pi4` -> `\\frac{\\pi}{4}`, `\\sqrt2` -> `\\sqrt{2}` (`\\binom42` likewise).

    Arguments are read as TeX reads them: a braced group, a control word, or one character.
    """
    return _brace(s) if "\\" in s else s


def strip_outer_groups(s: str) -> str:
    """`{{42}}` -> `42`: braces around the whole answer only group, they never mean a set."""
    s = s.strip()
    for _ in range(_MAX_NESTING):
        if not (s.startswith("{") and _group_end(s, 0) == len(s)):
            break
        s = s[1:-1].strip()
    return s


def _infix_to_macro(s: str) -> str:
    def macro(m: re.Match[str]) -> str:
        return f"{_INFIX_MACRO[m.group(2)]}{{{m.group(1).strip()}}}{{{m.group(3).strip()}}}"

    def grouped(m: re.Match[str]) -> str:
        return "{" + macro(m) + "}"

    for _ in range(4):
        new = _INFIX_GROUP_RE.sub(grouped, s)
        if new == s:
            break
        s = new
    return _INFIX_WHOLE_RE.sub(macro, s)


def canonical_tex(s: str) -> str:
    """The spelling the readers expect: braced arguments, `\\frac` for `\\dfrac`, no `\\left`,
    `\\displaystyle` or `\\!`, `,\\!` as a plain thousands comma, no redundant outer braces."""
    if "\\" in s:
        if "\\choose" in s or "\\over" in s:
            s = _infix_to_macro(s)
        s = _THIN_COMMA_RE.sub(",", s)
        s = _NOISE_RE.sub("", _LEFT_RIGHT_RE.sub("", s))
        s = brace_arguments(s)
    if s.startswith("{"):
        s = strip_outer_groups(s)
    return s


# --- relations -------------------------------------------------------------------------------

# `=` (also `:=`, `==`) and approximate equality; never part of <=, >=, !=, \leq, \neq.
_RELATION_RE = re.compile(
    r"(?<![<>!=:\\])(?::=|==?)(?!=)|\\(?:approx|simeq|sim|in)(?![A-Za-z])|[≈∈]")
# What separates several answers: a listing is not one value.
_SEPARATOR_RE = re.compile(
    r"[,;]|(?<![A-Za-z\\])(?:and|or)(?![A-Za-z])|\\q?quad(?![A-Za-z])|\\&"
    r"|\\(?:text|textrm|mathrm|mbox)\s*\{\s*(?:and|or)\s*\}", re.I)


def top_level_spans(s: str) -> list[bool]:
    """For each character: is it at bracket depth zero (outside `{}`, `()`, `[]`)?"""
    flags: list[bool] = []
    depth = 0
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n and s[i + 1] in "{}":
            flags.extend((depth == 0, depth == 0))
            depth += 1 if s[i + 1] == "{" else -1
            i += 2
            continue
        if c in "([{":
            flags.append(depth == 0)
            depth += 1
        elif c in ")]}":
            depth -= 1
            flags.append(depth == 0)
        else:
            flags.append(depth == 0)
        i += 1
    return flags


def relation_parts(s: str) -> list[str]:
    """`s` split at its top-level relations (`a = b \\approx c` -> [a, b, c])."""
    if "=" not in s and "\\" not in s and "≈" not in s and "∈" not in s:
        return [s]
    top = top_level_spans(s)
    parts: list[str] = []
    pos = 0
    for m in _RELATION_RE.finditer(s):
        if top[m.start()]:
            parts.append(s[pos:m.start()])
            pos = m.end()
    parts.append(s[pos:])
    return parts


def relation_rhs(s: str) -> str | None:
    """The value a relation states: `m+n = 25` -> `25`, `f(3) = 5` -> `5`; `s` if none.

    None when an earlier side lists several things (`x = 1 \\text{ or } x = 3`): the last side is
    then not *the* answer, and reading it would accept half an answer.
    """
    parts = relation_parts(s)
    if len(parts) == 1:
        return s
    for side in parts[:-1]:
        if has_top_level_separator(side):
            return None
    return parts[-1].strip()


def has_top_level_separator(s: str) -> bool:
    top = None
    for m in _SEPARATOR_RE.finditer(s):
        if top is None:
            top = top_level_spans(s)
        if top[m.start()]:
            return True
    return False


def balanced(s: str) -> bool:
    """Every bracket of `s` closes, and none closes before it opens."""
    depth = 0
    for c in s:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
