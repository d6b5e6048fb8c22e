"""Simulation generators: track a state through explicitly given update steps.

One module per domain (`coding` with its helpers `program` and `sequences`); importing this
package registers them all under `simulation.<domain>.<family>`.
"""

from __future__ import annotations

from reasonscope.bench.generators.simulation import coding, general, math, science, sequences

__all__ = ["coding", "general", "math", "science", "sequences"]
