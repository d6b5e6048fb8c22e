"""diagnostic/general families: the first wrong step or line of a general artefact, 0 if clean.

Registered as `diagnostic.general.<family>`; the package docstring says what they share.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import itinerary as itinerary_mod
from reasonscope.bench.generators.diagnostic import receipt as receipt_mod
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.general.receipt", behavior=_DIAG, domain=Domain.GENERAL)
def receipt(rng: random.Random, difficulty: int) -> Draft:
    """First inconsistent line of a shop receipt (line totals, subtotal, discount, tax, change).

    Everyday arithmetic with the rounding rule stated; the later lines follow from the wrong one,
    so only a line-by-line check finds it.
    """
    return receipt_mod.receipt(rng, difficulty)


@generator("diagnostic.general.itinerary", behavior=_DIAG, domain=Domain.GENERAL)
def itinerary(rng: random.Random, difficulty: int) -> Draft:
    """First inconsistent line of a travel itinerary across given time zones.

    Arrivals, onward departures and the total travel time each follow from the line above;
    errors are clock slips and zone changes ignored or applied the wrong way.
    """
    return itinerary_mod.itinerary(rng, difficulty)
