"""Shared pieces of the diagnostic families: which artefacts are clean, where the error goes, how
big a slip is, how much checking an item needs and how the verification trace reads.

Every family answers with a position (or 0). The clean share is fixed by a rule on the item's
seed and level, not drawn: exactly one seed in every `CLEAN_EVERY` consecutive seeds is clean, at
every difficulty, so a model that always names a position loses the same share at every level, and a
suite slice of consecutive seeds holds an exact number of clean items. The error position is
spread evenly over the positions that can hold one, so it is as often early as late and only
checking (not guessing "the last step") finds it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from reasonscope.bench.generators.base import ItemRandom

CLEAN_EVERY = 6
"""One artefact in every 6 consecutive seeds is clean (answer 0), whatever the difficulty."""

LINE_QUESTION = "Answer with the line number, or 0 if every line is consistent."
STEP_QUESTION = "Answer with the step number, or 0 if all steps are correct."


def item_seed(rng: random.Random) -> int:
    if not isinstance(rng, ItemRandom):
        raise TypeError("diagnostic families need the item's stream from Generator.rng "
                        f"(an ItemRandom carrying the seed), got {type(rng).__name__}")
    return rng.item_seed


_GOLDEN = (5 ** 0.5 - 1) / 2


@dataclass(frozen=True)
class ErrorSlot:
    """Whether an artefact is clean and, if not, where its error goes, fixed by seed and level.

    Clean exactly when (seed + difficulty + phase) is a multiple of `CLEAN_EVERY`: one seed in
    six at every level. Families sharing a cell take different phases: with the three phases
    0, 2 and 4, any four consecutive seeds of each of three families hold exactly two clean items
    between them (a 12-item suite slice drawn in turn), and with two families six seeds each hold
    one apiece; the level in the rule keeps a small slice (one seed per family at every level)
    from being all clean or all faulty. `spot` is the error's relative position in [0, 1), a
    golden-ratio sequence over seeds: consecutive seeds spread their errors evenly from the first
    position to the last, so the error is as often early as late and the work an item needs grows
    with the artefact's length, not with luck."""

    clean: bool
    spot: float

    def position(self, eligible: Sequence[int]) -> int:
        """The error's position among the eligible ones, or 0 when clean."""
        return 0 if self.clean else eligible[int(self.spot * len(eligible))]


def error_slot(rng: random.Random, phase: int, difficulty: int) -> ErrorSlot:
    seed = item_seed(rng)
    return ErrorSlot((seed + difficulty + phase) % CLEAN_EVERY == 0,
                     (seed + 7 * phase + 3 * difficulty) * _GOLDEN % 1.0)


def work_to_decide(answer: int, checkable: Sequence[int]) -> int:
    """Positions that must be checked to be sure of the answer: every checkable one up to and
    including the first wrong one, or all of them when the artefact is clean."""
    if answer == 0:
        return len(checkable)
    if answer not in checkable:
        raise ValueError(f"the answer {answer} is not a checkable position {list(checkable)}")
    return sum(1 for p in checkable if p <= answer)


def _transpose(rng: random.Random, value: int) -> int | None:
    """Swap two adjacent different digits (never creating a leading zero), or None."""
    digits = str(abs(value))
    spots = [i for i in range(len(digits) - 1)
             if digits[i] != digits[i + 1] and not (i == 0 and digits[1] == "0")]
    if not spots:
        return None
    i = rng.choice(spots)
    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
    return int(swapped) * (1 if value >= 0 else -1)


def slip_int(rng: random.Random, value: int, difficulty: int) -> int:
    """A plausible arithmetic slip: off by one or two, by ten or a hundred, or two digits swapped.

    Low levels use the small offsets (obvious once checked); from level 4 on, large values slip
    only in a middle digit or by a swap, so the last digit (a quick parity or units check) still
    matches and the wrong value looks as plausible as the right one."""
    kinds = ["near"]
    if difficulty >= 2 and abs(value) >= 20:
        kinds.append("ten")
    if difficulty >= 3 and abs(value) >= 200:
        kinds.append("hundred")
    if difficulty >= 3 and abs(value) >= 10:
        kinds.append("swap")
    if difficulty >= 4 and abs(value) >= 100:
        kinds.remove("near")
    for _ in range(10):
        kind = rng.choice(kinds)
        if kind == "swap":
            swapped = _transpose(rng, value)
            if swapped is not None and swapped != value:
                return swapped
            continue
        scale = {"near": 1, "ten": 10, "hundred": 100}[kind]
        delta = rng.choice([1, 2]) * scale if kind == "near" else scale
        return value + rng.choice([-1, 1]) * delta
    return value + rng.choice([-1, 1]) * (10 if abs(value) >= 100 else 1)


def slip_cents(rng: random.Random, cents: int, difficulty: int) -> int:
    """A money slip; a whole unit at level 1, down to a cent or swapped digits at level 5."""
    sizes = {1: [100, 50], 2: [100, 50, 10], 3: [10, 50, 100, 1], 4: [1, 10, 9, 100],
             5: [1, 2, 9, 10]}[difficulty]
    for _ in range(10):
        if difficulty >= 3 and rng.random() < 0.3:
            swapped = _transpose(rng, cents)
            if swapped is not None and swapped != cents and swapped >= 0:
                return swapped
        new = cents + rng.choice([-1, 1]) * rng.choice(sizes)
        if new >= 0 and new != cents:
            return new
    return cents + 100


def choose_error(rng: random.Random, options: Sequence[tuple[str, int]], difficulty: int
                 ) -> tuple[str, int]:
    """One of a line's wrong versions (kind, value). From level 4 the rule errors (a wrong way
    of working: a base, a sign, a date, a rounding) are drawn twice as often as plain slips, so
    most hard errors need the line re-derived, not just re-added."""
    weights = [2.0 if difficulty >= 4 and kind != "slip" else 1.0 for kind, _ in options]
    return rng.choices(list(options), weights=weights)[0]


def verdict_steps(checks: Sequence[tuple[str, bool]], unit: str, first_wrong: int) -> list[str]:
    """The verification trace: each position checked in order, stopping at the first failure."""
    out: list[str] = []
    for i, (text, ok) in enumerate(checks, start=1):
        out.append(f"{unit} {i}: {text}: {'correct' if ok else 'wrong'}.")
        if not ok:
            break
    if first_wrong:
        out.append(f"The first wrong {unit.lower()} is {first_wrong}, so the answer is "
                   f"{first_wrong}.")
    else:
        out.append(f"Every {unit.lower()} checks out, so the answer is 0.")
    return out
