"""fact_retrieval/science families: chemical elements, physical constants, SI units.

Facts come from maintained sources (periodictable, scipy.constants' CODATA table) or a small
curated table of SI units; tests cross-check them against hand-written tables and against unit
algebra. Difficulty is obscurity: light elements and c before superheavies and the Fermi
coupling constant.
"""

from __future__ import annotations

import math
import random
from functools import cache
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import (
    int_draft,
    load_facts,
    pick,
    string_draft,
)
from reasonscope.taxonomy import AnswerType, Behavior, Domain

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


@generator("fact_retrieval.science.elements", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.SCIENCE)
def elements(rng: random.Random, difficulty: int) -> Draft:
    """Atomic number, symbol or name of a chemical element given another of the three.

    Pure recall of the periodic table; common light elements first, superheavies last.
    """
    z, sym, name = pick(rng, element_tiers()[difficulty])
    title = name.capitalize()
    alt = _ALT_NAMES.get(name, [])
    kind = rng.choice(["symbol_of_name", "name_of_symbol", "z_of_name", "name_of_z",
                       "symbol_of_z"])
    meta = {"z": z, "kind": kind}
    step = [f"{title} has symbol {sym} and atomic number {z}."]
    if kind == "symbol_of_name":
        return string_draft(f"What is the chemical symbol of {name}?", sym, (), step, meta,
                            variants=False)
    if kind == "name_of_symbol":
        return string_draft(f"Which chemical element has the symbol {sym}? Give its name.",
                            title, alt, step, meta)
    if kind == "z_of_name":
        return int_draft(f"What is the atomic number of {name}? Give it as an integer.", z,
                         step, meta)
    if kind == "name_of_z":
        return string_draft(f"Which chemical element has atomic number {z}? Give its name.",
                            title, alt, step, meta)
    return string_draft(f"What is the chemical symbol of the element with atomic number {z}?",
                        sym, (), step, meta, variants=False)


# --------------------------------------------------------------------------- physical constants

# CODATA names as in scipy.constants, by tier; the reverse question (name from value) is asked
# for tiers 1-3 only, where the names are standard.
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
    "Newtonian constant of gravitation": ["gravitational constant", "G",
                                          "universal gravitational constant"],
    "Stefan-Boltzmann constant": ["Stefan's constant", "sigma"],
    "vacuum electric permittivity": ["permittivity of free space", "electric constant",
                                     "vacuum permittivity", "epsilon_0"],
    "vacuum mag. permeability": ["permeability of free space", "magnetic constant",
                                 "vacuum permeability", "mu_0"],
    "atomic mass constant": ["atomic mass unit", "unified atomic mass unit", "dalton", "u"],
    "fine-structure constant": ["fine structure constant", "alpha"],
    "Wien wavelength displacement law constant": ["Wien's displacement constant",
                                                  "Wien displacement constant"],
    "Rydberg constant": ["Rydberg's constant"],
}
_SIG = {1: 3, 2: 3, 3: 4, 4: 4, 5: 5}


def constant_value(key: str) -> tuple[float, str, float]:
    from scipy.constants import physical_constants

    value, unit, uncertainty = physical_constants[key]
    return float(value), str(unit), float(uncertainty)


