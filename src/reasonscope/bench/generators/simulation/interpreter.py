"""Interpret a plan (see `program`) node by node, with its own state handling.

The interpreter is the second code path behind coding-simulation answers (the first executes
the rendered source) and it enforces budgets (steps, value sizes), so generators can reject
programs that run long or blow up. It also watches the run: it counts state changes (a variable
bound to a new value, a container edited), records them per statement for worked solutions,
and notes which statements ran and which way each `if` went, so generators can refuse programs
with code that never runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reasonscope.bench.generators.simulation.program import (
    Assign,
    AugAssign,
    BinOp,
    Call,
    Compare,
    DelItem,
    DictLit,
    Expr,
    ExprStmt,
    For,
    FuncDef,
    If,
    ListLit,
    Method,
    Name,
    Num,
    Return,
    SetItem,
    Slice,
    Stmt,
    Subscript,
    SwapItems,
    Text,
    While,
    walk,
)


class BudgetExceeded(Exception):
    """The program ran too long or built values too large for an item."""


@dataclass
class Budget:
    steps: int = 2_000
    max_int: int = 10**6
    max_len: int = 40
    changes: int = 10**6


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


def _snapshot(v: Any) -> Any:
    if isinstance(v, list):
        return [_snapshot(x) for x in v]
    if isinstance(v, dict):
        return {k: _snapshot(x) for k, x in v.items()}
    return v


_SIMPLE = (Assign, AugAssign, SetItem, DelItem, SwapItems, ExprStmt)
_MUTATORS = frozenset({"append", "extend", "insert", "pop", "remove", "reverse", "sort"})
_ABSENT = object()


def _exprs(e: Expr) -> list[Expr]:
    """The expression and all its sub-expressions."""
    out = [e]
    if isinstance(e, ListLit):
        kids: tuple[Expr, ...] = e.elts
    elif isinstance(e, DictLit):
        kids = tuple(x for pair in e.pairs for x in pair)
    elif isinstance(e, BinOp | Compare):
        kids = (e.left, e.right)
    elif isinstance(e, Call):
        kids = e.args
    elif isinstance(e, Method):
        kids = (e.obj, *e.args)
    elif isinstance(e, Subscript):
        kids = (e.obj, e.index)
    elif isinstance(e, Slice):
        kids = (e.obj,)
    else:
        kids = ()
    for k in kids:
        out += _exprs(k)
    return out


def written_names(s: Stmt) -> tuple[str, ...]:
    """The variables a simple statement can change: its target, and every list it calls a
    mutating method on (`b.append(a.pop())` changes both)."""
    names: list[str] = []
    if isinstance(s, Assign | AugAssign | SetItem | DelItem | SwapItems):
        names.append(s.target)
    parts: list[Expr] = []
    if isinstance(s, Assign | AugAssign):
        parts = [s.value]
    elif isinstance(s, SetItem):
        parts = [s.index, s.value]
    elif isinstance(s, DelItem):
        parts = [s.index]
    elif isinstance(s, ExprStmt):
        parts = [s.value]
    for part in parts:
        for e in _exprs(part):
            if isinstance(e, Method) and e.name in _MUTATORS and isinstance(e.obj, Name):
                names.append(e.obj.id)
    return tuple(dict.fromkeys(names))


class Interpreter:
    """Walks a plan with its own environment; `printed` collects what `print` would show.

    `changes` counts state changes in the program's own variables (a name bound to a value it
    did not hold, or a list/dict/str that differs after the statement); with `record`, `trace`
    lists them as (id(statement), ((name, new value), ...)) in execution order. `executed`
    counts runs per statement, `effective` the runs that changed something, and `if_outcomes`
    the truth values each `if` saw.

    Two counts say how much of that work a solver could skip: `repeats` (a statement giving a
    variable a value it already gave it, as a loop toggling between two values does) and
    `dead_writes()` (values never read before being replaced, or by the end of the program)."""

    def __init__(self, budget: Budget | None = None, *, record: bool = False) -> None:
        self.budget = budget or Budget()
        self.env: dict[str, Any] = {}
        self.funcs: dict[str, FuncDef] = {}
        self.printed: list[Any] = []
        self.steps = 0
        self.record = record
        self.changes = 0
        self.trace: list[tuple[int, tuple[tuple[str, Any], ...]]] = []
        self.executed: Counter[int] = Counter()
        self.effective: Counter[int] = Counter()  # runs of a statement that changed something
        self.if_outcomes: dict[int, set[bool]] = {}
        self._written: dict[int, tuple[str, ...]] = {}
        self._unread: dict[str, bool] = {}  # name -> its latest value was never read
        self._seen: set[tuple[int, str, str]] = set()
        self.overwritten_unread = 0
        self.repeats = 0

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
            self._unread[e.id] = False
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

    def dead_writes(self) -> int:
        return self.overwritten_unread + sum(self._unread.values())

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.budget.steps:
            raise BudgetExceeded("too many steps")

    def run(self, body: tuple[Stmt, ...]) -> None:
        for s in body:
            self._tick()
            self.executed[id(s)] += 1
            if isinstance(s, _SIMPLE):
                self._exec_watched(s)
            else:
                self.exec(s)

    def _exec_watched(self, s: Stmt) -> None:
        sid = id(s)
        names = self._written.get(sid)
        if names is None:
            names = self._written[sid] = written_names(s)
        env = self.env
        before = [_snapshot(env.get(n, _ABSENT)) for n in names]
        if not isinstance(s, Assign):  # an update reads what it changes
            self._unread.update(dict.fromkeys(names, False))
        self.exec(s)
        changed = tuple((n, _snapshot(env[n])) for n, old in zip(names, before, strict=True)
                        if old is _ABSENT or type(old) is not type(env[n]) or old != env[n])
        self.changes += len(changed)
        if changed:
            self.effective[sid] += 1
        for n, value in changed:
            self.overwritten_unread += self._unread.get(n, False)
            self._unread[n] = True
            key = (sid, n, repr(value))
            self.repeats += key in self._seen
            self._seen.add(key)
        if self.changes > self.budget.changes:
            raise BudgetExceeded("too many state changes")
        if self.record and changed:
            self.trace.append((sid, changed))

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
            taken = bool(self.eval(s.cond))
            self.if_outcomes.setdefault(id(s), set()).add(taken)
            self.run(s.body if taken else s.orelse)
        elif isinstance(s, FuncDef):
            self.funcs[s.name] = s
        elif isinstance(s, Return):
            raise _Returned(self.eval(s.value))
        else:
            self.printed.append(self.eval(s.value))


def _exercised(s: Stmt, it: Interpreter) -> bool:
    runs = it.executed[id(s)]
    if isinstance(s, _SIMPLE):
        return it.effective[id(s)] > 0
    if runs == 0 or not isinstance(s, If):
        return runs > 0
    seen = it.if_outcomes[id(s)]
    return True in seen and (runs == 1 or len(seen) == 2)


def unexercised(program: tuple[Stmt, ...], it: Interpreter) -> list[Stmt]:
    """Statements the run never executed, assignments and edits that never changed anything
    (a line without effect is dead too), and `if`s run more than once that always went the
    same way (a condition that never varies is a block in disguise that never runs)."""
    return [s for s in walk(program) if not _exercised(s, it)]


def interpret(program: tuple[Stmt, ...], budget: Budget | None = None) -> list[Any]:
    """The values the program prints, in order (raises BudgetExceeded or the program's error)."""
    it = Interpreter(budget)
    it.run(program)
    return it.printed
