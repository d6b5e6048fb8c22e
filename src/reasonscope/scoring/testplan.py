"""Reading test code in the parent, so the verdict is decided where the candidate cannot reach.

Tests made of `assert EXPR` statements (MBPP's `assert f(x) == 8`, HumanEval checks whose body
is only asserts on `candidate(...)`) are split, with `ast`, into

- *holes*: the parts that need the program (`f(x)`, `candidate([1, 2])`), which the sandboxed
  child evaluates and returns as plain data (`_sandbox_codec`), and
- the rest (`== 8`, `abs(... - 0.5) < 1e-6`, `sorted(...)`), evaluated here on that data by
  `testjudge`, which knows only constants, operators and a few pure builtins.

The expected values never enter the child, and every comparison happens here, on builtins the
child could only describe, not construct: an always-equal object or a patched `==` has no
effect. Tests that do not fit (loops, helper statements, a comparison that would have to run
inside the child) get no plan and run in the two-process mode instead (see `sandbox`).
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from reasonscope.scoring.testjudge import BINOPS, HOLE_PREFIX, SAFE_FUNCS, SAFE_MATH, SAFE_NAMES

MAX_HOLES = 10_000

# Inside a hole these would let the child decide truth on the candidate's objects.
_VERDICT_CALLS = frozenset({"bool", "all", "any", "isinstance", "issubclass", "callable",
                            "hasattr"})
_UNSAFE_IN_HOLE = (ast.Compare, ast.BoolOp, ast.IfExp, ast.NamedExpr, ast.Yield, ast.YieldFrom,
                   ast.Await)

_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True)
class Hole:
    source: str  # an expression the child evaluates in the program's namespace
    in_check: bool  # evaluated with the check() parameter bound to the entry point


@dataclass(frozen=True)
class Assertion:
    source: str  # the assert statement as written, for messages
    test: ast.expr  # the test with each hole replaced by a placeholder name
    holes: tuple[int, ...]


@dataclass(frozen=True)
class CallPlan:
    setup: str  # statements before the first assert (imports, MBPP's test_setup_code)
    holes: tuple[Hole, ...]
    assertions: tuple[Assertion, ...]
    check_param: str | None  # the parameter of `def check(candidate)`, when there is one


class _NoPlan(Exception):
    """The tests do not fit the assert-on-calls form."""


def defines_check(tests: str) -> bool:
    """Do the tests define a module-level `check(candidate)` (HumanEval's form)?"""
    try:
        tree = ast.parse(tests)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "def check" in tests
    return any(isinstance(s, ast.FunctionDef) and s.name == "check" for s in tree.body)


def referenced_names(tests: str) -> list[str]:
    """Names the test code reads but never binds (the program's functions it calls)."""
    try:
        tree = ast.parse(tests)
        bound = _bound_names(tree.body)
    except (_NoPlan, SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    read: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            read.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            bound.update(a.arg for a in (*node.args.posonlyargs, *node.args.args,
                                         *node.args.kwonlyargs))
        elif isinstance(node, ast.comprehension):
            bound.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.For, ast.With, ast.ExceptHandler)):
            bound.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name)
                         and isinstance(n.ctx, ast.Store))
            if isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
    return sorted(read - bound - set(dir(builtins)))


def _bound_names(statements: Sequence[ast.stmt]) -> set[str]:
    bound: set[str] = set()
    for stmt in statements:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                if alias.name == "*":
                    raise _NoPlan
                bound.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(stmt.name)
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                bound.add(node.id)
    return bound


@dataclass(frozen=True)
class Bindings:
    """Module-level names a piece of code binds; `modules`: those bound only by `import m`."""
    names: frozenset[str]
    modules: frozenset[str]

    @property
    def shadowing(self) -> frozenset[str]:
        """Names that may no longer mean what the standard library means by them."""
        return self.names - self.modules


def module_bindings(code: str | Sequence[ast.stmt]) -> Bindings:
    """Names bound at module level (not inside functions or classes, except via `global`).

    A program that defines `sum` makes the tests' `sum(10, 15)` a call into the program, so the
    parent must not evaluate it as the builtin. Star imports bind unknown names: every name is
    then taken to be shadowed (`*` in the result).
    """
    body = ast.parse(code).body if isinstance(code, str) else code
    names: set[str] = set()
    modules: set[str] = set()
    plain_imports: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            for sub in ast.walk(node):
                if isinstance(sub, ast.Global):
                    names.update(sub.names)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    names.add("*")
                    continue
                bound = (alias.asname or alias.name).split(".")[0]
                names.add(bound)
                if isinstance(node, ast.Import) and alias.asname is None:
                    plain_imports.add(bound)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    modules = {m for m in plain_imports if _only_imported(body, m)}
    return Bindings(frozenset(names), frozenset(modules))


def _only_imported(body: Sequence[ast.stmt], name: str) -> bool:
    return not any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
                   for stmt in body for n in ast.walk(stmt))


