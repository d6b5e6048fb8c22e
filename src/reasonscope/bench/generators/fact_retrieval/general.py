"""fact_retrieval/general families: Unicode character names and calendar facts.

Unicode names come from `unicodedata`, restricted to characters already named in Unicode 3.2
(`unicodedata.ucd_3_2_0`) so the item set does not change with the interpreter's Unicode version.
Blocks whose names are generated from the code point or a pattern number (Braille patterns,
CJK ideographs, Hangul syllables) are left out: their names can be computed, not recalled.
Calendar facts come from a curated table (data/facts/calendar_facts.json); the weekday of a
date, which is computed, is a calculation item (calculation.general.calendar).
"""

from __future__ import annotations

import random
import unicodedata
from functools import cache
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import (
    Fact,
    int_fact,
    level_draft,
    load_facts,
    ordinal,
    string_fact,
)
from reasonscope.taxonomy import Behavior, Domain

# --------------------------------------------------------------------------- Unicode names

_UNICODE_RANGES: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((0x21, 0x7E),),
    2: ((0xA1, 0xFF),),
    3: ((0x391, 0x3C9), (0x410, 0x44F), (0x2010, 0x2027), (0x2030, 0x205E), (0x20A0, 0x20B5),
        (0x2100, 0x214F), (0x2190, 0x21FF)),
    4: ((0x100, 0x17F), (0x2200, 0x22FF), (0x2300, 0x23FF), (0x2500, 0x257F), (0x25A0, 0x25FF),
        (0x2600, 0x26FF), (0x2700, 0x27BF)),
    5: ((0x180, 0x24F), (0x250, 0x2AF), (0x531, 0x587), (0x5D0, 0x5EA), (0x621, 0x64A),
        (0x904, 0x939), (0xE01, 0xE30), (0x10D0, 0x10F6), (0x13A0, 0x13F4), (0x1681, 0x169A),
        (0x16A0, 0x16F0), (0x3041, 0x3094), (0x30A1, 0x30FA)),
}
_SKIP_CATEGORIES = {"Mn", "Mc", "Me", "Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


@cache
def unicode_tiers() -> dict[int, tuple[str, ...]]:
    """Visible characters per tier that have had the same name since Unicode 3.2."""
    old = unicodedata.ucd_3_2_0
    out: dict[int, tuple[str, ...]] = {}
    for tier, ranges in _UNICODE_RANGES.items():
        chars = []
        for lo, hi in ranges:
            for cp in range(lo, hi + 1):
                ch = chr(cp)
                name = old.name(ch, "")
                if (name and name == unicodedata.name(ch, "")
                        and old.category(ch) not in _SKIP_CATEGORIES):
                    chars.append(ch)
        out[tier] = tuple(chars)
    return out


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


# (tier, kind): char_name (character -> name), cp_name (code point -> name),
# name_cp (name -> code point), char_cp (character -> code point)
_UNICODE_PLAN: dict[int, list[tuple[int, str]]] = {
    1: [(1, "char_name"), (1, "char_cp")],
    2: [(2, "char_name"), (1, "name_cp"), (2, "char_cp")],
    3: [(3, "char_name"), (3, "char_cp"), (2, "name_cp")],
    4: [(4, "char_name"), (3, "name_cp"), (3, "cp_name")],
    5: [(5, "char_name"), (4, "cp_name"), (5, "name_cp")],
}


def unicode_fact(ch: str, kind: str) -> Fact:
    name, cp = unicodedata.name(ch), code_point(ch)
    step = f"[{ch}] is {cp} {name}."
    key, meta = f"U{ord(ch):04X}", {"code_point": ord(ch), "kind": kind}
    shown = f"the character [{ch}] (the symbol between the square brackets)"
    if kind in ("char_name", "cp_name"):
        what = shown if kind == "char_name" else f"the character with code point {cp}"
        return Fact(key, f"What is the Unicode name of {what}?", name, step, meta=meta)
    hexdigits = cp[2:]
    what = shown if kind == "char_cp" else f"the character named {name}"
    return Fact(key, f"What is the Unicode code point of {what}?", cp, step,
                hint="Answer in the form U+XXXX.",
                aliases=(hexdigits, f"0x{hexdigits}", f"U+{ord(ch):X}", f"0x{ord(ch):X}"),
                meta=meta)


@generator("fact_retrieval.general.unicode_names", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.GENERAL, version=2,
           why="A character's name and code point are entries of the Unicode tables; blocks "
               "whose names follow from the code point (Braille, CJK, Hangul) are excluded, so "
               "the item is recall; level d asks d characters of rarer scripts.")
def unicode_names(rng: random.Random, difficulty: int) -> Draft:
    """Unicode character names and code points (ASCII first, rare scripts and symbols last)."""
    return level_draft(rng, difficulty, _unicode_pool(difficulty),
                       note="Write code points in the form U+XXXX.")


@cache
def _unicode_pool(level: int) -> tuple[Fact, ...]:
    return tuple(unicode_fact(ch, kind) for tier, kind in _UNICODE_PLAN[level]
                 for ch in unicode_tiers()[tier])


# --------------------------------------------------------------------------- calendar facts

# spelled out here: calendar.month_name follows the process locale
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def observance_facts(row: dict[str, Any]) -> list[Fact]:
    name, month, day = row["name"], MONTHS[row["month"] - 1], row["day"]
    step = f"{name[0].upper() + name[1:]} is on {day} {month}."
    key, meta = f"obs:{name}", {"observance": name, "tier": row["tier"]}
    date = f"{day} {month}"
    return [
        string_fact(key, f"On what date is {name}?", date, step,
                    [f"{month} {day}", f"{ordinal(day)} {month}", f"{month} {ordinal(day)}",
                     f"the {ordinal(day)} of {month}"], variants=False,
                    hint="Give the day and month, for example 25 December.", listable=False,
                    meta={**meta, "kind": "date"}),
        int_fact(key, f"On which day of {month} is {name}?", day, step,
                 meta={**meta, "kind": "day"}),
        Fact(key, f"In which month is {name}?", month, step, hint="Give the month's name.",
             meta={**meta, "kind": "month"}),
    ]


@cache
def calendar_pools() -> dict[int, tuple[Fact, ...]]:
    """Recallable calendar facts per tier: Gregorian month lengths, fixed-date observances, the
    order of months in other calendars and of the Chinese zodiac."""
    data = load_facts("calendar_facts.json")
    pools: dict[int, list[Fact]] = {t: [] for t in range(1, 6)}
    for m, days in enumerate(_MONTH_DAYS):
        if m != 1:  # February depends on the year: a rule, not a fact
            pools[1].append(int_fact(f"len:{MONTHS[m]}", f"How many days does {MONTHS[m]} have?",
                                     days, f"{MONTHS[m]} has {days} days.",
                                     meta={"kind": "month_length", "month": m + 1}))
    for row in data["observances"]:
        pools[row["tier"]] += observance_facts(row)
    for cal, spec in data["calendars"].items():
        n = len(spec["months"])
        for i, month in enumerate(spec["months"], 1):
            tier = spec["tier"].get(month, spec["default"])
            pools[tier].append(int_fact(
                f"{cal}:{month}", f"In the {cal} calendar, what is the number (1 to {n}) of the "
                f"month {month}?", i, f"{month} is month {i} of the {cal} calendar.",
                meta={"kind": "month_number", "calendar": cal, "month": month}))
    zodiac = data["chinese_zodiac"]
    for i, animal in enumerate(zodiac["animals"], 1):
        pools[zodiac["tier"].get(animal, zodiac["default"])].append(int_fact(
            f"zodiac:{animal}", f"In the twelve-year Chinese zodiac cycle, which begins with the "
            f"Rat, what is the position (1 to 12) of the {animal}?", i,
            f"The {animal} is animal {i} of the cycle.", meta={"kind": "zodiac", "animal": animal}))
    return {t: tuple(facts) for t, facts in pools.items()}


@generator("fact_retrieval.general.calendar_facts", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.GENERAL, version=2,
           why="Dates of fixed observances, month lengths and the order of months in other "
               "calendars are conventions nothing in the prompt determines (weekdays of dates, "
               "which are computed, are not asked); level d asks d facts of rarer tiers.")
def calendar_facts(rng: random.Random, difficulty: int) -> Draft:
    """Month lengths, dates of fixed observances, month numbers of other calendars."""
    return level_draft(rng, difficulty, calendar_pools()[difficulty])
