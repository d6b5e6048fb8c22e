"""fact_retrieval/science families: chemical elements, physical constants, units.

Facts come from maintained sources (periodictable, scipy.constants' CODATA table) or a small
curated table of SI and CGS units; tests cross-check them against hand-written tables. Nothing
asked follows from the prompt: base-unit expansions of derived units (derivable from their
defining equations) are not asked. Difficulty is obscurity and the number of facts: light
elements and c alone at level 1, five superheavy elements or CGS units at level 5.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from functools import cache
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import Precision, Resample, rounded_answer
from reasonscope.bench.generators.fact_retrieval.common import (
    Fact,
    int_fact,
    level_draft,
    load_facts,
    pick,
    single_draft,
    string_fact,
)
from reasonscope.taxonomy import AnswerType, Behavior, Domain

SYMBOL_NOTE = "Write each symbol with its usual capitalisation."

# --------------------------------------------------------------------------- elements

_COMMON = {1: "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Fe Cu Zn Ag Au Hg Pb Sn I Ni",
           2: "Sc Ti V Cr Mn Co Ga Ge As Se Br Kr Pt U W Xe Ba Sr Rn Ra Pu"}
_ALT_NAMES = {"aluminum": ["aluminium"], "cesium": ["caesium"], "sulfur": ["sulphur"]}


@cache
def element_tiers() -> dict[int, list[tuple[int, str, str]]]:
    """(Z, symbol, name) per obscurity tier."""
    import periodictable

    rows = [(e.number, e.symbol, e.name) for e in periodictable.elements if e.number > 0]
    fixed = {sym: t for t, text in _COMMON.items() for sym in text.split()}
    tiers: dict[int, list[tuple[int, str, str]]] = {t: [] for t in range(1, 6)}
    for z, sym, name in sorted(rows):
        tier = fixed.get(sym) or (2 if z <= 36 else 3 if z <= 56 else 4 if z <= 86 else 5)
        tiers[tier].append((z, sym, name))
    return tiers


def element_facts(z: int, sym: str, name: str) -> list[Fact]:
    title, alt = name.capitalize(), _ALT_NAMES.get(name, [])
    step = f"{title} has symbol {sym} and atomic number {z}."
    key, meta = f"Z{z}", {"z": z}
    return [
        Fact(key, f"What is the chemical symbol of {name}?", sym, step, case_sensitive=True,
             meta={**meta, "kind": "symbol_of_name"}),
        Fact(key, f"What is the chemical symbol of the element with atomic number {z}?", sym,
             step, case_sensitive=True, meta={**meta, "kind": "symbol_of_z"}),
        int_fact(key, f"What is the atomic number of {name}?", z, step,
                 meta={**meta, "kind": "z_of_name"}),
        string_fact(key, f"Which chemical element has the symbol {sym}?", title, step, alt,
                    hint="Give its name.", listable=not alt,
                    meta={**meta, "kind": "name_of_symbol"}),
        string_fact(key, f"Which chemical element has atomic number {z}?", title, step, alt,
                    hint="Give its name.", listable=not alt, meta={**meta, "kind": "name_of_z"}),
    ]


@generator("fact_retrieval.science.elements", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.SCIENCE, version=2,
           why="Symbol, name and atomic number are entries of the periodic table that nothing in "
               "the prompt determines, so the item is recall; there is nothing to compute, and "
               "level d asks d elements of rarer tiers.")
def elements(rng: random.Random, difficulty: int) -> Draft:
    """Atomic number, symbol or name of chemical elements given another of the three."""
    return level_draft(rng, difficulty, _element_pool(difficulty), case_note=SYMBOL_NOTE)


@cache
def _element_pool(tier: int) -> tuple[Fact, ...]:
    return tuple(f for row in element_tiers()[tier] for f in element_facts(*row))


# --------------------------------------------------------------------------- physical constants

# CODATA names as in scipy.constants, by tier; the reverse question (name from value) is asked
# at level 1 only, where the names are standard.
_CONSTANT_TIERS: dict[int, tuple[str, ...]] = {
    1: ("speed of light in vacuum", "standard acceleration of gravity", "Avogadro constant",
        "Planck constant", "elementary charge", "Boltzmann constant", "molar gas constant",
        "standard atmosphere", "electron volt", "Faraday constant", "reduced Planck constant"),
    2: ("Newtonian constant of gravitation", "electron mass", "proton mass", "neutron mass",
        "Stefan-Boltzmann constant", "vacuum electric permittivity", "atomic mass constant",
        "vacuum mag. permeability", "Bohr radius", "Rydberg constant"),
    3: ("fine-structure constant", "inverse fine-structure constant",
        "Wien wavelength displacement law constant", "Bohr magneton",
        "Boltzmann constant in eV/K", "electron mass energy equivalent in MeV",
        "proton-electron mass ratio", "Rydberg constant times hc in eV",
        "Planck constant in eV/Hz", "molar volume of ideal gas (273.15 K, 101.325 kPa)"),
    4: ("nuclear magneton", "Compton wavelength", "classical electron radius", "Hartree energy",
        "conductance quantum", "von Klitzing constant", "Josephson constant", "muon mass",
        "proton mass energy equivalent in MeV", "characteristic impedance of vacuum",
        "Planck length", "Planck mass", "Planck time", "first radiation constant",
        "second radiation constant", "Loschmidt constant (273.15 K, 101.325 kPa)"),
    5: ("Fermi coupling constant", "weak mixing angle", "deuteron mass", "alpha particle mass",
        "electron g factor", "proton gyromag. ratio", "Thomson cross section", "tau mass",
        "neutron mag. mom.", "electron mag. mom.", "Planck temperature",
        "Wien frequency displacement law constant", "electron mass in u", "proton mass in u",
        "neutron mass in u", "muon g factor", "electron charge to mass quotient"),
}
_DISPLAY = {"vacuum mag. permeability": "vacuum magnetic permeability",
            "proton gyromag. ratio": "proton gyromagnetic ratio",
            "neutron mag. mom.": "neutron magnetic moment",
            "electron mag. mom.": "electron magnetic moment"}
_CONSTANT_ALIASES = {
    "speed of light in vacuum": ["speed of light", "c"],
    "standard acceleration of gravity": ["standard gravity", "g", "g_n", "standard gravitational "
                                         "acceleration", "acceleration due to gravity"],
    "Avogadro constant": ["Avogadro's number", "Avogadro's constant", "N_A"],
    "Planck constant": ["Planck's constant", "h"],
    "reduced Planck constant": ["h-bar", "hbar", "Dirac constant", "ħ"],
    "elementary charge": ["electron charge", "charge of the electron", "e"],
    "Boltzmann constant": ["Boltzmann's constant", "k_B", "k"],
    "molar gas constant": ["gas constant", "universal gas constant", "ideal gas constant", "R"],
    "standard atmosphere": ["atmosphere", "atm", "standard atmospheric pressure"],
    "electron volt": ["electronvolt", "eV"],
    "Faraday constant": ["Faraday's constant", "F"],
}
CONSTANT_SIG = 3
"""Significant figures asked for a constant's value: stable across CODATA editions."""


