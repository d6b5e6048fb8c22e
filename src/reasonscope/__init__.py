"""reasonscope: which reasoning skills a language model has, and how fine-tuning moves them.

The main job from Python::

    import reasonscope as rs

    task = rs.EvalTask.create("rs-synth-v1", per_cell=8)
    rs.evaluate(task, "path/to/base", "runs/base")
    rs.evaluate(task, "path/to/tuned", "runs/tuned")
    comparison = rs.compare(["runs/tuned"], base="runs/base")
    rs.write_report(comparison, "report.html")

Names load lazily, so `import reasonscope` stays cheap (no torch until a model is needed).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reasonscope.items import Item, ItemFileError, read_items, write_items
from reasonscope.taxonomy import AnswerType, Behavior, Domain

__version__ = "0.1.0"

_LAZY = {
    "EvalTask": "reasonscope.engine.task",
    "Selection": "reasonscope.engine.task",
    "GenerationConfig": "reasonscope.genconfig",
    "RunSummary": "reasonscope.api",
    "evaluate": "reasonscope.api",
    "probe": "reasonscope.api",
    "compare": "reasonscope.api",
    "write_report": "reasonscope.api",
    "load_run": "reasonscope.results.runs",
    "load_suite": "reasonscope.bench.suites",
    "Comparison": "reasonscope.results.profiles",
    "ComparisonError": "reasonscope.results.comparison",
    "ScoreResult": "reasonscope.scoring",
    "BACKENDS": "reasonscope.backends",
    "make_tiny_model": "reasonscope.organism.model",
    "register_backend": "reasonscope.backends",
}

if TYPE_CHECKING:
    from reasonscope.api import RunSummary, compare, evaluate, probe, write_report
    from reasonscope.backends import BACKENDS, register_backend
    from reasonscope.bench.suites import load_suite
    from reasonscope.engine.task import EvalTask, Selection
    from reasonscope.genconfig import GenerationConfig
    from reasonscope.organism.model import make_tiny_model
    from reasonscope.results.comparison import ComparisonError
    from reasonscope.results.profiles import Comparison
    from reasonscope.results.runs import load_run
    from reasonscope.scoring import ScoreResult


def score(item: Item, completion: str) -> ScoreResult:
    """Score one completion against an item (the scorer used by eval, rescore and GRPO)."""
    from reasonscope.scoring import score as _score

    return _score(item, completion)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'reasonscope' has no attribute {name!r}")


__all__ = ["BACKENDS", "AnswerType", "Behavior", "Comparison", "ComparisonError", "Domain",
           "EvalTask", "GenerationConfig", "Item", "ItemFileError", "RunSummary", "ScoreResult",
           "Selection", "__version__", "compare", "evaluate", "load_run", "load_suite",
           "make_tiny_model", "probe",
           "read_items", "register_backend", "score", "write_items", "write_report"]
