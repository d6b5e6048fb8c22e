"""Shared pieces of the diagnostic families: how often an artefact is clean, where the error goes,
how big a slip is, and how the verification trace reads.

Every family answers with a position (or 0), so a model that always names some step must lose on
the clean share; and harder levels push the error late in long chains and make it small, which is
what makes checking (rather than spotting) necessary.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

CLEAN_SHARE = 0.22
"""Share of artefacts shown without an error (answer 0)."""

LINE_QUESTION = "Answer with the line number, or 0 if every line is consistent."
STEP_QUESTION = "Answer with the step number, or 0 if all steps are correct."


def is_clean(rng: random.Random) -> bool:
    return rng.random() < CLEAN_SHARE


def pick_position(rng: random.Random, eligible: Sequence[int], difficulty: int) -> int:
    """An error position; uniform at level 1, increasingly late at higher levels."""
    power = (difficulty - 1) / 2
    weights = [(rank + 1) ** power for rank in range(len(eligible))]
    return rng.choices(list(eligible), weights=weights)[0]


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

    Low levels use only the small offsets on small numbers (obvious once checked); high levels
    draw from all kinds, so the wrong value often looks just as plausible as the right one.
    """
    kinds = ["near"]
    if difficulty >= 2 and abs(value) >= 20:
        kinds.append("ten")
    if difficulty >= 3 and abs(value) >= 200:
        kinds.append("hundred")
    if difficulty >= 3 and abs(value) >= 10:
        kinds.append("swap")
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
    return value + rng.choice([-1, 1])


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
