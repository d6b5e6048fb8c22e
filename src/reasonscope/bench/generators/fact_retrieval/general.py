"""fact_retrieval/general families: Unicode character names and calendar facts.

Unicode names come from `unicodedata`, restricted to characters already named in Unicode 3.2
(`unicodedata.ucd_3_2_0`) so the item set does not change with the interpreter's Unicode version.
Calendar facts come from `datetime`; tests re-derive them with Zeller's congruence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import unicodedata
from functools import cache

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.fact_retrieval.common import int_draft, pick, string_draft
from reasonscope.taxonomy import AnswerType, Behavior, Domain

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
        (0x16A0, 0x16F0), (0x2800, 0x28FF), (0x3041, 0x3094), (0x30A1, 0x30FA)),
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


@generator("fact_retrieval.general.unicode_names", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.GENERAL)
def unicode_names(rng: random.Random, difficulty: int) -> Draft:
    """Unicode character names and code points (ASCII first, rare scripts and symbols last).

    The name or code point of a character is a fixed entry of the standard; nothing about the
    glyph lets one compute it.
    """
    tier, kind = pick(rng, _UNICODE_PLAN[difficulty])
    ch = pick(rng, unicode_tiers()[tier])
    name, cp = unicodedata.name(ch), code_point(ch)
    step = [f"[{ch}] is {cp} {name}."]
    meta = {"code_point": ord(ch), "kind": kind}
    shown = f"the character [{ch}] (the symbol between the square brackets)"
    if kind in ("char_name", "cp_name"):
        what = shown if kind == "char_name" else f"the character with code point {cp}"
        return string_draft(f"What is the Unicode name of {what}?", name, (), step, meta,
                            variants=False)
    hexdigits = cp[2:]
    others = [hexdigits, f"0x{hexdigits}", f"U+{ord(ch):X}", f"0x{ord(ch):X}"]
    what = shown if kind == "char_cp" else f"the character named {name}"
    return string_draft(f"What is the Unicode code point of {what}? Answer in the form U+XXXX.",
                        cp, others, step, meta, variants=False)


# --------------------------------------------------------------------------- calendar facts

# spelled out here: calendar.month_name follows the process locale
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _date(rng: random.Random, lo: int, hi: int) -> dt.date:
    start, end = dt.date(lo, 1, 1).toordinal(), dt.date(hi, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def long_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


_CAL_PLAN: dict[int, list[str]] = {
    1: ["month_days"],
    2: ["leap", "feb_days"],
    3: ["weekday"],
    4: ["weekday", "day_of_year"],
    5: ["weekday", "iso_week"],
}
_CAL_YEARS = {1: (2000, 2030), 2: (1600, 2400), 3: (1990, 2030), 4: (1900, 2100),
              5: (1583, 2400)}


@generator("fact_retrieval.general.calendar_facts", behavior=Behavior.FACT_RETRIEVAL,
           domain=Domain.GENERAL)
def calendar_facts(rng: random.Random, difficulty: int) -> Draft:
    """Days in a month, leap years, weekdays, day-of-year and ISO week numbers of dates.

    Facts of the Gregorian calendar; near dates and month lengths first, distant weekdays and
    ISO week numbers last.
    """
    kind = pick(rng, _CAL_PLAN[difficulty])
    lo, hi = _CAL_YEARS[difficulty]
    d = _date(rng, lo, hi)
    if kind == "leap" and rng.random() < 0.3:  # century years test the 100/400 rule
        d = dt.date(d.year // 100 * 100, 1, 1)
    meta = {"date": d.isoformat(), "kind": kind}
    if kind == "month_days":
        n = calendar.monthrange(d.year, d.month)[1]
        return int_draft(f"How many days are in {MONTHS[d.month - 1]} {d.year}? Give an "
                         "integer.", n,
                         [f"{MONTHS[d.month - 1]} {d.year} has {n} days."], meta)
    if kind == "feb_days":
        n = calendar.monthrange(d.year, 2)[1]
        return int_draft(f"How many days does February {d.year} have? Give an integer.", n,
                         [f"{d.year} is {'' if n == 29 else 'not '}a leap year."], meta)
    if kind == "leap":
        leap = calendar.isleap(d.year)
        return Draft(prompt=f"Is {d.year} a leap year in the Gregorian calendar? Answer True or "
                            "False.", answer=repr(leap), answer_type=AnswerType.PYTHON,
                     steps=(f"{d.year} is {'' if leap else 'not '}a leap year.",), meta=meta)
    if kind == "weekday":
        day = _WEEKDAYS[d.weekday()]
        return string_draft(f"On which day of the week does {long_date(d)} (Gregorian calendar) "
                            "fall?", day, [day[:3]], [f"{long_date(d)} is a {day}."], meta,
                            variants=False)
    if kind == "day_of_year":
        n = d.timetuple().tm_yday
        return int_draft(f"Counting 1 January as day 1, what is the day-of-year number of "
                         f"{long_date(d)}? Give an integer.", n,
                         [f"{long_date(d)} is day {n} of {d.year}."], meta)
    week = d.isocalendar()[1]
    return int_draft(f"What is the ISO 8601 week number of {long_date(d)}? Give an integer.",
                     week, [f"{long_date(d)} is in ISO week {week} of {d.isocalendar()[0]}."],
                     meta)
