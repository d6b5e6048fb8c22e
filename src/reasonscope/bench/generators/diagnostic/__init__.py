"""Diagnostic families: an artefact with numbered steps or lines, at most one of them wrong; the
answer is the first wrong position, or 0 when everything is correct.

About a fifth of the artefacts are clean, so always naming a position does not pay. Errors are
injected into a correct artefact and everything after them follows from the wrong value, so only
the first error is identifiable and finding it takes checking each position, not comparing a final
answer. Difficulty grows with the length of the artefact, the subtlety of the error (small slips,
late positions) and distracting lines that need no checking.
"""

from __future__ import annotations

from reasonscope.bench.generators.diagnostic import coding, general, math, science

__all__ = ["coding", "general", "math", "science"]
