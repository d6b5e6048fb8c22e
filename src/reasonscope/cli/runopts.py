"""The options `eval` and `probe` share: which items (Selection) and how to sample
(GenerationConfig), generated from those models so both commands take the same flags with the
same defaults."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from reasonscope.cli.errors import fail, validation_message, warn
from reasonscope.cli.modelopts import ModelOptions
from reasonscope.engine.task import EvalTask, Selection
from reasonscope.genconfig import GenerationConfig

SELECTION_OPTIONS = ModelOptions(
    Selection, "selection", aliases={"difficulties": ["--difficulty"]},
    panel="Item selection")
GENERATION_OPTIONS = ModelOptions(
    GenerationConfig, "generation", exclude=("instruction",), repeatable=("stop",),
    help={"stop": "stop string"}, panel="Generation")


def build_task(suite: str, selection: dict[str, Any], generation: dict[str, Any],
               base_generation: dict[str, Any] | None = None) -> EvalTask:
    """An EvalTask from the generated options; one error line naming the bad field."""
    try:
        gen = GenerationConfig(**{**(base_generation or {}), **generation})
        task = EvalTask(suite=suite, selection=Selection(**selection), generation=gen)
        if not task.items():
            raise ValueError(f"no items of {task.suite_name} selected (check --cells / "
                             "--difficulty / --per-cell / --limit)")
    except ValidationError as exc:
        raise fail(f"invalid option {validation_message(exc)}") from None
    except (FileNotFoundError, ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    return task


def budget_warning(task: EvalTask) -> None:
    """Say so when the token budget is below what the built-in suite's worked solutions need
    (the numbers would then measure truncation, not skill)."""
    from reasonscope.bench.suites import BUILTIN_SUITES

    spec = BUILTIN_SUITES.get(task.suite)
    need = spec.new_tokens if spec else None
    if need and task.generation.max_new_tokens < need:
        warn(f"{task.suite}'s longest worked solutions need about {need} new tokens; "
             f"--max-new-tokens {task.generation.max_new_tokens} may cut long answers "
             "(truncation is reported per cell)")


__all__ = ["GENERATION_OPTIONS", "SELECTION_OPTIONS", "budget_warning", "build_task"]
