"""diagnostic/science families: the first wrong step or line of a science artefact, 0 if clean.

Registered as `diagnostic.science.<family>`; the package docstring says what they share.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import science_steps
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.science.kinematics", behavior=_DIAG, domain=Domain.SCIENCE)
def kinematics(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a car's cruise-and-brake derivation (speeds in km/h, times in min).

    Errors are a wrong conversion factor, a mis-rearranged formula or an arithmetic slip; every
    step shows formula, substitution and result, so each can be re-evaluated from what it shows.
    """
    return science_steps.derive(rng, difficulty, science_steps.kinematics(rng, difficulty))


@generator("diagnostic.science.circuit", behavior=_DIAG, domain=Domain.SCIENCE)
def circuit(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a resistor-network derivation (kΩ to Ω, parallel pair, current, power).

    Ohm's law and the parallel rule are standard; the only work is checking each shown step
    against the right formula and its own numbers.
    """
    return science_steps.derive(rng, difficulty, science_steps.circuit(rng, difficulty))


@generator("diagnostic.science.gas_law", behavior=_DIAG, domain=Domain.SCIENCE)
def gas_law(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in an ideal-gas derivation (°C to K, kPa to Pa, L to m^3, n = pV/RT).

    R is given, so nothing is recalled; errors are the classic conversion and rearrangement
    mistakes or a slip in the arithmetic.
    """
    return science_steps.derive(rng, difficulty, science_steps.gas(rng, difficulty))
