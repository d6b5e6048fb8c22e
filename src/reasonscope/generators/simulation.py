"""Simulation generators: track a state through explicitly given update steps.

The families live in one module per domain (`_sim_math`, `_sim_science`, `_sim_coding` with
`_sim_sequences`, `_sim_general`); importing this module registers them all.
"""

from __future__ import annotations

from reasonscope.generators import (
    _sim_coding,
    _sim_general,
    _sim_math,
    _sim_science,
    _sim_sequences,
)

__all__ = ["_sim_coding", "_sim_general", "_sim_math", "_sim_science", "_sim_sequences"]