@generator("fact_retrieval.science.physical_constants", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.SCIENCE)
def physical_constants(rng: random.Random, difficulty: int) -> Draft:
    """Value or order of magnitude of a CODATA constant, or the constant with a given value.

    Nothing in the prompt allows deriving the value; difficulty moves from c and h to obscure
    particle-physics constants and asks for more significant figures.
    """
    key = pick(rng, _CONSTANT_TIERS[difficulty])
    value, unit, unc = constant_value(key)
    name = _DISPLAY.get(key, key)
    unit_text = f"in {unit}" if unit else "(dimensionless)"
    kinds = ["value", "exponent"] + (["name"] if difficulty <= 3 else [])
    kind = rng.choice(kinds)
    step = [f"CODATA: {name} = {value:.12g} {unit}".rstrip()]
    meta: dict[str, Any] = {"constant": key, "kind": kind}
    if kind == "name":
        return string_draft(f"Which physical constant has the CODATA value {value:.12g}"
                            f"{' ' + unit if unit else ''}? Give its name.", name,
                            _CONSTANT_ALIASES.get(key, []), step, meta)
    if kind == "exponent":
        exp = math.floor(math.log10(abs(value)))
        mantissa = abs(value) / 10**exp
        magnitude = "the magnitude of " if value < 0 else ""
        return int_draft(f"Written in scientific notation {unit_text}, {magnitude}the {name} is "
                         "a × 10^n with 1 ≤ a < 10. What is n? Give it as an integer.", exp,
                         [*step, f"= {mantissa:.6g} × 10^{exp}"], meta)
    sig = _SIG[difficulty]
    tol = float(f"{max(6 * 10.0**-sig, 3 * unc / abs(value)):.2g}")
    return Draft(prompt=f"What is the value of the {name} {unit_text}? Give at least {sig} "
                        "significant figures.",
                 answer=f"{value:.12g}", answer_type=AnswerType.NUMBER, tolerance=tol,
                 steps=tuple(step), meta=meta)


# --------------------------------------------------------------------------- SI units

_BASE_NAMES = {"m": "metre (m)", "kg": "kilogram (kg)", "s": "second (s)", "A": "ampere (A)",
               "K": "kelvin (K)", "mol": "mole (mol)", "cd": "candela (cd)"}
_NO_SYMBOL_QUESTION = {"second", "siemens"}  # 's' and 'S' differ only by case


def _si_questions(difficulty: int) -> list[tuple[dict[str, Any], str]]:
    units = load_facts("si_units.json")
    out: list[tuple[dict[str, Any], str]] = []
    for u in units:
        if u["tier"] == difficulty:
            out += [(u, "unit_of_quantity"), (u, "quantity_of_unit")]
            if u["unit"] not in _NO_SYMBOL_QUESTION:
                out.append((u, "symbol"))
        derived = len(u["base"]) > 1 or any(v != 1 for v in u["base"].values()) or u["unit"] in (
            "hertz", "becquerel", "lumen", "degree Celsius")
        if u["exp_tier"] == difficulty and derived and u["base"]:
            out += [(u, f"exp:{b}") for b in ("kg", "m", "s", "A", "K", "mol", "cd")
                    if b in u["base"] or b in ("kg", "m", "s")]
    return out


@generator("fact_retrieval.science.si_units", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.SCIENCE)
def si_units(rng: random.Random, difficulty: int) -> Draft:
    """SI units: the unit of a quantity, the quantity of a unit, symbols, base-unit exponents.

    Definitions of the SI, recalled rather than derived; common mechanical units first, then
    electromagnetic, photometric and radiological units and their base-unit expansions.
    """
    u, kind = pick(rng, _si_questions(difficulty))
    base = " ".join(f"{b}^{e}" for b, e in u["base"].items()) or "1 (dimensionless)"
    step = [f"The {u['unit']} ({u['symbol']}) is the SI unit of {u['quantity'][0]}; "
            f"in base units it is {base}."]
    meta = {"unit": u["unit"], "kind": kind}
    if kind == "unit_of_quantity":
        return string_draft(f"What is the SI unit of {u['quantity'][0]}? Give its name.",
                            u["unit"], u["aliases"], step, meta)
    if kind == "quantity_of_unit":
        return string_draft(f"Which physical quantity has the {u['unit']} as its SI unit?",
                            u["quantity"][0], u["quantity"][1:], step, meta)
    if kind == "symbol":
        others = [a for a in u["aliases"] if a != u["symbol"] and len(a) <= 3]
        return string_draft(f"What is the symbol of the SI unit {u['unit']}?", u["symbol"],
                            others, step, meta, variants=False)
    b = kind.split(":")[1]
    return int_draft(f"When the {u['unit']} is written as a product of powers of SI base units, "
                     f"what is the exponent of the {_BASE_NAMES[b]}? Give an integer (0 if it "
                     "does not appear).", int(u["base"].get(b, 0)), step, meta)
