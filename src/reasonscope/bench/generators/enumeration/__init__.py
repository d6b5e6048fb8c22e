"""Enumeration generators: counting the members of a finite space under constraints.

The families live in one helper module per domain (kept small); importing this module registers
all of them under `enumeration.<domain>.<family>`.
"""

from __future__ import annotations

from reasonscope.bench.generators.enumeration.coding import regex_strings, true_inputs, true_pairs
from reasonscope.bench.generators.enumeration.general import calendar_count, letters
from reasonscope.bench.generators.enumeration.math import bounded_sums, grid_paths, subsets
from reasonscope.bench.generators.enumeration.microstates import microstates
from reasonscope.bench.generators.enumeration.science import mendel_cross, spectral_lines
from reasonscope.bench.generators.enumeration.seating import seating

__all__ = [
    "bounded_sums", "calendar_count", "grid_paths", "letters", "mendel_cross", "microstates",
    "regex_strings", "seating", "spectral_lines", "subsets", "true_inputs", "true_pairs",
]
