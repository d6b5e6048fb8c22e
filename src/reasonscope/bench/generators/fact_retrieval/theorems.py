"""fact_retrieval/math: the names of theorems, lemmas, rules and principles.

The statement is given in full, so nothing is to be proved; only the name is asked, which must
be recalled. Level 1 names one statement among three names; level d matches d statements of
tier d to their names among d + 2 (two distractors of the same tier), answered as letters.
"""

from __future__ import annotations

import random
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import FACTS_UNIT, load_facts, pick
from reasonscope.taxonomy import AnswerType, Behavior, Domain

LETTERS = "ABCDEFG"


def _single(rng: random.Random, table: list[dict[str, Any]]) -> Draft:
    thm = pick(rng, [t for t in table if t["tier"] == 1])
    others = [t["name"] for t in table if t["tier"] == 1 and t is not thm]
    options = [*rng.sample(others, 2), thm["name"]]
    rng.shuffle(options)
    letter = LETTERS[options.index(thm["name"])]
    listing = " ".join(f"({LETTERS[i]}) {o}" for i, o in enumerate(options))
    return Draft(
        prompt=f"Name this result: \"{thm['statement']}\" {listing}. Give the letter.",
        answer=letter, answer_type=AnswerType.CHOICE,
        steps=(f"This is the statement of the {thm['name']}.", f"The answer is {letter}."),
        meta={"tier": 1, "options": options, "facts": [thm["name"]]}, work=1,
        work_unit=FACTS_UNIT)


def _matching(rng: random.Random, table: list[dict[str, Any]], k: int) -> Draft:
    tier = [t for t in table if t["tier"] == k]
    chosen = rng.sample(tier, k + 2)
    asked = chosen[:k]
    options = [t["name"] for t in chosen]
    rng.shuffle(options)
    letters = [LETTERS[options.index(t["name"])] for t in asked]
    statements = " ".join(f"({i}) \"{t['statement']}\"" for i, t in enumerate(asked, 1))
    names = " ".join(f"({LETTERS[i]}) {o}" for i, o in enumerate(options))
    answer = ", ".join(letters)
    return Draft(
        prompt=f"Match each statement to the name of the result it states. Statements: "
               f"{statements} Names: {names}. Two names are not used. Give the {k} letters for "
               f"statements 1 to {k} in order, separated by commas.",
        answer=answer, answer_type=AnswerType.LIST,
        steps=(*(f"({i}) is the {t['name']}: ({letter})." for i, (t, letter)
                 in enumerate(zip(asked, letters, strict=True), 1)), f"The answer is {answer}."),
        meta={"tier": k, "options": options, "facts": [t["name"] for t in asked]}, work=k,
        work_unit=FACTS_UNIT)


@generator("fact_retrieval.math.named_theorems", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.MATH, version=2,
           why="Each statement is given in full, so nothing is proved or computed; only the "
               "result's name is recalled (chosen among listed names), and level d matches d "
               "statements of rarer results.")
def named_theorems(rng: random.Random, difficulty: int) -> Draft:
    """Name theorems, rules and principles from their statements."""
    table = load_facts("theorems.json")
    return _single(rng, table) if difficulty == 1 else _matching(rng, table, difficulty)
