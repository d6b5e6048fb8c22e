"""Simulation generators: track a state through explicitly given update steps.

One module per domain, split where a domain grew: coding has `coding` (mixed programs), `lists`
and `strings` on the helpers `program` (plans and rendering), `interpreter`, `growth` and
`codeitems`; science has `science` and `decay`; general has `general` and `account`. Importing
this package registers them all under `simulation.<domain>.<family>`.
"""

from __future__ import annotations

from reasonscope.bench.generators.simulation import (
    account,
    coding,
    decay,
    general,
    lists,
    math,
    science,
    strings,
)

__all__ = ["account", "coding", "decay", "general", "lists", "math", "science", "strings"]