def constant_value(key: str) -> tuple[float, str, float]:
    from scipy.constants import physical_constants

    value, unit, uncertainty = physical_constants[key]
    return float(value), str(unit), float(uncertainty)


def _sci(value: Fraction) -> str:
    """A rounded value as plain text, in e-notation outside 1e-3 .. 1e6."""
    if Fraction(1, 1000) <= abs(value) < 10**6:
        return str(float(value)).removesuffix(".0")
    exp = math.floor(math.log10(abs(value)))
    while abs(value) / Fraction(10) ** exp >= 10:
        exp += 1
    while abs(value) / Fraction(10) ** exp < 1:
        exp -= 1
    mantissa = value / Fraction(10) ** exp
    return f"{round(float(mantissa), CONSTANT_SIG - 1):g}e{exp}"


def stable_rounding(value: float, uncertainty: float) -> tuple[str, float] | None:
    """(canonical text, tolerance) of the value to CONSTANT_SIG figures, or None when the
    rounding is not settled by the measurement (the value +- 3 standard uncertainties, or the
    value itself, is too near a rounding midpoint)."""
    precision = Precision(sig=CONSTANT_SIG)
    try:
        texts = {rounded_answer(value + d * 3 * uncertainty, precision)[0] for d in (-1, 0, 1)}
        text, tolerance = rounded_answer(value, precision)
    except Resample:
        return None
    if len(texts) != 1:
        return None
    return _sci(Fraction(text)), tolerance


