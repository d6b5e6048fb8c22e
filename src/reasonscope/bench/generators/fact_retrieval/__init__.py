"""Fact-retrieval generators: questions whose answer is a stored fact, not a computation.

The families live in one helper module per subject (kept small); importing this module registers
all of them under `fact_retrieval.<domain>.<family>`. Nothing asked can be computed from the
prompt: weekdays of dates moved to calculation (calculation.general.calendar); positions of
primes (counting), Braille code points (spelled out by their dot numbers) and base-unit
exponents of SI units (derived from defining equations) are no longer asked.
"""

from __future__ import annotations

from reasonscope.bench.generators.fact_retrieval.coding import (
    exception_hierarchy,
    http_status,
    stdlib_module,
)
from reasonscope.bench.generators.fact_retrieval.constants import (
    constant_digits,
    named_constants_value,
)
from reasonscope.bench.generators.fact_retrieval.general import calendar_facts, unicode_names
from reasonscope.bench.generators.fact_retrieval.iso import (
    country_codes,
    currency_codes,
    language_codes,
)
from reasonscope.bench.generators.fact_retrieval.polyhedra import polyhedra
from reasonscope.bench.generators.fact_retrieval.science import (
    elements,
    physical_constants,
    si_units,
)
from reasonscope.bench.generators.fact_retrieval.theorems import named_theorems

__all__ = [
    "calendar_facts", "constant_digits", "country_codes", "currency_codes", "elements",
    "exception_hierarchy", "http_status", "language_codes", "named_constants_value",
    "named_theorems", "physical_constants", "polyhedra", "si_units", "stdlib_module",
    "unicode_names",
]
