"""Calculation generators: fully specified computations whose only difficulty is exactness.

The families live in one helper module per domain (kept small); importing this module registers
all of them under `calculation.<domain>.<family>`.
"""

from __future__ import annotations

from reasonscope.bench.generators.calculation.coding import (
    bitwise_ops,
    float_semantics,
    integer_ops,
)
from reasonscope.bench.generators.calculation.general import clock, shopping, unit_conversion
from reasonscope.bench.generators.calculation.math import (
    fraction_arith,
    modular_power,
    prime_factorization,
)
from reasonscope.bench.generators.calculation.matrix import matrix_eigenvalues
from reasonscope.bench.generators.calculation.science import circuits, gas_laws, kinematics

__all__ = [
    "bitwise_ops", "circuits", "clock", "float_semantics", "fraction_arith", "gas_laws",
    "integer_ops", "kinematics", "matrix_eigenvalues", "modular_power", "prime_factorization",
    "shopping", "unit_conversion",
]
