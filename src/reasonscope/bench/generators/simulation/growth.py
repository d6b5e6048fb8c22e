"""Grow a straight-line program one operation at a time, each chosen against the current state.

The list and string families build their programs here: an operation is kept only if it runs
cleanly, changes the state, leads to a state the program has not been in before (an edit that a
later one undoes is work a solver could skip), and runs every statement it adds. So each kept
line is a real step of the simulation, and indices drawn from the current state stay valid.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from reasonscope.bench.generators.simulation import program as P
from reasonscope.bench.generators.simulation.interpreter import (
    Budget,
    BudgetExceeded,
    Interpreter,
    unexercised,
)

Maker = Callable[[random.Random, dict[str, Any]], "list[P.Stmt] | P.Stmt | None"]
"""Proposes the next operation(s) from the current variables, or None when none fits."""


class Grower:
    def __init__(self, init: list[P.Stmt], names: tuple[str, ...], budget: Budget,
                 limits: dict[str, int] | None = None) -> None:
        self.names = names
        self.budget = budget
        self.limits = limits or {}
        self.used: Counter[str] = Counter()
        self.it = Interpreter(budget)
        self.it.run(tuple(init))
        self.ops: list[P.Stmt] = []
        self.changes = self.it.changes
        self.seen = {self._state(self.it.env)}

    @property
    def env(self) -> dict[str, Any]:
        return self.it.env

    def _state(self, env: dict[str, Any]) -> str:
        return repr([env[n] for n in self.names])

    def _states_passed(self, trial: Interpreter) -> list[str]:
        """The tracked state after each change the trial made (a loop passes through several:
        none of them may be one seen before, or the loop undoes work)."""
        current = {n: self.it.env[n] for n in self.names}
        out = []
        for _, changed in trial.trace:
            touched = False
            for name, value in changed:
                if name in current:
                    current[name] = value
                    touched = True
            if touched:
                out.append(repr([current[n] for n in self.names]))
        return out

    def try_add(self, stmts: list[P.Stmt], kind: str = "") -> bool:
        """Keep `stmts` if they run cleanly, all run, and every state they pass through is new
        (so they change the state, and do not undo earlier work even halfway through)."""
        if kind and self.used[kind] >= self.limits.get(kind, 1 << 30):
            return False
        trial = Interpreter(self.budget, record=True)
        trial.env = copy.deepcopy(self.it.env)
        try:
            trial.run(tuple(stmts))
        except (BudgetExceeded, IndexError, ValueError):
            return False
        passed = self._states_passed(trial)
        if (not passed or len(set(passed)) < len(passed) or self.seen.intersection(passed)
                or unexercised(tuple(stmts), trial)):
            return False
        self.seen.update(passed)
        self.it.env = trial.env
        self.ops += stmts
        self.changes += trial.changes
        self.used[kind] += 1
        return True

    def grow(self, rng: random.Random, makers: list[Maker], n_ops: int, min_changes: int = 0
             ) -> None:
        """Add operations until there are `n_ops` more and the run makes `min_changes`."""
        goal = len(self.ops) + n_ops
        for _ in range(60 * max(n_ops, min_changes, 1)):
            if len(self.ops) >= goal and self.changes >= min_changes:
                return
            maker = rng.choice(makers)
            made = maker(rng, self.it.env)
            if made is not None:
                self.try_add(made if isinstance(made, list) else [made], maker.__name__)
