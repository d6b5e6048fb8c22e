"""A tiny plan language for generated Python programs: its nodes, and their rendering as source.

Coding-simulation items need a ground truth that does not rest on one code path: the items'
answers come from executing the rendered source, and the same plan is interpreted (module
`interpreter`), node by node, with its own state handling. A rendering slip (precedence,
indentation, a wrong name) makes the two disagree, which the tests check over many seeds.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any, Union

# ---------------------------------------------------------------------------------------------
# Nodes


@dataclass(frozen=True)
class Num:
    value: int


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Name:
    id: str


@dataclass(frozen=True)
class ListLit:
    elts: tuple[Expr, ...]


@dataclass(frozen=True)
class DictLit:
    pairs: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * // %
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Compare:
    op: str  # < <= > >= == != in
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    """A builtin (len, sum, max, min, abs, sorted, str) or a function defined in the program."""

    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Method:
    obj: Expr
    name: str  # get, replace, count, join, append, insert, pop, remove, reverse, sort, extend
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Subscript:
    obj: Expr
    index: Expr


@dataclass(frozen=True)
class Slice:
    obj: Expr
    start: int | None = None
    stop: int | None = None
    step: int | None = None


Expr = Union[Num, Text, Name, ListLit, DictLit, BinOp, Compare, Call, Method, Subscript, Slice]  # noqa: UP007


@dataclass(frozen=True)
class Assign:
    target: str
    value: Expr


@dataclass(frozen=True)
class AugAssign:
    target: str
    op: str
    value: Expr


@dataclass(frozen=True)
class SetItem:
    target: str
    index: Expr
    value: Expr


@dataclass(frozen=True)
class DelItem:
    target: str
    index: Expr


@dataclass(frozen=True)
class SwapItems:
    target: str
    i: int
    j: int


@dataclass(frozen=True)
class ExprStmt:
    value: Expr


@dataclass(frozen=True)
class For:
    var: str
    iterable: Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class While:
    cond: Compare
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class If:
    cond: Compare
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()


@dataclass(frozen=True)
class FuncDef:
    name: str
    params: tuple[str, ...]
    body: tuple[Stmt, ...]


@dataclass(frozen=True)
class Return:
    value: Expr


@dataclass(frozen=True)
class Print:
    value: Expr


Stmt = Union[Assign, AugAssign, SetItem, DelItem, SwapItems, ExprStmt, For, While, If,  # noqa: UP007
             FuncDef, Return, Print]

# ---------------------------------------------------------------------------------------------
# Rendering

_PREC = {"+": 1, "-": 1, "*": 2, "//": 2, "%": 2}


def render_expr(e: Expr) -> str:
    if isinstance(e, Num):
        return str(e.value)
    if isinstance(e, Text):
        return repr(e.value)
    if isinstance(e, Name):
        return e.id
    if isinstance(e, ListLit):
        return "[" + ", ".join(render_expr(x) for x in e.elts) + "]"
    if isinstance(e, DictLit):
        return "{" + ", ".join(f"{render_expr(k)}: {render_expr(v)}" for k, v in e.pairs) + "}"
    if isinstance(e, BinOp):
        left, right = render_expr(e.left), render_expr(e.right)
        if isinstance(e.left, BinOp) and _PREC[e.left.op] < _PREC[e.op]:
            left = f"({left})"
        if isinstance(e.right, BinOp) and _PREC[e.right.op] <= _PREC[e.op]:
            right = f"({right})"
        if isinstance(e.right, Num) and e.right.value < 0:
            right = f"({right})"
        return f"{left} {e.op} {right}"
    if isinstance(e, Compare):
        return f"{render_expr(e.left)} {e.op} {render_expr(e.right)}"
    if isinstance(e, Call):
        return f"{e.func}(" + ", ".join(render_expr(a) for a in e.args) + ")"
    if isinstance(e, Method):
        obj = render_expr(e.obj)
        if isinstance(e.obj, BinOp):
            obj = f"({obj})"
        return f"{obj}.{e.name}(" + ", ".join(render_expr(a) for a in e.args) + ")"
    if isinstance(e, Subscript):
        return f"{render_expr(e.obj)}[{render_expr(e.index)}]"
    parts = ["" if v is None else str(v) for v in (e.start, e.stop)]
    if e.step is not None:
        parts.append(str(e.step))
    return f"{render_expr(e.obj)}[{':'.join(parts)}]"


def _render_stmt(s: Stmt, indent: int) -> list[str]:
    pad = "    " * indent
    if isinstance(s, Assign):
        return [f"{pad}{s.target} = {render_expr(s.value)}"]
    if isinstance(s, AugAssign):
        return [f"{pad}{s.target} {s.op}= {render_expr(s.value)}"]
    if isinstance(s, SetItem):
        return [f"{pad}{s.target}[{render_expr(s.index)}] = {render_expr(s.value)}"]
    if isinstance(s, DelItem):
        return [f"{pad}del {s.target}[{render_expr(s.index)}]"]
    if isinstance(s, SwapItems):
        t, i, j = s.target, s.i, s.j
        return [f"{pad}{t}[{i}], {t}[{j}] = {t}[{j}], {t}[{i}]"]
    if isinstance(s, ExprStmt):
        return [pad + render_expr(s.value)]
    if isinstance(s, Return):
        return [f"{pad}return {render_expr(s.value)}"]
    if isinstance(s, Print):
        return [f"{pad}print({render_expr(s.value)})"]
    if isinstance(s, For):
        head = [f"{pad}for {s.var} in {render_expr(s.iterable)}:"]
        return head + render_block(s.body, indent + 1)
    if isinstance(s, While):
        return [f"{pad}while {render_expr(s.cond)}:", *render_block(s.body, indent + 1)]
    if isinstance(s, If):
        lines = [f"{pad}if {render_expr(s.cond)}:", *render_block(s.body, indent + 1)]
        if s.orelse:
            lines += [f"{pad}else:", *render_block(s.orelse, indent + 1)]
        return lines
    return [f"{pad}def {s.name}({', '.join(s.params)}):", *render_block(s.body, indent + 1)]


def render_block(body: tuple[Stmt, ...], indent: int = 0) -> list[str]:
    return [line for s in body for line in _render_stmt(s, indent)]


def render(program: tuple[Stmt, ...]) -> str:
    return "\n".join(render_block(program)) + "\n"


def _children(s: Stmt) -> tuple[tuple[Stmt, ...], ...]:
    if isinstance(s, For | While | FuncDef):
        return (s.body,)
    if isinstance(s, If):
        return (s.body, s.orelse)
    return ()


def walk(body: tuple[Stmt, ...]) -> list[Stmt]:
    """Every statement of the plan, nested ones included, in source order."""
    out: list[Stmt] = []
    for s in body:
        out.append(s)
        for block in _children(s):
            out += walk(block)
    return out


def line_numbers(program: tuple[Stmt, ...]) -> dict[int, int]:
    """id(statement) -> its (first) line in `render(program)`, counted from 1.

    Keyed by identity, not equality: two equal statements at different places are different
    lines (a plan never reuses one statement object twice)."""
    lines: dict[int, int] = {}

    def number(body: tuple[Stmt, ...], line: int) -> int:
        for s in body:
            if id(s) in lines:
                raise ValueError(f"statement object used twice in one plan: {s}")
            lines[id(s)] = line
            line += 1
            if isinstance(s, If):
                line = number(s.body, line)
                if s.orelse:
                    line = number(s.orelse, line + 1)  # the `else:` line
            else:
                for block in _children(s):
                    line = number(block, line)
        return line

    number(program, 1)
    return lines


_EXEC_BUILTINS = {"range": range, "len": len, "sum": sum, "max": max, "min": min, "abs": abs,
                  "sorted": sorted, "str": str}


def execute(source: str) -> str:
    """Run generated source in a fresh namespace and return its stdout.

    Only programs this package generated reach here (bounded loops, no imports), so no sandbox
    is needed; `print` is bound to a private buffer so concurrent runs cannot interleave.
    """
    buf = io.StringIO()
    namespace: dict[str, Any] = {
        "__builtins__": {**_EXEC_BUILTINS, "print": functools.partial(print, file=buf)},
    }
    exec(compile(source, "<generated>", "exec"), namespace)
    return buf.getvalue()
