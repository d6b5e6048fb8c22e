"""Enumeration / general: calendar counts (weekdays in a month or a date range, months whose n-th
falls on a weekday, months with five of a weekday).

The prompts state the anchor weekday and which years are leap years (or the leap-year rule), so
no date has to be recalled: the work is walking days, months and years without losing one. Over
a long span of years the walk is organised by year type (the weekday of January 1 and whether
the year is leap), which is the case analysis the top level asks for.
"""

from __future__ import annotations

import random
from collections import Counter

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LEAP_RULE = ("leap years are the years divisible by 4, except that a year divisible by 100 is a "
             "leap year only if it is also divisible by 400")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

Built = tuple[str, int, int, list[str], dict]  # text, answer, work, steps, meta


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_days(year: int, month: int) -> int:
    return 29 if month == 2 and is_leap(year) else _MONTH_DAYS[month - 1]


def weekday(year: int, month: int, day: int) -> int:
    """Zeller's congruence, returned with Monday = 0 like `datetime.date.weekday`."""
    if month < 3:
        month, year = month + 12, year - 1
    k, j = year % 100, year // 100
    h = (day + 13 * (month + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7  # 0 = Saturday
    return (h + 5) % 7


def _next_month(y: int, m: int) -> tuple[int, int]:
    return (y + 1, 1) if m == 12 else (y, m + 1)


def walk_days(start: tuple[int, int, int], end: tuple[int, int, int]) -> tuple[int, int]:
    """Days from `start` to a later `end`, both included, by whole months; and months walked."""
    (y, m, d0), (y1, m1, d1) = start, end
    if (y, m) == (y1, m1):
        return d1 - d0 + 1, 1
    days, months = month_days(y, m) - d0 + 1, 1
    y, m = _next_month(y, m)
    while (y, m) != (y1, m1):
        days += month_days(y, m)
        months += 1
        y, m = _next_month(y, m)
    return days + d1, months + 1


def weekday_hits(first: int, days: int, targets: list[int]) -> int:
    """Days among `days` consecutive ones, the first on weekday `first`, that fall on a target."""
    weeks, rest = divmod(days, 7)
    return sum(weeks + (1 if (t - first) % 7 < rest else 0) for t in targets)


def _date(y: int, m: int, d: int) -> str:
    return f"{MONTHS[m - 1]} {d}, {y}"


def _leap_note(years: list[int]) -> str:
    leaps = [y for y in years if is_leap(y)]
    if len(years) == 1:
        return f"{years[0]} is {'a' if leaps else 'not a'} leap year"
    span = f"the years {years[0]} to {years[-1]}"
    if not leaps:
        return f"none of {span} is a leap year"
    if len(leaps) == 1:
        return f"of {span} only {leaps[0]} is a leap year"
    return f"of {span} the leap years are {', '.join(map(str, leaps))}"


_TARGETS = {"weekend days (Saturdays and Sundays)": [5, 6],
            "weekdays (Monday to Friday)": [0, 1, 2, 3, 4]}


def _targets(rng: random.Random, groups: bool) -> tuple[str, list[int]]:
    if groups and rng.random() < 0.4:
        name = rng.choice(sorted(_TARGETS))
        return name, _TARGETS[name]
    t = rng.randrange(7)
    return WEEKDAYS[t] + "s", [t]


def _calendar_month(rng: random.Random, d: int) -> Built:
    length, first = rng.choice((28, 29, 30, 31)), rng.randrange(7)
    name, targets = _targets(rng, d >= 2)
    a = weekday_hits(first, length, targets)
    weeks, rest = divmod(length, 7)
    extra = [WEEKDAYS[(first + i) % 7] for i in range(rest)]
    return (f"A month has {length} days and its 1st is a {WEEKDAYS[first]}. How many {name} "
            f"does it have?", a, 1 + rest,
            [f"{length} days = {weeks} full weeks + {rest} days.",
             f"The extra days are {', '.join(extra) or 'none'}.", f"Count: {a}."],
            {"kind": "month", "length": length, "first": first, "targets": targets})


def _calendar_range(rng: random.Random, d: int) -> Built:
    span = rng.randint(*{2: (20, 60), 3: (60, 200), 4: (200, 800)}[d])
    y0, m0 = rng.randint(1900, 2090), rng.randint(1, 12)
    d0 = rng.randint(1, month_days(y0, m0))
    y1, m1, d1 = y0, m0, d0 + span - 1
    while d1 > month_days(y1, m1):
        d1 -= month_days(y1, m1)
        y1, m1 = _next_month(y1, m1)
    days, months = walk_days((y0, m0, d0), (y1, m1, d1))
    first = weekday(y0, m0, d0)
    name, targets = _targets(rng, True)
    a = weekday_hits(first, days, targets)
    weeks, rest = divmod(days, 7)
    years = list(range(y0, y1 + 1))
    covers_february = y1 > y0 or m0 <= 2 <= m1
    leap = _leap_note(years)
    note = f" ({leap[0].upper()}{leap[1:]}.)" if covers_february else ""
    text = (f"{_date(y0, m0, d0)} is a {WEEKDAYS[first]}.{note} How many {name} are there from "
            f"{_date(y0, m0, d0)} to {_date(y1, m1, d1)}, inclusive?")
    steps = [f"Days from {_date(y0, m0, d0)} to {_date(y1, m1, d1)} inclusive, month by month: "
             f"{days}.",
             f"{days} = {weeks} full weeks + {rest} days; each full week holds each weekday once.",
             "The extra days are " + (", ".join(WEEKDAYS[(first + i) % 7] for i in range(rest))
                                      or "none") + ".",
             f"Count: {a}."]
    return text, a, months + rest, steps, {"kind": "range", "start": [y0, m0, d0],
                                           "end": [y1, m1, d1], "targets": targets}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def year_hits(jan1: int, leap: bool, kind: str, day: int, target: int) -> list[int]:
    """Months (1..12) of a year with the given January 1 weekday that satisfy the question:
    `dom` the `day`-th falls on `target`; `five` the month holds five `target` days."""
    hits, offset = [], 0
    for m in range(1, 13):
        length = 29 if m == 2 and leap else _MONTH_DAYS[m - 1]
        first = (jan1 + offset) % 7
        if (first + day - 1) % 7 == target if kind == "dom" else (target - first) % 7 < length - 28:
            hits.append(m)
        offset += length
    return hits


_SPAN_YEARS = {3: (1, 1), 4: (2, 6), 5: (40, 120)}


def _calendar_years(rng: random.Random, d: int, kind: str) -> Built:
    nyears = rng.randint(*_SPAN_YEARS[d])
    y0 = rng.randint(1700, 2250) if d == 5 else rng.randint(1900, 2090)
    day, target = (13, 4) if d == 3 else (rng.randint(1, 28), rng.randrange(7))
    years = list(range(y0, y0 + nyears))
    jan1 = weekday(y0, 1, 1)
    per_year, w = [], jan1
    for y in years:
        per_year.append((y, w, year_hits(w, is_leap(y), kind, day, target)))
        w = (w + (366 if is_leap(y) else 365)) % 7
    answer = sum(len(h) for _, _, h in per_year)
    if d == 5:
        steps, parts = _grouped_steps(per_year)
        steps.append(f"Total: {' + '.join(parts)} = {answer}.")
    else:
        steps = [f"{y} (January 1 is a {WEEKDAYS[w]}): "
                 f"{', '.join(MONTHS[m - 1] for m in h) or 'none'}." for y, w, h in per_year]
        steps.append(f"Total: {answer}.")
    when = f"of {y0}" if nyears == 1 else f"from January {y0} to December {years[-1]}"
    leaps = LEAP_RULE if d == 5 else _leap_note(years)
    if kind == "five":
        question = f"How many months {when} contain five {WEEKDAYS[target]}s?"
    else:
        what = "Friday the 13th" if d == 3 else f"{WEEKDAYS[target]} the {_ordinal(day)}"
        question = (f"How many months {when} have a {what} (the {_ordinal(day)} falls on a "
                    f"{WEEKDAYS[target]})?")
    text = f"January 1, {y0} is a {WEEKDAYS[jan1]}; {leaps}. {question}"
    meta = {"kind": kind, "years": [years[0], years[-1]], "day": day, "target": target}
    return text, answer, 12 * nyears, steps, meta


def _grouped_steps(per_year: list[tuple[int, int, list[int]]]) -> tuple[list[str], list[str]]:
    """Long spans: January 1 weekdays decade by decade, then one line per year type (and the
    per-type subtotals)."""
    steps = ["January 1 moves 1 weekday later after a common year and 2 after a leap year; a "
             "year's months depend only on that weekday and on leap or not (L marks leap years)."]
    for k in range(0, len(per_year), 10):
        chunk = per_year[k:k + 10]
        steps.append(f"January 1 in {chunk[0][0]}-{chunk[-1][0]}: " + ", ".join(
            WEEKDAYS[w][:3] + (" L" if is_leap(y) else "") for y, w, _ in chunk) + ".")
    types = Counter((is_leap(y), w) for y, w, _ in per_year)
    hits = {(is_leap(y), w): h for y, w, h in per_year}
    parts = []
    for (leap, w), count in sorted(types.items(), key=lambda t: (t[0][0], t[0][1])):
        h = hits[leap, w]
        months = ", ".join(MONTHS[m - 1][:3] for m in h) or "none"
        steps.append(f"{'Leap' if leap else 'Common'} years starting {WEEKDAYS[w][:3]}: {count} "
                     f"x {len(h)} ({months}) = {count * len(h)}.")
        parts.append(str(count * len(h)))
    return steps, parts


_CALENDAR = {1: ("month",), 2: ("range",), 3: ("range", "dom"), 4: ("range", "dom", "five"),
             5: ("dom", "five")}


@generator("enumeration.general.calendar", behavior=Behavior.ENUMERATION, domain=Domain.GENERAL,
           version=2,
           why="The anchor weekday and the leap years (or the leap-year rule) are given, so no "
               "date is recalled and each month is simple arithmetic; the count over many months "
               "or decades needs a walk organised by week, month or year type without a gap.")
def calendar_count(rng: random.Random, difficulty: int) -> Draft:
    """Count weekdays in a month or a date range, or months whose n-th falls on a given weekday
    or that hold five of a weekday, up to spans of a century.

    The anchor weekday and leap years are given, so nothing is recalled; the count is a walk over
    weeks, months and years where one skipped or doubled day changes the answer.
    """
    while True:
        kind = rng.choice(_CALENDAR[difficulty])
        if kind == "month":
            text, answer, work, steps, meta = _calendar_month(rng, difficulty)
        elif kind == "range":
            text, answer, work, steps, meta = _calendar_range(rng, difficulty)
        else:
            text, answer, work, steps, meta = _calendar_years(rng, difficulty, kind)
        if answer > 0:
            break
    return Draft(prompt=f"{text} {INTEGER_FORM}", answer=str(answer),
                 answer_type=AnswerType.INTEGER, steps=tuple(steps), meta=meta, work=work,
                 work_unit="cases")