def constant_facts(key: str) -> list[Fact]:
    value, unit, unc = constant_value(key)
    name = _DISPLAY.get(key, key)
    # a unit is named once: "electron mass energy equivalent in MeV" already says it
    unit_text = "" if " in " in key else f" in {unit}" if unit else " (a pure number)"
    step = f"CODATA: {name} = {value:.12g} {unit}".rstrip() + "."
    meta = {"constant": key}
    facts: list[Fact] = []
    exp = math.floor(math.log10(abs(value)))
    magnitude = "the magnitude of " if value < 0 else ""
    facts.append(int_fact(key, f"Written in scientific notation{unit_text}, {magnitude}the {name} "
                               "is a × 10^n with 1 ≤ a < 10. What is n?", exp,
                          f"{step} That is {abs(value) / 10**exp:.6g} × 10^{exp}.",
                          meta={**meta, "kind": "exponent"}))
    rounded = stable_rounding(value, unc)
    if rounded is not None:
        text, tolerance = rounded
        facts.append(Fact(key, f"What is the value of the {name}{unit_text}, rounded to "
                               f"{CONSTANT_SIG} significant figures?", text, step,
                          AnswerType.NUMBER, tolerance=tolerance,
                          meta={**meta, "kind": "value", "precision": {"sig": CONSTANT_SIG}}))
    return facts


@cache
def _constant_pool(tier: int) -> tuple[Fact, ...]:
    return tuple(f for key in _CONSTANT_TIERS[tier] for f in constant_facts(key))


@generator("fact_retrieval.science.physical_constants", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.SCIENCE, version=2,
           why="A CODATA value cannot be derived from the prompt (nothing but the constant's "
               "name is given), so the item is recall; rounding to 3 figures is trivial, and "
               "level d asks d constants of rarer tiers.")
def physical_constants(rng: random.Random, difficulty: int) -> Draft:
    """Value or order of magnitude of CODATA constants, or the constant with a given value."""
    pool = _constant_pool(difficulty)
    if difficulty > 1:
        return level_draft(rng, difficulty, pool,
                           note="Write each value as a plain number or in e-notation "
                                "(for example 6.63e-34).")
    if rng.random() < 0.3:
        key = pick(rng, _CONSTANT_TIERS[1])
        value, unit, _ = constant_value(key)
        name = _DISPLAY.get(key, key)
        return single_draft(string_fact(
            key, f"Which physical constant has the CODATA value {value:.12g}"
                 f"{' ' + unit if unit else ''}?", name, f"CODATA: {name} = {value:.12g} {unit}.",
            _CONSTANT_ALIASES.get(key, []), hint="Give its name.", meta={"constant": key,
                                                                        "kind": "name"}))
    return single_draft(pick(rng, pool))


# --------------------------------------------------------------------------- units


def unit_facts(u: dict[str, Any]) -> list[Fact]:
    system = u["system"]
    what = f"the {system} unit of {u['quantity'][0]}"
    step = f"The {u['unit']} ({u['symbol']}) is {what}."
    key, meta = u["unit"], {"unit": u["unit"]}
    facts = [
        Fact(key, f"What is the symbol of {what}?", u["symbol"], step, case_sensitive=True,
             meta={**meta, "kind": "symbol_of_quantity"}),
        string_fact(key, f"What is {what}?", u["unit"], step, u["aliases"], hint="Give its name.",
                    meta={**meta, "kind": "unit_of_quantity"}),
        string_fact(key, f"Which physical quantity has the {u['unit']} as its {system} unit?",
                    u["quantity"][0], step, u["quantity"][1:], meta={**meta,
                                                                     "kind": "quantity_of_unit"}),
    ]
    if u["unit"] not in ("second", "siemens"):  # 's' and 'S' differ only by case
        # asked alone only: many symbols abbreviate the unit's name (dyn, erg, kat)
        facts.append(Fact(key, f"What is the symbol of the {system} unit {u['unit']}?",
                          u["symbol"], step, case_sensitive=True, listable=False,
                          meta={**meta, "kind": "symbol"}))
    return facts


@generator("fact_retrieval.science.si_units", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.SCIENCE, version=2,
           why="Unit names and symbols are conventions of the SI and CGS systems that no "
               "reasoning from the prompt yields (base-unit expansions, which follow from "
               "defining equations, are not asked); level d asks d units of rarer tiers.")
def si_units(rng: random.Random, difficulty: int) -> Draft:
    """Units: the unit of a quantity, the quantity of a unit, symbols (CGS units at level 5)."""
    return level_draft(rng, difficulty, _unit_pool(difficulty), case_note=SYMBOL_NOTE)


@cache
def _unit_pool(tier: int) -> tuple[Fact, ...]:
    return tuple(f for u in load_facts("si_units.json") if u["tier"] == tier
                 for f in unit_facts(u))
