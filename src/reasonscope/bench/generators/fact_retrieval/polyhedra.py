"""fact_retrieval/math: faces, edges, vertices and face types of named polyhedra.

The solid is named, not described, so its counts are catalogue facts (checked in tests against
Euler's formula and the vertex configurations). Counts that the name itself spells out are not
asked: prisms, pyramids and antiprisms (their counts follow from n), and the face count of a
solid named for it (an icosahedron's 20 faces, a rhombic triacontahedron's 30).
"""

from __future__ import annotations

import random
from functools import cache
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import (
    Fact,
    int_fact,
    level_draft,
    load_facts,
)
from reasonscope.taxonomy import Behavior, Domain

POLYGON = {3: "triangular", 4: "square", 5: "pentagonal", 6: "hexagonal", 8: "octagonal",
           10: "decagonal"}
_KIND_WORD = {"F": "faces", "E": "edges", "V": "vertices"}
_NAMED_FOR_FACES = ("tetrahedron", "octahedron", "dodecahedron", "icosahedron")


def _article(name: str) -> str:
    return "an" if name[0] in "aeiou" else "a"


def _solid_facts(s: dict[str, Any], kinds: str, step: str) -> list[Fact]:
    return [int_fact(f"{s['name']}:{k}", f"How many {_KIND_WORD[k]} does {_article(s['name'])} "
                                         f"{s['name']} have?", s[k], step,
                     meta={"solid": s["name"], "kind": k}) for k in kinds]


def _detail_facts(s: dict[str, Any], faces: dict[int, int], config: str, step: str
                  ) -> list[Fact]:
    name = s["name"]
    out = [int_fact(f"{name}:degree", f"How many faces meet at each vertex of {_article(name)} "
                                      f"{name}?", len(config.split(".")),
                    f"{step} Its vertex configuration is {config}.",
                    meta={"solid": name, "kind": "degree"})]
    if len(faces) > 1:
        out += [int_fact(f"{name}:{k}", f"How many {POLYGON[k]} faces does {_article(name)} "
                                        f"{name} have?", c, step,
                         meta={"solid": name, "kind": str(k)}) for k, c in sorted(faces.items())]
    return out


def _step(name: str, v: int, e: int, f: int, faces: dict[int, int]) -> str:
    detail = ", ".join(f"{c} {POLYGON[k]}" for k, c in sorted(faces.items()))
    return (f"A {name} has F = {f} faces" + (f" ({detail})" if detail else "")
            + f", E = {e} edges and V = {v} vertices; V - E + F = {v - e + f}.")


@cache
def polyhedron_pools() -> dict[int, tuple[Fact, ...]]:
    """Facts per tier: Platonic solids, then Archimedean solids and their face types, then the
    Catalan solids (duals: V and F of the Archimedean solid swapped)."""
    data = load_facts("polyhedra.json")
    pools: dict[int, list[Fact]] = {t: [] for t in range(1, 6)}
    for row in data["solids"]:
        faces = {int(k): c for k, c in row["faces"].items()}
        step = _step(row["name"], row["V"], row["E"], row["F"], faces)
        counts = "EV" if row["name"] in _NAMED_FOR_FACES else "FEV"
        details = _detail_facts(row, faces, row["vertex_config"], step)
        if row["family"] == "Platonic":
            pools[1] += _solid_facts(row, counts, step) + details
            continue
        common = row["tier"] == 3  # the six best-known Archimedean solids
        pools[2 if common else 3] += _solid_facts(row, counts, step)
        pools[3 if common else 4] += details
        dual = {"name": data["catalan_duals"][row["name"]], "V": row["F"], "E": row["E"],
                "F": row["V"]}
        dual_step = (f"The {dual['name']} is the dual of the {row['name']}: "
                     f"V = {dual['V']}, E = {dual['E']}, F = {dual['F']}.")
        pools[5] += _solid_facts(dual, "EV", dual_step)
    return {t: tuple(facts) for t, facts in pools.items()}


@generator("fact_retrieval.math.polyhedra", behavior=Behavior.FACT_RETRIEVAL, domain=Domain.MATH,
           version=2,
           why="The solid is only named, so its counts are catalogue facts (those a name spells "
               "out, like a prism's or an icosahedron's faces, are not asked); level d asks d "
               "counts, from Platonic to Catalan solids.")
def polyhedra(rng: random.Random, difficulty: int) -> Draft:
    """Faces, edges, vertices and face types of Platonic, Archimedean and Catalan solids."""
    return level_draft(rng, difficulty, polyhedron_pools()[difficulty])
