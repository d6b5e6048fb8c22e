"""Procedural item generators, one module per behavior, each with its four domains' families."""

from __future__ import annotations

import importlib

from reasonscope.bench.generators.base import (
    REGISTRY,
    Draft,
    Generator,
    all_generators,
    generator,
    generators_for,
)

BEHAVIOR_MODULES = ("calculation", "enumeration", "simulation", "fact_retrieval", "diagnostic")


def load_all() -> None:
    """Import every behavior module so its families register (idempotent)."""
    for name in BEHAVIOR_MODULES:
        importlib.import_module(f"reasonscope.bench.generators.{name}")


__all__ = ["REGISTRY", "Draft", "Generator", "all_generators", "generator", "generators_for",
           "load_all"]
