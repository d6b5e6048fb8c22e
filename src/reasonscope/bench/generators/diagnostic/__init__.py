"""Diagnostic families: an artefact with numbered steps or lines, at most one of them wrong; the
answer is the first wrong position, or 0 when everything is correct.

Exactly one seed in six is clean, at every difficulty (a rule on the seed, `common.ErrorSlot`),
so always naming a position loses the same share at every level. Errors are injected into a
correct artefact and everything after them follows from the wrong value, so only the first error
is identifiable and finding it takes checking each position, not comparing a final answer; the
error's position is spread evenly over the artefact. An item's work is the number of positions
that must be checked to be sure of the answer (up to the first error, or all when clean), and it
grows with difficulty through the artefact's length. Low levels inject slips a re-check catches
at once; level 5 injects errors that look right and need the step re-derived (a sign lost, an
order of operations broken, a factor lost in a rearrangement, a unit converted with the wrong
power, a loop bound off by one).
"""

from __future__ import annotations

from reasonscope.bench.generators.diagnostic import coding, general, math, science

__all__ = ["coding", "general", "math", "science"]
