"""Bug localisation: correct functions from a template bank, one line mutated so that the shown
tests fail.

Mutants come from the classic mutation operators (`mutation_ops`: operator swap, flipped or
loosened comparison, off-by-one constant, index or range bound, `and`/`or`, a dropped `not`),
each a change of exactly one displayed line. From level 4
only the subtle ones are used: `<` for `<=`, a loop or range bound off by one, an index off by
one, a constant off by one inside a bound or comparison; such a line reads as naturally as the
right one, and only tracing a test through the loop shows it wrong. Ground truth is execution: the
original passes the shown tests by construction, and a mutant is used only when running it makes
one of them fail. Mutants may loop forever, so they run under a line-event budget.
"""

from __future__ import annotations

import ast
import functools
import itertools
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from string import Template as Fill
from types import FrameType
from typing import Any

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.diagnostic.code_types import Template
from reasonscope.bench.generators.diagnostic.common import ErrorSlot, work_to_decide
from reasonscope.bench.generators.diagnostic.mutation_ops import (
    Site,
    apply_site,
    changed_lines,
    mutation_sites,
)
from reasonscope.taxonomy import AnswerType

STEP_BUDGET = 20_000
_LIST_NAMES = ("xs", "nums", "values", "data", "seq")

# difficulty -> (number of functions, allowed template sizes, tests per function, weight of
# subtle mutation kinds relative to obvious ones, subtle kinds only)
_LEVELS = {1: (1, (1,), 2, 0.3, False), 2: (2, (1,), 2, 0.6, False),
           3: (2, (2, 3), 2, 1.0, False), 4: (3, (2, 3), 2, 3.0, True),
           5: (4, (2, 3), 2, 3.0, True)}
_CONFUSED = ("TypeError", "ValueError", "NameError", "AttributeError")
"""Crashes that come from a type mix-up rather than a logic slip; such mutants are not used."""


class _OutOfSteps(BaseException):
    """Raised from the tracer; a BaseException so generated code cannot swallow it."""


