"""diagnostic/science families: the first wrong step of a physics derivation, 0 if clean.

Registered as `diagnostic.science.<family>`; the package docstring says what they share. Exactly
one seed in six is clean at every difficulty (phases 0, 2 and 4 across the three families, so a
12-item suite slice of four seeds each holds two clean items).
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import science_scenarios as scenarios
from reasonscope.bench.generators.diagnostic.common import error_slot
from reasonscope.bench.generators.diagnostic.science_steps import derive
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.science.kinematics", behavior=_DIAG, domain=Domain.SCIENCE, version=2,
           why="Every step shows its formula, numbers and result and all constants are given, "
               "so the only work is re-deriving each step (formula and arithmetic) in turn to "
               "find the first wrong one; nothing is recalled and no answer is computed anew.")
def kinematics(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a car's cruise-and-brake derivation (speeds in km/h, times in min).

    Up to 13 steps at level 5 (distances, force, work, power, mean speed); the hard errors are a
    lost factor 2 in v^2/(2a), the braking work taken over the whole distance, minutes added to
    seconds.

    Clean exactly when (seed + difficulty + 4) % 6 == 0: one seed in six at every level.
    """
    return derive(rng, difficulty, scenarios.kinematics(rng, difficulty),
                  error_slot(rng, 4, difficulty))


@generator("diagnostic.science.circuit", behavior=_DIAG, domain=Domain.SCIENCE, version=2,
           why="Ohm's law and the series and parallel rules are standard and every value is "
               "given, so finding the first wrong step is checking each shown step against the "
               "right formula and its own numbers, not recalling or computing a result.")
def circuit(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in a resistor-network derivation (kΩ to Ω, parallel pair, currents,
    power, energy in kWh).

    Up to 13 steps at level 5; the hard errors are I*R^2 for I^2*R, the supply voltage used for
    the pair's voltage, joules turned into kWh with the factor of Wh.

    Clean exactly when (seed + difficulty) % 6 == 0: one seed in six at every level.
    """
    return derive(rng, difficulty, scenarios.circuit(rng, difficulty),
                  error_slot(rng, 0, difficulty))


@generator("diagnostic.science.gas_law", behavior=_DIAG, domain=Domain.SCIENCE, version=2,
           why="R and the molar mass are given and each step shows its formula and numbers, so "
               "the work is re-deriving each conversion and rearrangement in turn, with no "
               "recall and no fresh calculation of an answer.")
def gas_law(rng: random.Random, difficulty: int) -> Draft:
    """First wrong step in an ideal-gas derivation (°C to K, kPa to Pa, L to m^3, n = pV/RT,
    density, heating, rms speed).

    Up to 13 steps at level 5; the hard errors are p*V/R*T for p*V/(R*T), Celsius in a
    temperature ratio, litres where m^3 are needed, g/mol where kg/mol are needed.

    Clean exactly when (seed + difficulty + 2) % 6 == 0: one seed in six at every level.
    """
    return derive(rng, difficulty, scenarios.gas(rng, difficulty),
                  error_slot(rng, 2, difficulty))
