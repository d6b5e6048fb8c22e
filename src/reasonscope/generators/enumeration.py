"""Enumeration generators: counting the members of a finite space under constraints.

The families live in one helper module per domain (kept small); importing this module registers
all of them under `enumeration.<domain>.<family>`.
"""

from __future__ import annotations

from reasonscope.generators._enum_coding import regex_strings, true_inputs, true_pairs
from reasonscope.generators._enum_general import calendar_count, letters
from reasonscope.generators._enum_math import bounded_sums, grid_paths, subsets
from reasonscope.generators._enum_microstates import microstates
from reasonscope.generators._enum_science import mendel_cross, spectral_lines
from reasonscope.generators._enum_seating import seating

__all__ = [
    "bounded_sums", "calendar_count", "grid_paths", "letters", "mendel_cross", "microstates",
    "regex_strings", "seating", "spectral_lines", "subsets", "true_inputs", "true_pairs",
]
