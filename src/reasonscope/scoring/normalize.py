"""Text clean-up shared by the answer comparisons: LaTeX wrappers, spacing, punctuation.

Models write the same answer many ways (`\\text{Paris}`, `**Paris**`, `` `Paris` ``, `Paris.`);
these functions remove presentation, never content, so a normalized mismatch is a real one.
"""

from __future__ import annotations

import re
import unicodedata

# Commands whose argument is shown as (roman/bold/typewriter) text: keep the argument.
_WRAPPERS = ("text", "texttt", "textbf", "textit", "textrm", "textsf", "mathrm", "mathtt",
             "mathbf", "mathit", "mathsf", "mbox", "emph", "operatorname", "textnormal")
_WRAPPER_RE = re.compile(r"\\(?:" + "|".join(_WRAPPERS) + r")\s*\{([^{}]*)\}")
_SPACING_RE = re.compile(r"\\[,;:! ]|\\quad|\\qquad|~")
_ESCAPES = {"\\_": "_", "\\&": "&", "\\%": "%", "\\#": "#", "\\$": "$", "\\{": "{", "\\}": "}"}
_ESCAPE_RE = re.compile(r"\\[_&%#${}]")
_MATH_DELIMS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_WS_RE = re.compile(r"\s+")

# Stripped from both ends of string answers: sentence punctuation, quotes, brackets, Markdown.
SURROUNDING_PUNCT = ".,;:!?\"'`“”‘’«»()[]{}*"


def unwrap_text_commands(s: str) -> str:
    """`\\text{cm}` -> `cm`, innermost first, so nested wrappers unwrap too."""
    for _ in range(8):
        new = _WRAPPER_RE.sub(lambda m: m.group(1), s)
        if new == s:
            break
        s = new
    return s


def strip_math_delimiters(s: str) -> str:
    s = s.strip()
    changed = True
    while changed:
        changed = False
        for left, right in _MATH_DELIMS:
            if len(s) >= len(left) + len(right) and s.startswith(left) and s.endswith(right):
                s = s[len(left):len(s) - len(right)].strip()
                changed = True
    return s


def latex_to_plain(s: str) -> str:
    """Remove math delimiters, text wrappers, spacing commands and character escapes."""
    s = strip_math_delimiters(s)
    s = unwrap_text_commands(s)
    s = _SPACING_RE.sub(" ", s)
    s = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], s)
    return s


def collapse_ws(s: str) -> str:
    return _WS_RE.sub(" ", s).strip()


def normalize_string(s: str, *, case_sensitive: bool = False) -> str:
    """Canonical form for `string` answers (see docs/answer-types.md).

    Case is folded unless the item says case is the answer (`M` is not `m`). An answer made only
    of punctuation keeps it (stripping would leave nothing to compare).
    """
    s = collapse_ws(latex_to_plain(unicodedata.normalize("NFKC", s)))
    if not case_sensitive:
        s = s.casefold()
    stripped = s
    for _ in range(4):  # e.g. **"Paris".** -> Paris
        new = stripped.strip(SURROUNDING_PUNCT).strip()
        if new == stripped:
            break
        stripped = new
    return stripped if stripped else s


def max_brace_depth(s: str) -> int:
    depth = best = 0
    for c in s:
        if c in "{[(":
            depth += 1
            best = max(best, depth)
        elif c in "}])":
            depth -= 1
    return best


def split_top_level(s: str, seps: str = ",") -> list[str]:
    """Split on separators that are not inside brackets (`(1, 2), (3, 4)` -> two parts)."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in "{}":
            cur.append(s[i:i + 2])
            depth += 1 if s[i + 1] == "{" else -1
            i += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts
