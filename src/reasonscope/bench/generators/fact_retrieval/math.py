"""fact_retrieval/math families: digits of constants, n-th primes, polyhedra, named theorems.

Each question asks for a stored mathematical fact; deriving it in the answer would take far more
work than recalling it (hundreds of digits, thousands of primes), or is impossible (a theorem's
name). Difficulty is obscurity: deeper digits, larger indices, rarer solids and theorems.
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import (
    int_draft,
    load_facts,
    ordinal,
    pick,
    string_draft,
)
from reasonscope.bench.generators.fact_retrieval.digits import CONSTANTS, digits_after_point
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# --------------------------------------------------------------------------- digits of constants

_DIGIT_LEVELS: dict[int, list[tuple[str, int, int]]] = {
    1: [("pi", 1, 15), ("e", 1, 10), ("sqrt2", 1, 8)],
    2: [("pi", 16, 30), ("e", 11, 20), ("sqrt2", 9, 20), ("phi", 1, 10), ("sqrt3", 1, 10)],
    3: [("pi", 31, 50), ("e", 21, 40), ("sqrt2", 21, 40), ("phi", 11, 25), ("sqrt3", 11, 25),
        ("ln2", 1, 15)],
    4: [("pi", 51, 100), ("e", 41, 100), ("sqrt2", 41, 100), ("phi", 26, 60),
        ("sqrt3", 26, 60), ("ln2", 16, 50)],
    5: [(k, 101, 300) for k in ("pi", "e", "sqrt2", "phi", "sqrt3", "ln2")],
}


def _grouped(digits: str) -> str:
    return " ".join(digits[i:i + 10] for i in range(0, len(digits), 10))


@generator("fact_retrieval.math.constant_digits", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.MATH)
def constant_digits(rng: random.Random, difficulty: int) -> Draft:
    """The n-th decimal digit of pi, e, sqrt 2, sqrt 3, the golden ratio or ln 2.

    Recalling a memorised expansion is the only practical route: computing deep digits by hand
    is out of reach, so the item measures stored knowledge; depth grows with level.
    """
    key, lo, hi = pick(rng, _DIGIT_LEVELS[difficulty])
    n = rng.randint(lo, hi)
    whole, digits = digits_after_point(key, n)
    label = CONSTANTS[key][0]
    symbol = label.split(" ")[0]
    return int_draft(
        f"What is the {ordinal(n)} digit after the decimal point of {label}? Give the digit as "
        "an integer.", int(digits[-1]),
        [f"{symbol} = {whole}.{_grouped(digits)}...",
         f"Counting from the decimal point, digit {n} is {digits[-1]}."],
        {"constant": key, "n": n})


# --------------------------------------------------------------------------- n-th prime

_PRIME_LEVELS = {1: (1, 30), 2: (31, 100), 3: (101, 500), 4: (501, 2000), 5: (2001, 10000)}


@cache
def prime_table(limit: int = 105_000) -> tuple[int, ...]:
    sieve = bytearray([1]) * (limit + 1)
    sieve[:2] = b"\x00\x00"
    for i in range(2, int(limit**0.5) + 1):
        if sieve[i]:
            sieve[i * i :: i] = bytearray(len(range(i * i, limit + 1, i)))
    return tuple(i for i, flag in enumerate(sieve) if flag)


def _prime_steps(n: int) -> list[str]:
    primes = prime_table()
    start = (n // 50) * 50
    if start == 0:
        return [f"The primes in order: {', '.join(map(str, primes[:n]))}."]
    steps = [f"The {ordinal(start)} prime is {primes[start - 1]}."]
    if n > start:
        listed = ", ".join(f"{primes[k - 1]} ({ordinal(k)})" for k in range(start + 1, n + 1))
        steps.append(f"Continuing: {listed}.")
    return steps


@generator("fact_retrieval.math.nth_prime", behavior=Behavior.FACT_RETRIEVAL, domain=Domain.MATH)
def nth_prime(rng: random.Random, difficulty: int) -> Draft:
    """The n-th prime, or the index of a given prime.

    For large n the answer is a memorised table entry (the 1000th prime is 7919) rather than a
    feasible sieve; the index grows with level.
    """
    lo, hi = _PRIME_LEVELS[difficulty]
    n = rng.randint(lo, hi)
    p = prime_table()[n - 1]
    steps = _prime_steps(n)
    if rng.random() < 0.5:
        return int_draft(f"What is the {ordinal(n)} prime number? Give it as an integer.", p,
                         [*steps, f"The {ordinal(n)} prime is {p}."], {"n": n, "ask": "prime"})
    return int_draft(f"{p} is a prime number. What is its position in the list of primes "
                     "(2 is the 1st prime)? Give it as an integer.", n,
                     [*steps, f"{p} is the {ordinal(n)} prime, so its position is {n}."],
                     {"p": p, "ask": "index"})


# --------------------------------------------------------------------------- polyhedra

POLYGON = {3: "triangular", 4: "square", 5: "pentagonal", 6: "hexagonal", 7: "heptagonal",
           8: "octagonal", 9: "nonagonal", 10: "decagonal"}


def _solid(name: str, v: int, e: int, f: int, faces: dict[int, int] | None = None,
           config: str = "") -> dict[str, Any]:
    return {"name": name, "V": v, "E": e, "F": f, "faces": faces or {}, "config": config}


@cache
def solids_by_tier() -> dict[int, list[tuple[dict[str, Any], str]]]:
    """(solid, question kind) pairs per tier; kinds: V, E, F, degree, or a polygon size."""
    data = load_facts("polyhedra.json")
    tiers: dict[int, list[tuple[dict[str, Any], str]]] = {t: [] for t in range(1, 6)}
    for n in range(3, 11):
        tier = 1 if n <= 6 else 2
        for s in (_solid(f"{POLYGON[n]} prism", 2 * n, 3 * n, n + 2),
                  _solid(f"{POLYGON[n]} pyramid", n + 1, 2 * n, n + 1)):
            tiers[tier] += [(s, k) for k in "FEV"]
        tiers[2] += [(_solid(f"{POLYGON[n]} antiprism", 2 * n, 4 * n, 2 * n + 2), k)
                     for k in "FEV"]
    for row in data["solids"]:
        s = _solid(row["name"], row["V"], row["E"], row["F"],
                   {int(k): v for k, v in row["faces"].items()}, row["vertex_config"])
        tiers[row["tier"]] += [(s, k) for k in "FEV"]
        if row["tier"] <= 3:
            tiers[3].append((s, "degree"))
        if row["family"] == "Archimedean":
            tiers[row["tier"] + 1] += [(s, str(k)) for k in s["faces"]]
            dual = data["catalan_duals"][row["name"]]
            tiers[5] += [(_solid(dual, row["F"], row["E"], row["V"]), k) for k in "FEV"]
    return tiers


_KIND_WORD = {"F": "faces", "E": "edges", "V": "vertices"}


@generator("fact_retrieval.math.polyhedra", behavior=Behavior.FACT_RETRIEVAL, domain=Domain.MATH)
def polyhedra(rng: random.Random, difficulty: int) -> Draft:
    """Faces, edges, vertices and face types of Platonic, Archimedean and Catalan solids.

    The counts are catalogue facts (the solid is named, not described), checked against Euler's
    formula; prisms and Platonic solids come first, Catalan solids last.
    """
    s, kind = pick(rng, solids_by_tier()[difficulty])
    article = "an" if s["name"][0] in "aeiou" else "a"
    detail = ", ".join(f"{c} {POLYGON[k]}" for k, c in sorted(s["faces"].items()))
    facts = (f"A {s['name']} has F = {s['F']} faces" + (f" ({detail})" if detail else "")
             + f", E = {s['E']} edges and V = {s['V']} vertices; V - E + F = "
             f"{s['V'] - s['E'] + s['F']}.")
    if kind in _KIND_WORD:
        value = s[kind]
        q = f"How many {_KIND_WORD[kind]} does {article} {s['name']} have?"
    elif kind == "degree":
        value = len(s["config"].split("."))
        q = f"How many faces meet at each vertex of {article} {s['name']}?"
        facts += f" Its vertex configuration is {s['config']}."
    else:
        value = s["faces"][int(kind)]
        q = f"How many {POLYGON[int(kind)]} faces does {article} {s['name']} have?"
    return int_draft(f"{q} Give the answer as an integer.", value,
                     [facts, f"The answer is {value}."], {"solid": s["name"], "kind": kind})


# --------------------------------------------------------------------------- named theorems


@generator("fact_retrieval.math.named_theorems", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.MATH)
def named_theorems(rng: random.Random, difficulty: int) -> Draft:
    """Name the theorem, rule or principle from its statement.

    The statement is given in full, so nothing is to be proved; only the name is asked, which
    must be recalled (or, conversely, the statement of a named result picked among four). Levels
    1-2 are multiple choice; later levels add free answers about increasingly specialised results.
    """
    table = load_facts("theorems.json")
    tier = [t for t in table if t["tier"] == difficulty]
    thm = pick(rng, tier)
    statement = thm["statement"]
    if difficulty >= 3 and rng.random() < 0.5:
        # name -> statement, distractors from the same or neighbouring tiers
        pool = [t["statement"] for t in table if abs(t["tier"] - difficulty) <= 1 and t is not thm]
        options = [*rng.sample(pool, 3), statement]
        rng.shuffle(options)
        letter = "ABCD"[options.index(statement)]
        listing = " ".join(f"({'ABCD'[i]}) {o}" for i, o in enumerate(options))
        return Draft(
            prompt=f"Which statement is the {thm['name']}? {listing} Answer with the letter.",
            answer=letter, answer_type=AnswerType.CHOICE,
            steps=(f"The {thm['name']} states: {statement}", f"The answer is {letter}."),
            meta={"tier": difficulty, "name": thm["name"], "options": options},
        )
    if difficulty >= 3:
        return string_draft(
            f"Which named result (theorem, lemma, rule or principle) states the following? "
            f"\"{statement}\" Give its usual name.", thm["name"], thm["aliases"],
            [f"This is the statement of the {thm['name']}."], {"tier": difficulty})
    n_options = 3 if difficulty == 1 else 4
    others = [t["name"] for t in table if t["tier"] <= difficulty and t is not thm]
    options = [*rng.sample(others, n_options - 1), thm["name"]]
    rng.shuffle(options)
    letter = "ABCD"[options.index(thm["name"])]
    listing = " ".join(f"({'ABCD'[i]}) {o}" for i, o in enumerate(options))
    return Draft(
        prompt=f"Name this result: \"{statement}\" {listing}. Answer with the letter.",
        answer=letter, answer_type=AnswerType.CHOICE,
        steps=(f"This is the statement of the {thm['name']}.", f"The answer is {letter}."),
        meta={"tier": difficulty, "options": options},
    )