def call_limited(fn: Callable[..., Any], args: Sequence[Any], budget: int = STEP_BUDGET
                 ) -> tuple[str, Any]:
    """Call fn under a step budget: ('ok', value), ('error', exception name) or ('timeout',
    None)."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        if count > budget:
            raise _OutOfSteps
        return tracer

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        return "ok", fn(*args)
    except _OutOfSteps:
        return "timeout", None
    except Exception as exc:
        return "error", type(exc).__name__
    finally:
        sys.settrace(old)


def load(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<diagnostic>", "exec"), namespace)
    return namespace


# --- building an item -------------------------------------------------------------------------

@functools.lru_cache(maxsize=1024)
def _compiled(code: str, name: str, xs: str) -> tuple[str, Callable[..., Any], tuple[Site, ...]]:
    """Normalised source, the function and its mutation sites (pure, so cached across items)."""
    source = ast.unparse(ast.parse(Fill(code.strip()).substitute(fn=name, xs=xs)))
    return source, load(source)[name], tuple(mutation_sites(source))


def _fresh(value: Any) -> Any:
    """A copy of a test argument (lists, tuples, scalars), so no call can alter the pool."""
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    return value


@dataclass
class _Func:
    name: str
    source: str
    sites: tuple[Site, ...]
    pool: list[tuple[tuple[Any, ...], Any]]  # distinct (args, expected) pairs


def _function(rng: random.Random, t: Template, difficulty: int, used: set[str]) -> _Func:
    choices = [i for i, n in enumerate(t.names) if n not in used]
    i = rng.choice(choices)
    name = t.names[i]
    source, fn, sites = _compiled(t.code, name, _LIST_NAMES[(i + len(t.code)) % len(_LIST_NAMES)])
    pool: list[tuple[tuple[Any, ...], Any]] = []
    seen: set[str] = set()
    for _ in range(8):
        args = t.inputs(rng, difficulty)
        if repr(args) not in seen:
            seen.add(repr(args))
            pool.append((args, fn(*_fresh(args))))
    return _Func(name, source, sites, pool)


def _call_text(name: str, args: tuple[Any, ...]) -> str:
    return f"{name}({', '.join(repr(a) for a in args)})"


@dataclass(frozen=True)
class _Mutant:
    site: Site
    func: int  # index of the mutated function
    source: str  # the mutated function
    line: int  # changed line within the function
    killer: int  # pool index of an input whose result it gets wrong
    outcome: tuple[str, Any]


def _find_mutant(rng: random.Random, funcs: list[_Func], subtle_weight: float,
                 subtle_only: bool, spot: float) -> _Mutant | None:
    """A mutant that some pool input exposes, as near as possible to the code line at relative
    position `spot` of the whole listing (the slot spreads bugs evenly from the first line to the
    last). Sites within a few lines of it are tried first, their kinds drawn by weight (subtle
    ones favoured by `subtle_weight`, or the only ones allowed), each kind's weight shared among
    its sites so that the many constants of a function do not crowd out the rarer kinds."""
    offsets = list(itertools.accumulate((len(f.source.split("\n")) + 1 for f in funcs),
                                        initial=0))
    lines = code_lines("\n\n".join(f.source for f in funcs).split("\n"))
    target = lines[int(spot * len(lines))]
    window = max(2, len(lines) // 6)
    candidates = [(fi, s) for fi, f in enumerate(funcs) for s in f.sites
                  if s.subtle or not subtle_only]
    per_kind = Counter(s.kind for _, s in candidates)
    keyed = sorted(((abs(offsets[fi] + s.line - target) // window,
                     -rng.random() ** (per_kind[s.kind] / (subtle_weight if s.subtle else 1.0)),
                     n) for n, (fi, s) in enumerate(candidates)))
    for *_, n in keyed:
        fi, site = candidates[n]
        f = funcs[fi]
        mutant = apply_site(f.source, site)
        try:
            mutant_fn = load(mutant)[f.name]
        except Exception:
            continue
        pool_order = list(range(len(f.pool)))
        rng.shuffle(pool_order)
        for k in pool_order:
            args, expected = f.pool[k]
            outcome = call_limited(mutant_fn, _fresh(args))
            if outcome[0] == "error" and outcome[1] in _CONFUSED:
                break
            if outcome[0] != "ok" or outcome[1] != expected:
                return _Mutant(site, fi, mutant, changed_lines(f.source, mutant)[0], k, outcome)
    return None


def _outcome_text(outcome: tuple[str, Any]) -> str:
    kind, value = outcome
    return repr(value) if kind == "ok" else (
        f"a {value}" if kind == "error" else "no result (it never finishes)")


def code_lines(listing: list[str]) -> list[int]:
    """Line numbers that hold code to check: not blank, not a docstring."""
    return [i for i, line in enumerate(listing, start=1)
            if line.strip() and not line.strip().startswith(('"', "'"))]


def _trace_steps(funcs: list[_Func], tests: list[tuple[int, int]], found: _Mutant) -> list[str]:
    """The tests run in order up to the first that the shown code fails."""
    mutant_fn = load(found.source)[funcs[found.func].name]
    steps = []
    for fi, k in tests:
        f = funcs[fi]
        args, expected = f.pool[k]
        outcome = (call_limited(mutant_fn, _fresh(args)) if fi == found.func
                   else ("ok", expected))
        if outcome == ("ok", expected):
            steps.append(f"{_call_text(f.name, args)} gives {expected!r}: the test passes.")
            continue
        steps.append(f"{_call_text(f.name, args)} should be {expected!r}, but the code gives "
                     f"{_outcome_text(outcome)}, so this test fails.")
        break
    return steps


def bug_hunt(rng: random.Random, difficulty: int, bank: Sequence[Template], slot: ErrorSlot
             ) -> Draft:
    n_funcs, sizes, per_fn, subtle_weight, subtle_only = _LEVELS[difficulty]
    while True:
        chosen = rng.sample([t for t in bank if t.size in sizes], n_funcs)
        used: set[str] = set()
        funcs = []
        for t in chosen:
            funcs.append(_function(rng, t, difficulty, used))
            used.add(funcs[-1].name)
        found = None if slot.clean else _find_mutant(rng, funcs, subtle_weight, subtle_only,
                                                     slot.spot)
        if slot.clean or found is not None:
            break
    source = "\n\n".join(f.source for f in funcs)
    shown_parts = [f.source for f in funcs]
    tests: list[tuple[int, int]] = []  # (function, pool index)
    for fi, f in enumerate(funcs):
        picks = rng.sample(range(len(f.pool)), min(per_fn, len(f.pool)))
        if found is not None and found.func == fi and found.killer not in picks:
            picks[rng.randrange(len(picks))] = found.killer
        tests += [(fi, k) for k in picks]
    test_code = [f"assert {_call_text(funcs[fi].name, funcs[fi].pool[k][0])} == "
                 f"{funcs[fi].pool[k][1]!r}" for fi, k in tests]
    answer, mutation = 0, None
    if found is not None:
        shown_parts[found.func] = found.source
        answer = sum(len(p.split("\n")) + 1 for p in shown_parts[:found.func]) + found.line
        f = funcs[found.func]
        orig_line = f.source.split("\n")[found.line - 1]
        bad_line = found.source.split("\n")[found.line - 1]
        steps = [*_trace_steps(funcs, tests, found),
                 f"The fault is line {answer}: `{bad_line.strip()}` breaks the docstring's "
                 f"contract; it should be `{orig_line.strip()}`.",
                 f"The answer is {answer}."]
        mutation = {"line": answer, "kind": found.site.kind, "original_line": orig_line,
                    "mutant_line": bad_line}
    else:
        steps = [f"This test passes: {t[len('assert '):]}." for t in test_code]
        steps.append("The code passes all the tests, so the answer is 0.")
    listing = "\n\n".join(shown_parts).split("\n")
    numbered = "\n".join(f"{i:>2} {line}" for i, line in enumerate(listing, start=1))
    prompt = ("This code should pass the tests below; one line may have been changed.\n"
              f"{numbered}\nTests:\n" + "\n".join(test_code)
              + "\nWhich line is wrong? Answer with the line number, or 0 if the code passes "
                "all the tests.")
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.LINE,
                 steps=tuple(steps), work=work_to_decide(answer, code_lines(listing)),
                 work_unit="lines",
                 meta={"code": "\n".join(listing), "original_code": source,
                       "test_code": "\n".join(test_code),
                       "functions": [f.name for f in funcs], "mutation": mutation})
