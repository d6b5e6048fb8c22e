"""A tiny plan language for generated Python programs: render it as source, or interpret it.

Coding-simulation items need a ground truth that does not rest on one code path: the items'
answers come from executing the rendered source, and the same plan is interpreted here, node by
node, with its own state handling. A rendering slip (precedence, indentation, a wrong name)
makes the two disagree, which the tests check over many seeds. The interpreter also enforces
budgets (steps, value sizes), so generators can reject programs that run long or blow up.

Why this module is long: the renderer and the interpreter of each node kind sit side by side,
so a change to one is made next to the other; splitting them would separate what must agree.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
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


# ---------------------------------------------------------------------------------------------
# Interpretation


class BudgetExceeded(Exception):
    """The program ran too long or built values too large for an item."""


@dataclass
class Budget:
    steps: int = 2_000
    max_int: int = 10**6
    max_len: int = 40


class _Returned(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


def _floordiv(a: int, b: int) -> int:
    return a // b


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "//": _floordiv, "%": lambda a, b: a - b * _floordiv(a, b),
}
_COMPARES: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "in": lambda a, b: a in b,
}
_BUILTINS: dict[str, Callable[..., Any]] = {
    "len": len, "sum": sum, "max": max, "min": min, "abs": abs, "sorted": sorted, "str": str,
    "range": range,
}


class Interpreter:
    """Walks a plan with its own environment; `printed` collects what `print` would show."""

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget()
        self.env: dict[str, Any] = {}
        self.funcs: dict[str, FuncDef] = {}
        self.printed: list[Any] = []
        self.steps = 0

    def _check(self, v: Any) -> Any:
        if isinstance(v, bool):
            return v
        if isinstance(v, int) and abs(v) > self.budget.max_int:
            raise BudgetExceeded(f"value {v} too large")
        if isinstance(v, str | list | dict) and len(v) > self.budget.max_len:
            raise BudgetExceeded("value too long")
        return v

    def eval(self, e: Expr) -> Any:
        if isinstance(e, Num | Text):
            return e.value
        if isinstance(e, Name):
            return self.env[e.id]
        if isinstance(e, ListLit):
            return [self.eval(x) for x in e.elts]
        if isinstance(e, DictLit):
            return {self.eval(k): self.eval(v) for k, v in e.pairs}
        if isinstance(e, BinOp):
            return self._check(_BINOPS[e.op](self.eval(e.left), self.eval(e.right)))
        if isinstance(e, Compare):
            return _COMPARES[e.op](self.eval(e.left), self.eval(e.right))
        if isinstance(e, Call):
            args = [self.eval(a) for a in e.args]
            if e.func in self.funcs:
                return self._call(self.funcs[e.func], args)
            return self._check(_BUILTINS[e.func](*args))
        if isinstance(e, Method):
            return self._method(self.eval(e.obj), e.name, [self.eval(a) for a in e.args])
        if isinstance(e, Subscript):
            obj, idx = self.eval(e.obj), self.eval(e.index)
            if isinstance(obj, list | str) and not -len(obj) <= idx < len(obj):
                raise IndexError(idx)
            return obj[idx]
        return self.eval(e.obj)[slice(e.start, e.stop, e.step)]

    def _method(self, obj: Any, name: str, args: list[Any]) -> Any:
        """List methods are spelled out as slice edits so they do not lean on the methods."""
        if name == "get":
            return obj[args[0]] if args[0] in obj else args[1]
        if name == "replace":
            return self._check(args[1].join(obj.split(args[0])))
        if name == "count":
            return obj.count(args[0])
        if name == "join":
            return self._check(obj.join(args[0]))
        if name == "append":
            obj[len(obj):] = [args[0]]
        elif name == "extend":
            obj[len(obj):] = list(args[0])
        elif name == "insert":
            i = min(max(args[0] + len(obj) if args[0] < 0 else args[0], 0), len(obj))
            obj[i:i] = [args[1]]
        elif name == "pop":
            i = args[0] if args else -1
            i = i + len(obj) if i < 0 else i
            if not 0 <= i < len(obj):
                raise IndexError(i)
            value = obj[i]
            obj[i:i + 1] = []
            return value
        elif name == "remove":
            matches = [k for k, v in enumerate(obj) if v == args[0]]
            if not matches:
                raise ValueError(args[0])
            obj[matches[0]:matches[0] + 1] = []
        elif name == "reverse":
            obj[:] = obj[::-1]
        elif name == "sort":
            obj[:] = sorted(obj, reverse=bool(args and args[0]))
        else:
            raise ValueError(f"unknown method {name}")
        self._check(obj)
        return None

    def _call(self, fn: FuncDef, args: list[Any]) -> Any:
        saved = self.env
        self.env = dict(zip(fn.params, args, strict=True))
        try:
            self.run(fn.body)
        except _Returned as r:
            return self._check(r.value)
        finally:
            self.env = saved
        return None

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.budget.steps:
            raise BudgetExceeded("too many steps")

    def run(self, body: tuple[Stmt, ...]) -> None:
        for s in body:
            self._tick()
            self.exec(s)

    def exec(self, s: Stmt) -> None:
        if isinstance(s, Assign):
            self.env[s.target] = self._check(self.eval(s.value))
        elif isinstance(s, AugAssign):
            self.env[s.target] = self._check(_BINOPS[s.op](self.env[s.target],
                                                           self.eval(s.value)))
        elif isinstance(s, SetItem):
            obj, idx = self.env[s.target], self.eval(s.index)
            if isinstance(obj, list) and not -len(obj) <= idx < len(obj):
                raise IndexError(idx)
            obj[idx] = self.eval(s.value)
            self._check(obj)
        elif isinstance(s, DelItem):
            self._method(self.env[s.target], "pop", [self.eval(s.index)])
        elif isinstance(s, SwapItems):
            obj = self.env[s.target]
            a, b = obj[s.i], obj[s.j]
            obj[s.i], obj[s.j] = b, a
        elif isinstance(s, ExprStmt):
            self.eval(s.value)
        elif isinstance(s, For):
            for v in self.eval(s.iterable):
                self.env[s.var] = v
                self.run(s.body)
        elif isinstance(s, While):
            while self.eval(s.cond):
                self._tick()
                self.run(s.body)
        elif isinstance(s, If):
            self.run(s.body if self.eval(s.cond) else s.orelse)
        elif isinstance(s, FuncDef):
            self.funcs[s.name] = s
        elif isinstance(s, Return):
            raise _Returned(self.eval(s.value))
        else:
            self.printed.append(self.eval(s.value))


def interpret(program: tuple[Stmt, ...], budget: Budget | None = None) -> list[Any]:
    """The values the program prints, in order (raises BudgetExceeded or the program's error)."""
    it = Interpreter(budget)
    it.run(program)
    return it.printed


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
