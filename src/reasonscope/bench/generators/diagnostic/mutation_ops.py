"""The classic mutation operators, as single-line edits of a function's source.

A site is located with `ast` and applied to the text of its one line, so a mutant differs from
the original in exactly one displayed line and reads like code someone wrote: offsets fold into
an existing constant (`n + 2`, not `n + 1 + 1`), brackets appear only where precedence needs
them, and a comparison of an expression with itself is never produced. Each site says whether it
is subtle: a loosened comparison, a loop or range bound or an index off by one, a constant off by
one where it is a bound; the others (a flipped comparison, a swapped operator, `and` for `or`, a
dropped `not`) a glance at the contract catches.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass
from typing import Any

_SWAP_BIN: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Add, ast.FloorDiv),
    ast.FloorDiv: (ast.Mod, ast.Mult), ast.Mod: (ast.FloorDiv,),
}
_BOUNDARY: dict[type, type] = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
_FLIP: dict[type, type] = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE,
                           ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn,
                           ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}

@dataclass(frozen=True)
class Site:
    """One mutation: replace columns [col, end_col) of a line with `text`."""

    line: int  # 1-based, within the function's source
    col: int
    end_col: int
    text: str
    kind: str
    subtle: bool


def _plus(node: ast.expr, k: int) -> ast.expr:
    """node + k, folded into a trailing constant (`n + 1` -> `n + 2`, `i - 1` -> `i`), so the
    mutant reads like code someone wrote rather than `n + 1 + 1`."""
    if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub)
            and isinstance(node.right, ast.Constant) and type(node.right.value) is int):
        c = (node.right.value if isinstance(node.op, ast.Add) else -node.right.value) + k
        if c == 0:
            return node.left
        return ast.BinOp(node.left, ast.Add() if c > 0 else ast.Sub(), ast.Constant(abs(c)))
    return ast.BinOp(node, ast.Add() if k > 0 else ast.Sub(), ast.Constant(abs(k)))


def _with(node: ast.AST, **changes: Any) -> ast.AST:
    new = copy.copy(node)
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def _replacements(node: ast.AST) -> list[tuple[str, bool, ast.AST]]:
    """(kind, subtle, replacement node) for each classic mutation of this node."""
    out: list[tuple[str, bool, ast.AST]] = []
    if isinstance(node, ast.BinOp | ast.AugAssign):
        out += [("operator", False, _with(node, op=o())) for o in _SWAP_BIN.get(type(node.op), ())]
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for table, kind, subtle in ((_BOUNDARY, "boundary", True),
                                        (_FLIP, "comparison", False)):
                if type(op) in table:
                    ops = list(node.ops)
                    ops[i] = table[type(op)]()
                    out.append((kind, subtle, _with(node, ops=ops)))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append(("logic", False, _with(node, op=other)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("negation", False, node.operand))
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        out.append(("constant", False, ast.Constant(not node.value)))
    elif isinstance(node, ast.Constant) and isinstance(node.value, int):
        out += [("off_by_one", True, ast.Constant(node.value + k)) for k in (1, -1)]
    elif isinstance(node, ast.Subscript) and not isinstance(
            node.slice, ast.Slice | ast.Constant | ast.UnaryOp):
        out += [("index", True, _with(node, slice=_plus(node.slice, k))) for k in (1, -1)]
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id == "range" and not isinstance(node.args[-1], ast.Constant)):
        out += [("range_bound", True, _with(node, args=[*node.args[:-1], _plus(node.args[-1], k)]))
                for k in (1, -1)]
    return out


_OPERATORS = (ast.BinOp, ast.BoolOp, ast.Compare, ast.UnaryOp)


def _trivial(new: ast.AST, parent: ast.AST | None) -> bool:
    """`n + 0` or `n % 1`: a constant that turns its operation into a visible no-op."""
    if not (isinstance(new, ast.Constant) and isinstance(parent, ast.BinOp | ast.AugAssign)):
        return False
    neutral = {ast.Add: 0, ast.Sub: 0, ast.Mult: 1, ast.FloorDiv: 1, ast.Mod: 1, ast.Div: 1}
    return new.value == neutral.get(type(parent.op))


_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _in_bound(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Whether a constant is a bound: an argument of range(), an index, or a side of an ordering
    comparison, possibly plus or minus something. An off-by-one there reads as naturally as the
    right value (unlike `x % 2 == 1` or `n % 11`, which a glance at the contract catches)."""
    up = parents.get(id(node))
    while isinstance(up, ast.UnaryOp) or (isinstance(up, ast.BinOp)
                                          and isinstance(up.op, ast.Add | ast.Sub)):
        up = parents.get(id(up))
    return (isinstance(up, ast.Subscript | ast.Slice)
            or (isinstance(up, ast.Compare) and all(isinstance(o, _ORDERING) for o in up.ops))
            or (isinstance(up, ast.Call) and isinstance(up.func, ast.Name)
                and up.func.id == "range"))


