"""Calculation generators: fully specified computations whose only difficulty is exactness.

The families live in one helper module per topic (kept small); importing this module registers
all of them under `calculation.<domain>.<family>`. Every family's work count is the number of
arithmetic operations (or trial divisions) its own solver performs.
"""

from __future__ import annotations

from reasonscope.bench.generators.calculation.calendar import calendar
from reasonscope.bench.generators.calculation.circuits import circuits
from reasonscope.bench.generators.calculation.clock import clock
from reasonscope.bench.generators.calculation.coding import (
    bitwise_ops,
    float_semantics,
    integer_ops,
)
from reasonscope.bench.generators.calculation.gases import gas_laws
from reasonscope.bench.generators.calculation.kinematics import kinematics
from reasonscope.bench.generators.calculation.math import (
    fraction_arith,
    modular_power,
    prime_factorization,
)
from reasonscope.bench.generators.calculation.matrix import matrix_eigenvalues
from reasonscope.bench.generators.calculation.shopping import shopping
from reasonscope.bench.generators.calculation.units import unit_conversion

__all__ = [
    "bitwise_ops", "calendar", "circuits", "clock", "float_semantics", "fraction_arith",
    "gas_laws", "integer_ops", "kinematics", "matrix_eigenvalues", "modular_power",
    "prime_factorization", "shopping", "unit_conversion",
]