class _Planner:
    def __init__(self, setup: Bindings, program: Bindings, check_param: str | None) -> None:
        self.setup_names = set(setup.names)
        self.program_shadowing = program.shadowing
        self.shadowed = setup.shadowing | program.shadowing
        self.star = "*" in self.shadowed
        self.check_param = check_param
        self.holes: list[Hole] = []

    def _builtin(self, name: str) -> bool:
        return not self.star and name not in self.shadowed

    def assertion(self, stmt: ast.Assert, in_check: bool) -> Assertion:
        first = len(self.holes)
        test = self.lift(stmt.test, in_check)
        return Assertion(ast.unparse(stmt), test, tuple(range(first, len(self.holes))))

    def lift(self, node: ast.expr, in_check: bool) -> ast.expr:
        """`node` with every part the parent cannot evaluate replaced by a hole."""
        if self._parent_side(node):
            return self._rebuild(node, in_check)
        return self._hole(node, in_check)

    def _parent_side(self, node: ast.expr) -> bool:
        if isinstance(node, (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp,
                             ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Subscript,
                             ast.Slice)):
            return not (isinstance(node, ast.BinOp) and type(node.op) not in BINOPS)
        if isinstance(node, ast.Name):
            return node.id in SAFE_NAMES and self._builtin(node.id)
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                return f.id in SAFE_FUNCS and self._builtin(f.id)
            return (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                    and f.value.id == "math" and f.attr in SAFE_MATH and self._builtin("math"))
        return False

    def _rebuild(self, node: ast.expr, in_check: bool) -> ast.expr:
        if isinstance(node, ast.Call):
            if any(isinstance(a, ast.Starred) for a in node.args) or any(
                    k.arg is None for k in node.keywords):
                raise _NoPlan
            args = [self.lift(a, in_check) for a in node.args]
            keywords = [ast.keyword(k.arg, self.lift(k.value, in_check)) for k in node.keywords]
            return ast.Call(node.func, args, keywords)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                raise _NoPlan
            elts = [self.lift(e, in_check) for e in node.elts]
            if isinstance(node, ast.Set):
                return ast.Set(elts)
            return type(node)(elts, ast.Load())
        new = type(node)()
        for field, value in ast.iter_fields(node):
            if isinstance(value, ast.expr):
                value = self.lift(value, in_check)
            elif isinstance(value, list):
                value = [self.lift(v, in_check) if isinstance(v, ast.expr) else v for v in value]
            setattr(new, field, value)
        if isinstance(node, ast.Dict) and any(k is None for k in node.keys):
            raise _NoPlan  # {**mapping}
        return new

    def _hole(self, node: ast.expr, in_check: bool) -> ast.expr:
        for sub in ast.walk(node):
            if isinstance(sub, _UNSAFE_IN_HOLE) or (
                    isinstance(sub, ast.UnaryOp) and isinstance(sub.op, ast.Not)) or (
                    isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name)
                    and sub.func.id in _VERDICT_CALLS):
                raise _NoPlan
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        # A hole must involve a name only the program can supply (`f`, the check parameter);
        # one made of the tests' own names, builtins and standard modules (`sys.getsizeof(x)`)
        # is trusted work, and must not be done where the program could change its result.
        from_program = (names - self.setup_names - _BUILTIN_NAMES) | (
            names & self.program_shadowing)  # `sum` when the program defines `sum`
        from_program -= sys.stdlib_module_names
        if in_check and self.check_param in names:
            from_program.add(self.check_param)
        if not from_program:
            raise _NoPlan
        if len(self.holes) >= MAX_HOLES:
            raise _NoPlan
        self.holes.append(Hole(ast.unparse(node), in_check))
        return ast.Name(f"{HOLE_PREFIX}{len(self.holes) - 1}", ast.Load())


def plan_calls(tests: str, program: str) -> CallPlan | None:
    """The tests as holes and parent-side assertions, or None if they are not of that form."""
    try:
        return _plan(ast.parse(tests), module_bindings(program))
    except (_NoPlan, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _plan(tree: ast.Module, program: Bindings) -> CallPlan:
    setup: list[ast.stmt] = []
    module_asserts: list[ast.Assert] = []
    check: ast.FunctionDef | None = None
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "check":
            check = stmt
        elif isinstance(stmt, ast.Assert):
            module_asserts.append(stmt)
        elif module_asserts:
            raise _NoPlan  # a statement between asserts may change what later ones see
        else:
            setup.append(stmt)
    check_param: str | None = None
    check_asserts: list[ast.Assert] = []
    if check is not None:
        args = check.args
        if (len(args.args) != 1 or args.posonlyargs or args.kwonlyargs or args.vararg
                or args.kwarg or check.decorator_list):
            raise _NoPlan
        check_param = args.args[0].arg
        for stmt in check.body:
            if isinstance(stmt, ast.Assert):
                check_asserts.append(stmt)
            elif not (isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr)
                                                    and isinstance(stmt.value, ast.Constant))):
                raise _NoPlan
    if not module_asserts and not check_asserts:
        raise _NoPlan
    setup_bindings = module_bindings(setup)
    if "*" in setup_bindings.names:
        raise _NoPlan  # which names the tests import is unknown
    planner = _Planner(setup_bindings, program, check_param)
    assertions = [planner.assertion(a, in_check=False) for a in module_asserts]
    assertions += [planner.assertion(a, in_check=True) for a in check_asserts]
    return CallPlan(ast.unparse(ast.Module(setup, [])) if setup else "", tuple(planner.holes),
                    tuple(assertions), check_param)