def _same_sides(source: str) -> bool:
    """Whether some comparison compares an expression with itself (`xs[i] > xs[i]`): a mutant a
    glance gives away."""
    return any(isinstance(n, ast.Compare) and any(
        ast.dump(a) == ast.dump(b) for a, b in zip([n.left, *n.comparators], n.comparators,
                                                    strict=False))
        for n in ast.walk(ast.parse(source)))


def _site_text(source: str, at: tuple[int, int, int], new: ast.AST, parent: ast.AST | None
               ) -> str:
    """The replacement text for the span `at` (line, col, end_col), bracketed only where
    precedence needs it (a bracket the original does not have would point at the change)."""
    text = ast.unparse(new)
    if not (isinstance(new, _OPERATORS) and isinstance(parent, (*_OPERATORS, ast.Attribute))):
        return text
    lineno, col, end = at
    line = source.split("\n")[lineno - 1]
    if col > 0 and line[col - 1] == "(" and line[end:end + 1] == ")":
        return text
    site = Site(lineno, col, end, text, "", False)
    bracketed = Site(lineno, col, end, f"({text})", "", False)
    plain_tree = ast.dump(ast.parse(apply_site(source, site)))
    return text if plain_tree == ast.dump(ast.parse(apply_site(source, bracketed))) \
        else bracketed.text


def mutation_sites(source: str) -> list[Site]:
    """Every single-line mutation of a function's source (its docstring excluded)."""
    tree = ast.parse(source)
    lines = source.split("\n")
    parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    docstrings = {id(f.body[0].value) for f in ast.walk(tree)
                  if isinstance(f, ast.FunctionDef) and isinstance(f.body[0], ast.Expr)
                  and ast.get_docstring(f) is not None}
    sites: list[Site] = []
    for node in ast.walk(tree):
        if id(node) in docstrings or not isinstance(node, ast.expr | ast.stmt):
            continue
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            continue
        line = lines[node.lineno - 1]
        col, end = node.col_offset, node.end_col_offset
        parent = parents.get(id(node))
        for kind, subtle, new in _replacements(node):
            if _trivial(new, parent):
                continue
            if kind == "off_by_one":  # a bound, and no sign change (`n > 0` to `n > -1`, `-0`)
                assert isinstance(node, ast.Constant) and isinstance(new, ast.Constant)
                old_v, new_v = node.value, new.value
                assert isinstance(old_v, int) and isinstance(new_v, int)
                subtle = (_in_bound(node, parents) and (new_v < 0) == (old_v < 0)
                          and not (new_v == 0 and isinstance(parent, ast.UnaryOp)))
            text = _site_text(source, (node.lineno, col, end), new, parent)
            if text != line[col:end]:
                site = Site(node.lineno, col, end, text, kind, subtle)
                if not _same_sides(apply_site(source, site)):
                    sites.append(site)
    return sites


def apply_site(source: str, site: Site) -> str:
    lines = source.split("\n")
    line = lines[site.line - 1]
    lines[site.line - 1] = line[:site.col] + site.text + line[site.end_col:]
    return "\n".join(lines)


def changed_lines(a: str, b: str) -> list[int]:
    la, lb = a.split("\n"), b.split("\n")
    if len(la) != len(lb):
        return [-1]
    return [i for i, (x, y) in enumerate(zip(la, lb, strict=True), start=1) if x != y]
