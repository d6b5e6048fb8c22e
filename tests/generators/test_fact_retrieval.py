"""Fact-retrieval generators: shape, scoring, nothing computable, math and science cells.

Digits and constants against mpmath, polyhedra against Euler's formula and their vertex
configurations, elements, constants and units against hand tables written here (the coding and
general cells are in test_fact_retrieval_tables). A list item's answer is checked fact by fact:
each numbered sub-question is re-answered from the second source. No family asks what the prompt
lets one compute (weekdays, prime positions, Braille code points, unit exponents).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from statistics import mean
from typing import Any

import pytest

import reasonscope.bench.generators.fact_retrieval  # noqa: F401  (registers the families)
from reasonscope.bench.generators.base import REGISTRY, Generator
from reasonscope.bench.generators.fact_retrieval.common import load_facts
from reasonscope.items import Item
from reasonscope.scoring import score
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .rs_genkit import items_of
from .rs_genkit import search as _search

SEEDS = range(40)
LEVELS = range(1, 6)
FACT = sorted((g for g in REGISTRY.values() if g.behavior is Behavior.FACT_RETRIEVAL),
              key=lambda g: g.name)
SMALL_POOLS = {"fact_retrieval.math.named_constants": 2, "fact_retrieval.math.polyhedra": 12}


def _items(name: str, seeds: range = SEEDS) -> list[Item]:
    return items_of(name, seeds)


def _pairs(item: Item) -> Iterator[tuple[str, str]]:
    """(question, answer) for each fact the item asks: the prompt itself, or each numbered
    sub-question of a list item with its element of the answer."""
    if item.answer_type is not AnswerType.LIST or "Answer these" not in item.prompt:
        yield item.prompt, item.answer
        return
    answers = item.answer.split(", ")
    k = len(answers)
    body = item.prompt.split(" questions. ", 1)[1].rsplit(f" Give the {k} answers", 1)[0]
    questions = []
    for i in range(k, 1, -1):
        body, _, question = body.rpartition(f" ({i}) ")
        questions.append(question)
    questions.append(body.removeprefix("(1) "))
    yield from zip(reversed(questions), answers, strict=True)


def _fact_meta(item: Item) -> list[dict[str, Any]]:
    """The record of each fact asked, in order (a single fact's record is the item's meta)."""
    return list(item.meta.get("fact_meta", [item.meta]))


def _found(record: Any) -> Any:
    """A pycountry look-up that must succeed."""
    assert record is not None
    return record


def _accepted(item: Item) -> set[str]:
    return {item.answer.casefold(), *(a.casefold() for a in item.meta.get("aliases", []))}


def _boxed(text: str) -> str:
    return f"So the answer is \\boxed{{{text}}}."


# --------------------------------------------------------------------------- registry and shape


def test_every_cell_has_at_least_two_families() -> None:
    for domain in Domain:
        names = [g.name for g in FACT if g.domain is domain]
        assert len(names) >= 2, (domain, names)


@pytest.mark.parametrize("gen", FACT, ids=lambda g: g.name)
def test_items_are_deterministic_and_well_formed(gen: Generator) -> None:
    for d in LEVELS:
        for seed in range(8):
            a, b = gen(seed, d), gen(seed, d)
            assert a == b and a.to_json() == b.to_json()
            json.dumps(a.meta)
            aliases = a.meta.get("aliases", [])
            assert all(isinstance(x, str) and x for x in aliases)
            assert a.answer.casefold() not in {x.casefold() for x in aliases}
            assert a.answer in a.meta["steps"][-1]
            assert len(a.meta["facts"]) == a.meta["work"] or a.meta["work_unit"] == "digits"
            assert a.tolerance is not None if a.answer_type is AnswerType.NUMBER else True


def test_same_items_in_a_fresh_process() -> None:
    code = ("import json, reasonscope.bench.generators.fact_retrieval\n"
            "from reasonscope.bench.generators.base import REGISTRY\n"
            "print(json.dumps([REGISTRY[n](s, d).id for n in sorted(REGISTRY) "
            "if n.startswith('fact_retrieval.') for d in range(1, 6) for s in range(4)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "777", "PATH": ""})
    here = [g(s, d).id for g in FACT for d in LEVELS for s in range(4)]
    assert json.loads(out.stdout) == here


@pytest.mark.parametrize("gen", FACT, ids=lambda g: g.name)
def test_prompt_space_and_level_one_brevity(gen: Generator) -> None:
    level1 = [gen(s, 1).prompt for s in range(200)]
    assert len(set(level1)) >= SMALL_POOLS.get(gen.name, 30)
    assert mean(len(p) for p in level1) < 200
    for d in range(2, 6):
        assert len({gen(s, d).prompt for s in range(200)}) >= SMALL_POOLS.get(gen.name, 25), d


@pytest.mark.parametrize("domain", list(Domain), ids=lambda d: d.value)
def test_each_cell_has_enough_distinct_prompts_per_level(domain: Domain) -> None:
    gens = [g for g in FACT if g.domain is domain]
    for d in LEVELS:
        assert len({g(s, d).prompt for g in gens for s in range(40)}) >= 24, (domain, d)


@pytest.mark.parametrize("gen", FACT, ids=lambda g: g.name)
def test_level_one_and_level_five_ask_different_facts(gen: Generator) -> None:
    """Obscurity tiers do not overlap: no fact asked at level 1 comes back at level 5."""
    easy = {k for s in range(150) for k in gen(s, 1).meta["facts"]}
    hard = {k for s in range(150) for k in gen(s, 5).meta["facts"]}
    assert not easy & hard, sorted(easy & hard)[:5]


def test_nothing_asked_can_be_computed_from_the_prompt() -> None:
    banned = re.compile(r"day of the week|position in the list of primes|BRAILLE|exponent of "
                        r"the|leap year|prime number\?", re.I)
    for gen in FACT:
        for item in (gen(s, d) for d in LEVELS for s in range(40)):
            assert not banned.search(item.prompt), item.prompt
            assert not banned.search(item.answer), item.answer


def test_generation_is_fast() -> None:
    import time

    start = time.perf_counter()
    n = len([g(s, d) for g in FACT for d in LEVELS for s in range(15)])
    assert n == len(FACT) * 75 and time.perf_counter() - start < 5


@pytest.mark.parametrize("gen", FACT, ids=lambda g: g.name)
def test_scorer_accepts_the_answer_and_rejects_near_misses(gen: Generator) -> None:
    """Number answers: one unit off in the last requested digit is wrong. Lists: swapping two
    different elements is wrong; a case-sensitive list refuses another capitalisation."""
    for item in (gen(s, d) for d in LEVELS for s in range(10)):
        assert score(item, _boxed(item.answer)).correct, item.answer
        if item.answer_type is AnswerType.NUMBER:
            sig = item.meta["precision"]["sig"]
            assert f"rounded to {sig} significant figures" in item.prompt
            gold = Fraction(item.answer)
            unit = Fraction(10) ** (Decimal(item.answer).adjusted() - sig + 1)
            assert item.tolerance == pytest.approx(float(unit / 2 / abs(gold)), rel=1e-9)
            for off in (gold + unit, gold - unit):
                text = str(Decimal(off.numerator) / Decimal(off.denominator))
                assert not score(item, _boxed(text)).correct, (item.answer, text)
        if item.answer_type is AnswerType.LIST:
            parts = item.answer.split(", ")
            for i, j in ((0, 1), (0, len(parts) - 1)):
                if parts[i].casefold() != parts[j].casefold():
                    swapped = parts.copy()
                    swapped[i], swapped[j] = swapped[j], swapped[i]
                    assert not score(item, _boxed(", ".join(swapped))).correct
            if item.meta.get("case_sensitive") and item.answer.swapcase() != item.answer:
                assert not score(item, _boxed(item.answer.swapcase())).correct


# --------------------------------------------------------------------------- math


def test_constant_digits_match_mpmath() -> None:
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 340
    ref = {"π": mpmath.pi, "e": mpmath.e, "√2": mpmath.sqrt(2), "√3": mpmath.sqrt(3),
           "φ": (1 + mpmath.sqrt(5)) / 2, "ln": mpmath.log(2)}
    for item in _items("fact_retrieval.math.constant_digits"):
        m = _search(r"the (\d+)(?:st|nd|rd|th) digit after the decimal point of (\S+)",
                    item.prompt)
        n = int(m[1])
        text = mpmath.nstr(ref[m[2]], 330, strip_zeros=False)
        assert int(item.answer) == int(text.split(".")[1][n - 1]), item.prompt
        assert item.meta["work"] == n


def test_named_constants_match_mpmath() -> None:
    mp = pytest.importorskip("mpmath").mp
    mp.dps = 40
    ref = {"pi": mp.pi, "e": mp.e, "ln2": mp.ln2, "ln10": mp.ln10, "euler_gamma": mp.euler,
           "catalan": mp.catalan, "apery": mp.apery, "glaisher": mp.glaisher,
           "khinchin": mp.khinchin, "twin_prime": mp.twinprime, "mertens": mp.mertens,
           "euler_gompertz": mp.e * mp.e1(1), "soldner": mp.findroot(mp.li, 1.45)}
    for row in load_facts("math_constants.json")["constants"]:
        assert abs(Fraction(row["value"]) - Fraction(str(ref[row["key"]]))) < Fraction(1, 10**14)
    for item in _items("fact_retrieval.math.named_constants"):
        sig = item.meta["precision"]["sig"]
        value = Decimal(str(ref[item.meta["constant"]]))
        assert Decimal(item.answer) == Decimal(f"{value:.{sig}g}"), item.prompt


def test_polyhedra_data_is_consistent() -> None:
    data = load_facts("polyhedra.json")
    for s in data["solids"]:
        v, e, f = s["V"], s["E"], s["F"]
        assert v - e + f == 2, s["name"]
        faces = {int(k): c for k, c in s["faces"].items()}
        assert sum(faces.values()) == f and sum(k * c for k, c in faces.items()) == 2 * e
        config = [int(x) for x in s["vertex_config"].split(".")]
        assert v * len(config) == 2 * e  # each vertex has one edge per face around it
        for k, c in faces.items():
            assert c * k == v * config.count(k), (s["name"], k)
    assert len(data["catalan_duals"]) == 13


_KNOWN_SOLIDS = {"cube": (6, 12, 8), "icosahedron": (20, 30, 12), "tetrahedron": (4, 6, 4),
                 "octahedron": (8, 12, 6), "dodecahedron": (12, 30, 20),
                 "truncated icosahedron": (32, 90, 60), "snub dodecahedron": (92, 150, 60),
                 "rhombic dodecahedron": (12, 24, 14), "pentagonal hexecontahedron": (60, 150, 92),
                 "triakis tetrahedron": (12, 18, 8), "cuboctahedron": (14, 24, 12),
                 "rhombic triacontahedron": (30, 60, 32), "tetrakis hexahedron": (24, 36, 14),
                 "truncated octahedron": (14, 36, 24), "rhombicuboctahedron": (26, 48, 24)}
_FACE_TYPES = {("truncated icosahedron", "hexagonal"): 20, ("truncated icosahedron",
                                                           "pentagonal"): 12,
               ("cuboctahedron", "square"): 6, ("snub cube", "triangular"): 32,
               ("rhombicuboctahedron", "square"): 18, ("icosidodecahedron", "pentagonal"): 12}


_DEGREES = {"cube": 3, "tetrahedron": 3, "octahedron": 4, "dodecahedron": 3, "icosahedron": 5,
            "truncated icosahedron": 3, "cuboctahedron": 4, "icosidodecahedron": 4,
            "rhombicuboctahedron": 4, "snub cube": 5, "truncated cube": 3}


_NAMED_FOR_FACES = {"tetrahedron", "octahedron", "dodecahedron", "icosahedron"}


def test_polyhedra_answers() -> None:
    checked = 0
    catalan = set(load_facts("polyhedra.json")["catalan_duals"].values())
    for item in _items("fact_retrieval.math.polyhedra", range(80)):
        for question, answer in _pairs(item):
            if m := re.search(r"faces meet at each vertex of an? ([a-z ]+)\?", question):
                assert int(answer) == _DEGREES.get(m[1], int(answer)), question
                checked += m[1] in _DEGREES
                continue
            m = _search(r"How many (\w+) (?:faces )?does an? ([a-z ]+?) have\?", question)
            word, solid = m[1], m[2]
            assert not re.search(r"prism|pyramid|antiprism", solid)
            if word in ("faces", "edges", "vertices") and solid in _KNOWN_SOLIDS:
                want = _KNOWN_SOLIDS[solid][("faces", "edges", "vertices").index(word)]
                assert int(answer) == want, question
                checked += 1
            elif (solid, word) in _FACE_TYPES:
                assert int(answer) == _FACE_TYPES[solid, word]
                checked += 1
            if word == "faces":  # not a count the name spells out
                assert solid not in _NAMED_FOR_FACES and solid not in catalan, question
    assert checked > 40


def test_theorem_table_and_items() -> None:
    table = load_facts("theorems.json")
    assert Counter(t["tier"] for t in table).keys() == set(LEVELS)
    assert min(Counter(t["tier"] for t in table).values()) >= 7
    owner: dict[str, str] = {}
    for t in table:
        for alias in [t["name"], *t["aliases"]]:
            assert owner.setdefault(alias.casefold(), t["name"]) == t["name"], alias
        distinctive = t["name"].split("'")[0].split()[0]
        if distinctive[0].isupper():
            assert distinctive not in t["statement"], t["name"]
    by_statement = {t["statement"]: t for t in table}
    for item in _items("fact_retrieval.math.named_theorems"):
        statements = re.findall(r'"(.*?)"', item.prompt)
        letters = item.answer.split(", ")
        assert len(statements) == len(letters) == item.meta["work"]
        for statement, letter in zip(statements, letters, strict=True):
            name = item.meta["options"]["ABCDEFG".index(letter)]
            assert by_statement[statement]["name"] == name
            assert by_statement[statement]["tier"] == item.difficulty
        assert len(set(item.meta["options"])) == len(item.meta["options"])


# --------------------------------------------------------------------------- science

_ELEMENTS = {1: ("H", "hydrogen"), 2: ("He", "helium"), 6: ("C", "carbon"), 7: ("N", "nitrogen"),
             8: ("O", "oxygen"), 11: ("Na", "sodium"), 13: ("Al", "aluminum"),
             16: ("S", "sulfur"), 17: ("Cl", "chlorine"), 19: ("K", "potassium"),
             20: ("Ca", "calcium"), 26: ("Fe", "iron"), 29: ("Cu", "copper"), 30: ("Zn", "zinc"),
             47: ("Ag", "silver"), 50: ("Sn", "tin"), 53: ("I", "iodine"), 55: ("Cs", "cesium"),
             74: ("W", "tungsten"), 79: ("Au", "gold"), 80: ("Hg", "mercury"), 82: ("Pb", "lead"),
             92: ("U", "uranium"), 94: ("Pu", "plutonium"), 104: ("Rf", "rutherfordium"),
             113: ("Nh", "nihonium"), 118: ("Og", "oganesson"), 64: ("Gd", "gadolinium"),
             39: ("Y", "yttrium"), 43: ("Tc", "technetium"), 27: ("Co", "cobalt"),
             42: ("Mo", "molybdenum"), 72: ("Hf", "hafnium"), 95: ("Am", "americium"),
             97: ("Bk", "berkelium"), 100: ("Fm", "fermium"), 103: ("Lr", "lawrencium"),
             90: ("Th", "thorium"), 115: ("Mc", "moscovium"), 116: ("Lv", "livermorium")}
_BY_NAME = {name: (z, sym) for z, (sym, name) in _ELEMENTS.items()}
_BY_SYMBOL = {sym: z for z, (sym, _) in _ELEMENTS.items()}


def test_elements_match_hand_table() -> None:
    import periodictable

    for z, (sym, name) in _ELEMENTS.items():
        assert (periodictable.elements[z].symbol, periodictable.elements[z].name) == (sym, name)
    checked, zs = 0, {d: list[int]() for d in LEVELS}
    for item in _items("fact_retrieval.science.elements", range(60)):
        for question, answer in _pairs(item):
            m = re.search(r"(?:of|has) (?:the element with )?(?:atomic number (\d+)|the symbol "
                          r"(\w+)|(\w+))\?", question)
            assert m is not None, question
            z = int(m[1]) if m[1] else _BY_SYMBOL.get(m[2], 0) if m[2] else \
                _BY_NAME.get(m[3], (0, ""))[0]
            if z not in _ELEMENTS:
                continue
            zs[item.difficulty].append(z)
            sym, name = _ELEMENTS[z]
            want = {"symbol": sym, "number": str(z), "element": name}[
                "symbol" if "symbol of" in question else "number" if "atomic number of" in
                question else "element"]
            assert answer.casefold() == want.casefold() or (
                answer.casefold() in {"aluminium", "caesium"}), (question, answer)
            checked += 1
    assert checked > 60
    assert mean(zs[1]) < mean(zs[3]) < mean(zs[5]) and min(zs[5]) >= 87


_CONSTANTS = {"speed of light in vacuum": 299792458.0, "Planck constant": 6.62607015e-34,
              "elementary charge": 1.602176634e-19, "Boltzmann constant": 1.380649e-23,
              "Avogadro constant": 6.02214076e23, "standard acceleration of gravity": 9.80665,
              "standard atmosphere": 101325.0, "electron volt": 1.602176634e-19,
              "molar gas constant": 8.314462618, "Faraday constant": 96485.33212,
              "Newtonian constant of gravitation": 6.674e-11, "electron mass": 9.1093837e-31,
              "proton mass": 1.67262192e-27, "Bohr radius": 5.29177211e-11,
              "Rydberg constant": 10973731.568, "inverse fine-structure constant": 137.035999,
              "fine-structure constant": 7.2973525e-3, "Stefan-Boltzmann constant": 5.670374e-8,
              "proton-electron mass ratio": 1836.15267, "Planck length": 1.616255e-35,
              "Fermi coupling constant": 1.1663787e-5, "electron g factor": -2.00231930436,
              "electron mass energy equivalent in MeV": 0.51099895,
              "Planck temperature": 1.416784e32}


def test_physical_constants_match_hand_table() -> None:
    checked = 0
    for item in _items("fact_retrieval.science.physical_constants", range(120)):
        for (question, answer), meta in zip(_pairs(item), _fact_meta(item), strict=True):
            assert not re.search(r" in (\S+) in \1\b", question), question
            name = meta["constant"] if meta["constant"] in _CONSTANTS else None
            if "Which physical constant" in question:
                value = float(_search(r"CODATA value ([-+.\de]+\d)", question).group(1))
                assert _CONSTANTS.get(answer, value) == pytest.approx(value, rel=1e-6)
                continue
            if name is None:
                continue
            ref = _CONSTANTS[name]
            if "rounded to 3 significant figures" in question:
                assert Decimal(answer) == Decimal(f"{ref:.3g}"), (question, answer)
            else:
                assert int(answer) == math.floor(math.log10(abs(ref))), question
            checked += 1
    assert checked > 60


_UNIT_SYMBOLS = {"metre": "m", "kilogram": "kg", "second": "s", "ampere": "A", "kelvin": "K",
                 "newton": "N", "joule": "J", "watt": "W", "volt": "V", "hertz": "Hz",
                 "pascal": "Pa", "mole": "mol", "candela": "cd", "coulomb": "C", "ohm": "Ω",
                 "degree Celsius": "°C", "farad": "F", "siemens": "S", "weber": "Wb",
                 "tesla": "T", "henry": "H", "radian": "rad", "steradian": "sr", "lumen": "lm",
                 "lux": "lx", "becquerel": "Bq", "gray": "Gy", "sievert": "Sv", "katal": "kat",
                 "dyne": "dyn", "erg": "erg", "poise": "P", "stokes": "St", "maxwell": "Mx",
                 "oersted": "Oe", "gal": "Gal", "phot": "ph", "stilb": "sb", "debye": "D"}
_UNIT_OF = {"SI unit of force": "newton", "SI unit of capacitance": "farad",
            "SI unit of magnetic flux": "weber", "SI unit of illuminance": "lux",
            "SI unit of absorbed dose": "gray", "SI unit of catalytic activity": "katal",
            "CGS unit of force": "dyne", "CGS unit of magnetic flux": "maxwell",
            "CGS unit of dynamic viscosity": "poise", "CGS unit of kinematic viscosity": "stokes",
            "CGS unit of electric dipole moment": "debye", "CGS unit of luminance": "stilb",
            "CGS unit of acceleration": "gal", "CGS unit of illuminance": "phot"}


def test_units_match_hand_table() -> None:
    table = load_facts("si_units.json")
    assert {u["unit"]: u["symbol"] for u in table} == _UNIT_SYMBOLS
    by_unit = {u["unit"]: u for u in table}
    for item in _items("fact_retrieval.science.si_units", range(80)):
        for question, answer in _pairs(item):
            if m := re.search(r"symbol of the ((?:SI|CGS) unit of (.+))\?", question):
                if m[1] in _UNIT_OF:
                    assert answer == _UNIT_SYMBOLS[_UNIT_OF[m[1]]], question
                assert any(u["symbol"] == answer and m[2] == u["quantity"][0] for u in table)
            elif m := re.search(r"symbol of the (?:SI|CGS) unit (.+)\?", question):
                assert answer == _UNIT_SYMBOLS[m[1]], question
            elif "Which physical quantity" in question:
                unit = _search(r"has the (.+?) as its", question).group(1)
                assert answer == by_unit[unit]["quantity"][0]
            else:
                m = _search(r"What is the ((?:SI|CGS) unit of (.+))\?", question)
                assert by_unit[answer]["quantity"][0] == m[2]
                assert _UNIT_OF.get(m[1], answer) == answer
        if item.answer_type is AnswerType.LIST:
            assert item.meta["case_sensitive"] is True


def test_list_items_keep_each_facts_record() -> None:
    for item in _items("fact_retrieval.science.elements", range(10)):
        assert len(_fact_meta(item)) == item.meta["work"]
