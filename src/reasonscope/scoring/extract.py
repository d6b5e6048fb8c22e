"""Finding the final answer in a completion.

Everything here is a single linear pass (no backtracking regex over the whole completion), so a
megabyte-long or deeply nested completion costs milliseconds, never a hang.
"""

from __future__ import annotations

import re

_THINK_OPEN = "<think>"
_THINK_CLOSE = "</think>"
_THINK_TAG = re.compile(r"</?think>")
_BOX_COMMANDS = ("\\boxed", "\\fbox")

# Fenced-block languages that count as Python; an unlabeled fence is the fallback.
_PY_LANGS = frozenset({"python", "py", "python3", "py3"})


def outside_think(completion: str) -> str | None:
    """The text a reader sees as the answer: everything outside `<think>...</think>` blocks.

    A `</think>` with no opening tag means the chat template opened the block in the prompt, so
    everything before it was thinking. A block still open at the end means the model never
    finished thinking: there is no answer (None), whatever boxes the thoughts contained.
    """
    parts: list[str] = []
    depth = 0
    pos = 0
    for m in _THINK_TAG.finditer(completion):
        if m.group() == _THINK_OPEN:
            if depth == 0:
                parts.append(completion[pos:m.start()])
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                pos = m.end()
                continue
        else:  # orphan close tag: what came before was the (template-opened) thought
            parts = []
        pos = m.end()
    if depth > 0:
        return None
    parts.append(completion[pos:])
    return "".join(parts)


def last_boxed(text: str) -> str | None:
    """Content of the last balanced `\\boxed{...}` / `\\fbox{...}` in `text`.

    One pass over brace tokens with a stack; `\\{` and `\\}` are literal braces (set notation),
    not groups. "Last" is the box that closes last, so `\\boxed{\\boxed{5}}` yields its outer box
    (then unwrapped). An unclosed box is skipped in favour of the last closed one. Braces before
    the first box command cannot change how a box matches, so the scan starts there.
    """
    first = min((i for i in (text.find(c) for c in _BOX_COMMANDS) if i >= 0), default=-1)
    if first < 0:
        return None
    while first > 0 and text[first - 1] == "\\":  # start at a run of backslashes: \\boxed
        first -= 1
    stack: list[int] = []  # -1 for a plain group, else the content start of a box
    best: tuple[int, int] | None = None
    for m in _BRACE_TOKEN.finditer(text, first):
        tok = m.group()
        if tok == "{":
            stack.append(-1)
        elif tok == "}":
            if stack:
                start = stack.pop()
                if start >= 0:
                    best = (start, m.start())
        elif m.lastgroup == "box":
            stack.append(m.end())
    if best is None:
        return None
    content = text[best[0]:best[1]].strip()
    for _ in range(_MAX_UNWRAP):  # \boxed{\boxed{x}} -> x
        inner = _whole_box(content)
        if inner is None:
            break
        content = inner
    return content


# Escaped brace or backslash | a box command and its brace | a grouping brace.
_BRACE_TOKEN = re.compile(r"\\[{}\\]|(?P<box>\\(?:boxed|fbox)(?![A-Za-z])[ \t]*\{)|[{}]")
_MAX_UNWRAP = 8


def _whole_box(content: str) -> str | None:
    """If `content` is exactly one box, its inside; else None."""
    m = _BRACE_TOKEN.match(content)
    if m is None or m.lastgroup != "box":
        return None
    depth = 1
    for t in _BRACE_TOKEN.finditer(content, m.end()):
        tok = t.group()
        if tok == "}":
            depth -= 1
            if depth == 0:
                return content[m.end():t.start()].strip() if t.end() == len(content) else None
        elif tok == "{" or t.lastgroup == "box":
            depth += 1
    return None


def extract_boxed(completion: str) -> str | None:
    """Last balanced `\\boxed{...}` (or `\\fbox{...}`) outside `<think>` blocks, else None."""
    visible = outside_think(completion)
    return None if visible is None else last_boxed(visible)


def last_python_block(text: str) -> str | None:
    """Body of the last closed ``` fence labelled Python (else the last unlabelled one).

    Fences are paired in order of appearance, as Markdown renders them; a trailing unclosed fence
    (a truncated completion) is ignored.
    """
    labelled: str | None = None
    unlabelled: str | None = None
    pos = 0
    while True:
        open_at = _fence_at_line_start(text, pos)
        if open_at < 0:
            break
        eol = text.find("\n", open_at)
        if eol < 0:
            break
        lang = text[open_at + 3:eol].strip().lower()
        close_at = _fence_at_line_start(text, eol + 1)
        if close_at < 0:
            break
        body = text[eol + 1:close_at]
        if lang in _PY_LANGS:
            labelled = body
        elif lang == "":
            unlabelled = body
        pos = close_at + 3
    return labelled if labelled is not None else unlabelled


def _fence_at_line_start(text: str, pos: int) -> int:
    """Index of the next ``` that starts a line (after optional indentation), or -1."""
    while True:
        i = text.find("```", pos)
        if i < 0:
            return -1
        line_start = text.rfind("\n", 0, i) + 1
        if text[line_start:i].strip() == "":
            return i
        pos = i + 3


def extract_program(completion: str) -> str | None:
    """The program a code answer gives: last Python fence outside think, else the boxed text."""
    visible = outside_think(completion)
    if visible is None:
        return None
    block = last_python_block(visible)
    if block is not None and block.strip():
        return block
    return last_boxed(visible)


def extract_by_pattern(completion: str, pattern: str) -> str | None:
    """Group 1 of the last match of an item's declared fallback pattern, outside think."""
    visible = outside_think(completion)
    if visible is None:
        return None
    last: str | None = None
    for m in re.finditer(pattern, visible):
        last = m.group(1)
    return None if last is None else last.strip()
