"""Coding simulation: every program's answer, work count and worked solution re-derived from
the rendered source, executed for real under `sys.settrace` (not through the plan interpreter
the generators use), over many seeds and all levels.

The trace gives an independent line coverage (every block shown runs; an `if` run repeatedly
goes both ways), an independent count of state changes (the work), the sequence of changes the
worked solution must list, and the no-shortcut properties (few repeated values, no state
revisited). The scoring tests check that what the prompt asks for is what the scorer compares:
a printed value compared by value, or printed text compared as text.
"""

from __future__ import annotations

import ast
import copy
import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from statistics import mean
from types import FrameType
from typing import Any

import pytest

from reasonscope.bench.generators.base import REGISTRY
from reasonscope.bench.generators.simulation import coding, interpreter, lists, strings
from reasonscope.bench.generators.simulation import program as P
from reasonscope.items import Item
from reasonscope.scoring import score
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .rs_genkit import search as _search

SEEDS = range(30)
LEVELS = range(1, 6)
BUILDERS = {
    "simulation.coding.program_output": coding.build_mixed,
    "simulation.coding.list_mutations": lists.build_list_program,
    "simulation.coding.string_pipeline": strings.build_string_program,
}


@cache
def _items(name: str) -> tuple[Item, ...]:
    gen = REGISTRY[name]
    return tuple(gen(seed, d) for d in LEVELS for seed in SEEDS)


def _fullmatch(pattern: str, text: str) -> re.Match[str]:
    m = re.fullmatch(pattern, text)
    assert m is not None, (pattern, text)
    return m


def _source(item: Item) -> str:
    return _search(r"```python\n(.*)```", item.prompt, re.S).group(1)


# ---------------------------------------------------------------------------------------------
# A real run, traced


@dataclass
class RealRun:
    """What executing the source showed: hits per line, and each line's state changes."""

    printed: str = ""
    hits: Counter[int] = field(default_factory=Counter)
    changes: list[tuple[int, frozenset[tuple[str, str]]]] = field(default_factory=list)
    top_states: list[str] = field(default_factory=list)  # printed names' values, top-level lines


def _loop_targets(tree: ast.Module) -> set[str]:
    return {n.target.id for n in ast.walk(tree) if isinstance(n, ast.For)
            and isinstance(n.target, ast.Name)}


