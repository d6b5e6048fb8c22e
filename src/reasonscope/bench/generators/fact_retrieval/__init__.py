"""Fact-retrieval generators: questions whose answer is a stored fact, not a computation.

The families live in one helper module per subject (kept small); importing this module registers
all of them under `fact_retrieval.<domain>.<family>`.
"""

from __future__ import annotations

from reasonscope.bench.generators.fact_retrieval.coding import (
    exception_hierarchy,
    http_status,
    stdlib_module,
)
from reasonscope.bench.generators.fact_retrieval.general import calendar_facts, unicode_names
from reasonscope.bench.generators.fact_retrieval.iso import (
    country_codes,
    currency_codes,
    language_codes,
)
from reasonscope.bench.generators.fact_retrieval.math import (
    constant_digits,
    named_theorems,
    nth_prime,
    polyhedra,
)
from reasonscope.bench.generators.fact_retrieval.science import (
    elements,
    physical_constants,
    si_units,
)

__all__ = [
    "calendar_facts", "constant_digits", "country_codes", "currency_codes", "elements",
    "exception_hierarchy", "http_status", "language_codes", "named_theorems", "nth_prime",
    "physical_constants", "polyhedra", "si_units", "stdlib_module", "unicode_names",
]
