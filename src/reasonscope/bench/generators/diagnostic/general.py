"""diagnostic/general families: the first inconsistent line of an everyday document, 0 if clean.

Registered as `diagnostic.general.<family>`; the package docstring says what they share. Exactly
one seed in six is clean at every difficulty (phases 0 and 3 across the two families, so a
12-item suite slice of six seeds each holds two clean items).
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import itinerary as itinerary_mod
from reasonscope.bench.generators.diagnostic import receipt as receipt_mod
from reasonscope.bench.generators.diagnostic.common import error_slot
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.general.receipt", behavior=_DIAG, domain=Domain.GENERAL, version=2,
           why="The rounding and discount rules are stated and every line follows from those "
               "above it, so the work is re-checking each line in turn for the first "
               "inconsistent one; the arithmetic per line is one product, sum or percentage.")
def receipt(rng: random.Random, difficulty: int) -> Draft:
    """First inconsistent line of a shop receipt (line totals, subtotal, discount, tax, change).

    3 lines to check at level 1, 13-14 at level 5 (weighed items, a discount and tax at odd
    rates, notes with nothing to check).

    Clean exactly when (seed + difficulty + 3) % 6 == 0: one seed in six at every level.
    """
    return receipt_mod.receipt(rng, difficulty, error_slot(rng, 3, difficulty))


@generator("diagnostic.general.itinerary", behavior=_DIAG, domain=Domain.GENERAL, version=2,
           why="Every zone offset and duration is given, so the work is re-checking each clock "
               "time from the line above it in turn; nothing is recalled and each check is one "
               "addition of minutes and a zone change.")
def itinerary(rng: random.Random, difficulty: int) -> Draft:
    """First inconsistent line of a travel itinerary across given time zones.

    2 legs at level 1, 6 at level 5 (12 times to check, half-hour zones, several date
    changes).

    Clean exactly when (seed + difficulty) % 6 == 0: one seed in six at every level.
    """
    return itinerary_mod.itinerary(rng, difficulty, error_slot(rng, 0, difficulty))