def run_traced(source: str) -> RealRun:
    """Execute `source` with a line tracer on the module frame; a change is a variable (not a
    loop variable or function) whose value differs from the last line event."""
    tree = ast.parse(source)
    skip = _loop_targets(tree) | {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    printed_names = [n.id for n in ast.walk(tree.body[-1]) if isinstance(n, ast.Name)
                     and n.id != "print"]
    top_lines = {n.lineno for n in tree.body}
    out = RealRun()
    lines: list[str] = []
    namespace: dict[str, Any] = {"__builtins__": {"range": range, "len": len, "sum": sum,
                                                  "max": max, "min": min, "abs": abs,
                                                  "sorted": sorted, "str": str,
                                                  "print": lambda *a: lines.append(
                                                      " ".join(map(str, a)))}}
    last: dict[str, str] = {}
    prev_line = 0

    def diff(line: int) -> None:
        now = {k: repr(v) for k, v in namespace.items() if k != "__builtins__" and k not in skip}
        changed = frozenset((k, v) for k, v in now.items() if last.get(k) != v)
        if changed:
            out.changes.append((prev_line, changed))
        last.clear()
        last.update(now)
        if line in top_lines:
            out.top_states.append(repr([copy.deepcopy(namespace.get(n)) for n in printed_names]))

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal prev_line
        if frame.f_code.co_filename != "<traced>":
            return None
        if event == "line":
            out.hits[frame.f_lineno] += 1
            if frame.f_code.co_name == "<module>":
                diff(frame.f_lineno)
                prev_line = frame.f_lineno
        return tracer

    sys.settrace(tracer)
    try:
        exec(compile(source, "<traced>", "exec"), namespace)
    finally:
        sys.settrace(None)
    diff(0)
    out.printed = "\n".join(lines)
    return out


def coverage_gaps(source: str, run: RealRun) -> list[str]:
    """Lines that never ran, assignments and edits that never changed anything, and `if`s run
    more than once that always went the same way."""
    gaps = [f"line {n}: {text.strip()}" for n, text in enumerate(source.splitlines(), 1)
            if text.strip() != "else:" and run.hits[n] == 0]
    effective = {line for line, _ in run.changes}
    for node in ast.walk(ast.parse(source)):
        edit = isinstance(node, ast.Assign | ast.AugAssign | ast.Delete) or (
            isinstance(node, ast.Expr) and "print(" not in ast.unparse(node))
        if edit and isinstance(node, ast.stmt) and node.lineno not in effective:
            gaps.append(f"line {node.lineno}: no effect")
        if isinstance(node, ast.If) and run.hits[node.lineno] > 1:
            taken = run.hits[node.body[0].lineno]
            other = run.hits[node.orelse[0].lineno] if node.orelse else \
                run.hits[node.lineno] - taken
            if not taken or not other:
                gaps.append(f"line {node.lineno}: the condition never varies")
    return gaps


# ---------------------------------------------------------------------------------------------
# Answers


def test_coding_families_are_all_cross_checked() -> None:
    names = {n for n, g in REGISTRY.items()
             if g.behavior is Behavior.SIMULATION and g.domain is Domain.CODING}
    assert names == set(BUILDERS)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_program_output_matches_plan_interpreter(name: str) -> None:
    gen = REGISTRY[name]
    for d in LEVELS:
        for seed in SEEDS:
            item = gen(seed, d)
            plan = BUILDERS[name](gen.rng(seed, d), d)
            assert f"```python\n{P.render(plan)}```" in item.prompt
            (value,) = interpreter.interpret(plan, interpreter.Budget(10**5, 10**12, 10**3))
            if item.answer_type is AnswerType.PYTHON:
                assert ast.literal_eval(item.answer) == value and item.answer == str(value)
            else:
                assert item.answer_type is AnswerType.STRING and item.answer == value


def test_program_output_matches_a_real_interpreter_process() -> None:
    sources, answers = [], []
    for name in sorted(BUILDERS):
        for d in LEVELS:
            item = REGISTRY[name](7, d)
            sources.append(_source(item))
            answers.append(item.answer)
    runner = ("import json, sys, io, contextlib\nouts = []\n"
              "for src in json.load(sys.stdin):\n    buf = io.StringIO()\n"
              "    with contextlib.redirect_stdout(buf):\n        exec(src, {})\n"
              "    outs.append(buf.getvalue())\nprint(json.dumps(outs))\n")
    out = subprocess.run([sys.executable, "-c", runner], input=json.dumps(sources),
                         capture_output=True, text=True, check=True)
    assert [o.rstrip("\n") for o in json.loads(out.stdout)] == answers


def test_interpreter_catches_a_rendering_slip() -> None:
    """The cross-check has teeth: a precedence slip changes the executed result."""
    plan = (P.Assign("x", P.BinOp("*", P.BinOp("+", P.Num(2), P.Num(3)), P.Num(4))),
            P.Print(P.Name("x")))
    assert interpreter.interpret(plan) == [20] and P.execute(P.render(plan)) == "20\n"
    assert P.execute(P.render(plan).replace("(", "", 1).replace(")", "", 1)) != "20\n"


def test_line_numbers_match_the_rendered_source() -> None:
    for name in sorted(BUILDERS):
        for d in (3, 5):
            plan = BUILDERS[name](REGISTRY[name].rng(11, d), d)
            lines = P.render(plan).splitlines()
            numbers = P.line_numbers(plan)
            for stmt in P.walk(plan):
                first = P.render_block((stmt,))[0]
                assert lines[numbers[id(stmt)] - 1].strip() == first.strip()


# ---------------------------------------------------------------------------------------------
# Every block runs; work and worked solutions from the real run


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_block_shown_runs(name: str) -> None:
    for item in _items(name):
        source = _source(item)
        run = run_traced(source)
        assert run.printed == item.answer
        assert coverage_gaps(source, run) == [], (item.difficulty, source)


def test_coverage_check_has_teeth() -> None:
    """A dead `if` body, a never-called function, a constant condition and a line without
    effect are all caught, by the generators' interpreter and by the traced run."""
    i = P.Name("i")
    dead_if = P.If(P.Compare(">", P.Name("x"), P.Num(5)), (P.AugAssign("x", "+", P.Num(1)),))
    constant = P.If(P.Compare(">=", i, P.Num(0)), (P.AugAssign("x", "+", i),))
    no_effect = P.AugAssign("x", "*", P.Num(1))
    func = P.FuncDef("f", ("v",), (P.Return(P.Name("v")),))
    plan = (func, P.Assign("x", P.Num(1)), dead_if,
            P.For("i", P.Call("range", (P.Num(3),)), (constant,)), no_effect,
            P.Print(P.Name("x")))
    it = interpreter.Interpreter()
    it.run(plan)
    flagged = interpreter.unexercised(plan, it)
    assert flagged == [func.body[0], dead_if, dead_if.body[0], constant, no_effect]
    source = P.render(plan)
    gaps = coverage_gaps(source, run_traced(source))
    assert "line 2: return v" in gaps and "line 5: x += 1" in gaps  # never ran
    assert "line 7: the condition never varies" in gaps and "line 9: no effect" in gaps


def _steps_changes(item: Item) -> list[tuple[int, frozenset[tuple[str, str]]]]:
    out = []
    for step in item.meta["steps"][:-2]:
        line, rest = _search(r"^line (\d+): (.*)$", step).groups()
        pairs = [_fullmatch(r"(\w+) = (.+)", part).groups() for part in rest.split("; ")]
        out.append((int(line), frozenset((name, value) for name, value in pairs)))
    assert item.meta["steps"][-2:] == [f"The program prints {item.answer}.",
                                       f"The answer is {item.answer}."]
    return out


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_work_and_worked_solution_follow_the_real_run(name: str) -> None:
    for item in _items(name):
        run = run_traced(_source(item))
        assert _steps_changes(item) == run.changes
        assert item.meta["work"] == sum(len(c) for _, c in run.changes)
        assert item.meta["work_unit"] == "state changes"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_little_of_the_run_can_be_skipped(name: str) -> None:
    """At most a sixth of the changes repeat a value their line gave before; the list and
    string programs never return to a state they were in."""
    for item in _items(name):
        run = run_traced(_source(item))
        seen: set[tuple[int, str, str]] = set()
        repeats = 0
        for line, changed in run.changes:
            for name_value in changed:
                repeats += (line, *name_value) in seen
                seen.add((line, *name_value))
        assert 6 * repeats <= item.meta["work"], (item.difficulty, _source(item))
        if name != "simulation.coding.program_output":
            states = [s for s, t in itertools.pairwise(run.top_states) if s != t]
            assert len(set(states)) == len(states), _source(item)


def test_mixed_programs_grow_with_difficulty() -> None:
    gen = REGISTRY["simulation.coding.program_output"]
    lines = [mean(gen(s, d).meta["lines"] for s in range(30)) for d in LEVELS]
    assert all(a < b for a, b in itertools.pairwise(lines)), lines
    assert lines[0] <= 4 and lines[-1] >= 20


def _updated_names(tree: ast.Module) -> set[str]:
    """Variables changed after their first assignment (augmented, reassigned, item-assigned
    or edited by a method), while-loop counters (r0, r1, ...) aside."""
    assigned: Counter[str] = Counter()
    updated: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            updated.add(node.target.id)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] += 1
                elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    updated.add(target.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.attr != "get":
            updated.add(node.func.value.id)
    updated |= {n for n, count in assigned.items() if count > 1}
    return {n for n in updated if not re.fullmatch(r"r\d", n)}


def test_mixed_programs_print_every_variable_they_update() -> None:
    for item in _items("simulation.coding.program_output"):
        tree = ast.parse(_source(item))
        shown = {n.id for n in ast.walk(tree.body[-1]) if isinstance(n, ast.Name)}
        assert _updated_names(tree) <= shown, _source(item)


# ---------------------------------------------------------------------------------------------
# What is asked is what is scored


def _reformatted(value: Any) -> str:
    """The same value written differently: no spaces, double quotes, dict keys reversed."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_reformatted(k)}:{_reformatted(v)}"
                              for k, v in reversed(value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_reformatted(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def _perturbed(value: Any) -> Any:
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, list):
        return [_perturbed(value[0]), *value[1:]] if value else [0]
    key = next(iter(value), "zz")
    return {**value, key: _perturbed(value.get(key, 0))}


def _boxed(text: str) -> str:
    return f"Tracing the program line by line gives the output.\n\\boxed{{{text}}}"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_prompt_asks_for_what_the_scorer_compares(name: str) -> None:
    for item in _items(name)[::3]:
        if item.answer_type is AnswerType.PYTHON:
            assert "printed value as a Python literal" in item.prompt
            assert "compared by value" in item.prompt and "exact printed" not in item.prompt
            value = ast.literal_eval(item.answer)
            assert score(item, _boxed(item.answer)).correct
            assert score(item, _boxed(_reformatted(value))).correct
            assert not score(item, _boxed(repr(_perturbed(value)))).correct
        else:
            assert item.answer_type is AnswerType.STRING
            assert "Give the exact printed output." in item.prompt
            assert re.fullmatch(r"[a-z0-9]+", item.answer)  # nothing the comparison folds away
            assert score(item, _boxed(item.answer)).correct
            assert not score(item, _boxed(item.answer + "x")).correct
