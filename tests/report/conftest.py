"""The report tests reuse the simulated run directories of the statistics tests."""

from __future__ import annotations

import sys
from pathlib import Path

STATS_TESTS = Path(__file__).resolve().parents[1] / "stats"
if str(STATS_TESTS) not in sys.path:
    sys.path.insert(0, str(STATS_TESTS))
