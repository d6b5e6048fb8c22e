"""The behavior x domain grid that every score in reasonscope is indexed by.

The string values are part of the on-disk format (item files, Parquet columns, JSON output), so
they never change; display names live beside them.
"""

from __future__ import annotations

from enum import StrEnum


class Behavior(StrEnum):
    CALCULATION = "calculation"
    ENUMERATION = "enumeration"
    SIMULATION = "simulation"
    FACT_RETRIEVAL = "fact_retrieval"
    DIAGNOSTIC = "diagnostic"

    @property
    def label(self) -> str:
        return BEHAVIOR_TITLES[self]


class Domain(StrEnum):
    MATH = "math"
    SCIENCE = "science"
    CODING = "coding"
    GENERAL = "general"

    @property
    def label(self) -> str:
        return DOMAIN_TITLES[self]


class AnswerType(StrEnum):
    INTEGER = "integer"
    NUMBER = "number"
    RATIONAL = "rational"
    EXPRESSION = "expression"
    STRING = "string"
    CHOICE = "choice"
    LINE = "line"
    LIST = "list"
    SET = "set"
    PYTHON = "python"
    CODE_TESTS = "code_tests"


BEHAVIORS: tuple[Behavior, ...] = tuple(Behavior)
DOMAINS: tuple[Domain, ...] = tuple(Domain)
Cell = tuple[Behavior, Domain]
CELLS: tuple[Cell, ...] = tuple((b, d) for b in BEHAVIORS for d in DOMAINS)

BEHAVIOR_TITLES: dict[Behavior, str] = {
    Behavior.CALCULATION: "Calculation",
    Behavior.ENUMERATION: "Enumeration",
    Behavior.SIMULATION: "Simulation",
    Behavior.FACT_RETRIEVAL: "Fact retrieval",
    Behavior.DIAGNOSTIC: "Diagnostic checking",
}

DOMAIN_TITLES: dict[Domain, str] = {
    Domain.MATH: "Math",
    Domain.SCIENCE: "Science",
    Domain.CODING: "Coding",
    Domain.GENERAL: "General",
}

BEHAVIOR_DEFINITIONS: dict[Behavior, str] = {
    Behavior.CALCULATION: (
        "Carrying out a fully specified computation exactly: every quantity, rule and constant "
        "needed is in the prompt, and the only work is applying operations in the right order "
        "without slips (exact fractions, powers, modular arithmetic, formula evaluation with "
        "units, Python's integer and bit semantics, prices and clock arithmetic). It isolates "
        "precision over a short chain of operations; there is nothing to search or recall."
    ),
    Behavior.ENUMERATION: (
        "Systematically listing or counting the members of a finite space under constraints "
        "without missing or double-counting any: lattice paths around blocked cells, genotype "
        "combinations, strings a pattern accepts, calendar dates, seatings. The rules are simple; "
        "the skill is organising the case split so that the count is complete and exact."
    ),
    Behavior.SIMULATION: (
        "Tracking a state through a sequence of explicitly given update steps and reporting the "
        "final (or an intermediate) state: recurrences, Euler steps, cellular automata, program "
        "execution, objects being swapped, balances through transactions. Each step is easy; the "
        "skill is keeping the state consistent over many steps."
    ),
    Behavior.FACT_RETRIEVAL: (
        "Recalling a stored fact that the prompt does not contain and cannot be derived from it "
        "by a short computation: digits of named constants, element symbols, physical constants, "
        "standard-library facts, ISO codes, Unicode names. It measures what the model knows, with "
        "reasoning kept trivial."
    ),
    Behavior.DIAGNOSTIC: (
        "Checking a given artefact for an error and locating it: the first wrong step of a worked "
        "solution or derivation, the line of an injected bug, the inconsistent entry of a receipt "
        "or itinerary. The answer is a position (or 0 when everything is correct); the skill is "
        "verification rather than production."
    ),
}

DOMAIN_DEFINITIONS: dict[Domain, str] = {
    Domain.MATH: (
        "Pure mathematics: arithmetic, number theory, combinatorics, algebra and linear algebra "
        "stated symbolically. The domain the study fine-tunes on, so changes here are in-domain."
    ),
    Domain.SCIENCE: (
        "Physics, chemistry and biology: quantities with units, physical laws, genetics, decay. "
        "Near transfer from math: similar operations wrapped in scientific content."
    ),
    Domain.CODING: (
        "Python programs and their semantics: expression values, program outputs, accepted "
        "inputs, standard-library facts, bug localisation. Transfer to a formal but non-math "
        "language."
    ),
    Domain.GENERAL: (
        "Everyday, non-technical content: prices, calendars, travel, seating, country codes, "
        "receipts. Far transfer: the reasoning operation without any technical subject matter."
    ),
}


def parse_behavior(value: str) -> Behavior:
    """Accept the snake_case value or a loose spelling ('fact retrieval', 'Fact-Retrieval')."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"fact": "fact_retrieval", "diagnostic_checking": "diagnostic", "calc": "calculation",
               "enum": "enumeration", "sim": "simulation", "diag": "diagnostic"}
    key = aliases.get(key, key)
    try:
        return Behavior(key)
    except ValueError:
        raise ValueError(
            f"unknown behavior {value!r}; expected one of {', '.join(b.value for b in BEHAVIORS)}"
        ) from None


def parse_domain(value: str) -> Domain:
    key = value.strip().lower()
    try:
        return Domain(key)
    except ValueError:
        raise ValueError(
            f"unknown domain {value!r}; expected one of {', '.join(d.value for d in DOMAINS)}"
        ) from None


def parse_cell(value: str) -> tuple[Behavior, Domain]:
    """Parse 'behavior/domain' (or 'behavior:domain'), as used by `--cells` options."""
    for sep in ("/", ":", "."):
        if sep in value:
            b, d = value.split(sep, 1)
            return parse_behavior(b), parse_domain(d)
    raise ValueError(f"cell {value!r} must look like 'calculation/math'")
