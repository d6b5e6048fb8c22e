"""Enumeration generators: counting the members of a finite space under constraints.

The families live in small modules (one to three families each, plus the regex and predicate
machinery they count with); importing this module registers all of them under
`enumeration.<domain>.<family>`.
"""

from __future__ import annotations

from reasonscope.bench.generators.enumeration.calendars import calendar_count
from reasonscope.bench.generators.enumeration.coding import regex_strings, true_inputs, true_pairs
from reasonscope.bench.generators.enumeration.genetics import mendel_cross
from reasonscope.bench.generators.enumeration.letters import letters
from reasonscope.bench.generators.enumeration.math import bounded_sums, grid_paths
from reasonscope.bench.generators.enumeration.microstates import microstates
from reasonscope.bench.generators.enumeration.seating import seating
from reasonscope.bench.generators.enumeration.spectral import spectral_lines
from reasonscope.bench.generators.enumeration.subsets import subsets

__all__ = [
    "bounded_sums", "calendar_count", "grid_paths", "letters", "mendel_cross", "microstates",
    "regex_strings", "seating", "spectral_lines", "subsets", "true_inputs", "true_pairs",
]
