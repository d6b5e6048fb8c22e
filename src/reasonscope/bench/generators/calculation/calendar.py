"""calculation/general: weekdays, date offsets and ISO week numbers from a stated reference.

The prompt gives a reference date with its weekday, the Gregorian leap-year rule and the month
lengths (and, for ISO weeks, the rule), so no calendar fact is recalled: the item is counting
days. The solver counts days the way the prompt's rules allow (year lengths by the leap rule,
month lengths from the table) and tallies every operation; tests re-derive answers with
`datetime`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
RULES = ("In the Gregorian calendar a year is a leap year if it is divisible by 4, except that "
         "a year divisible by 100 is a leap year only if it is also divisible by 400. Month "
         "lengths: " + ", ".join(f"{m} {n}" for m, n in zip(MONTHS, _LENGTHS, strict=True))
         .replace("February 28", "February 28 (29 in a leap year)") + ".")
ISO_RULE = ("ISO 8601 weeks start on Monday, and week 1 of a year is the week that contains "
            "that year's first Thursday (days before it belong to the last week of the "
            "previous year).")


def long_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@dataclass
class DayCounter:
    """Day arithmetic by the stated rules, counting each operation."""

    ops: int = 0
    notes: list[str] = field(default_factory=list)

    def leap(self, year: int) -> bool:
        self.ops += 1 if year % 4 else 2 if year % 100 else 3
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

    def month_length(self, year: int, month: int) -> int:
        return 29 if month == 2 and self.leap(year) else _LENGTHS[month - 1]

    def year_length(self, year: int) -> int:
        return 366 if self.leap(year) else 365

    def day_of_year(self, d: dt.date) -> int:
        total = d.day
        for m in range(1, d.month):
            total += self.month_length(d.year, m)
            self.ops += 1
        return total

    def leaps_through(self, year: int) -> int:
        """Leap years from 1 to `year` by the stated rule: y//4 - y//100 + y//400."""
        self.ops += 5
        return year // 4 - year // 100 + year // 400

    def days_between(self, a: dt.date, b: dt.date) -> int:
        """b - a in days, for a <= b."""
        if (a.year, a.month) == (b.year, b.month):
            self.ops += 1
            return b.day - a.day
        if a.year == b.year:
            total = self.month_length(a.year, a.month) - a.day
            for m in range(a.month + 1, b.month):
                total += self.month_length(a.year, m)
                self.ops += 1
            self.ops += 2  # the rest of a's month, then b's day
            return total + b.day
        whole = (b.year - a.year) * 365
        leaps = self.leaps_through(b.year - 1) - self.leaps_through(a.year - 1)
        self.ops += 2 + 2 + 1  # years and × 365; the two years before; leap difference
        doy_a, doy_b = self.day_of_year(a), self.day_of_year(b)
        total = whole + leaps + doy_b - doy_a
        self.ops += 3
        self.notes += [f"1 January {a.year} to 1 January {b.year}: {b.year - a.year} × 365 + "
                       f"{leaps} leap days = {whole + leaps} days.",
                       f"{long_date(a)} is day {doy_a} of its year and {long_date(b)} is day "
                       f"{doy_b} of its year: {whole + leaps} + {doy_b} - {doy_a} = {total}."]
        return total

    def weekday(self, ref: dt.date, ref_weekday: int, d: dt.date) -> int:
        days = self.days_between(ref, d) if d >= ref else -self.days_between(d, ref)
        self.ops += 3  # days mod 7, add to the reference weekday, mod 7
        return (ref_weekday + days) % 7

    def add_days(self, d: dt.date, n: int) -> dt.date:
        """The date n days after d, month by month."""
        year, month, day = d.year, d.month, d.day + n
        self.ops += 1
        while day > (length := self.month_length(year, month)):
            self.notes.append(f"{day} - {length} ({MONTHS[month - 1]} {year}) = {day - length}")
            day -= length
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
            self.ops += 2  # subtract the month, step to the next one
        return dt.date(year, month, day)


def _date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))


def _reference(rng: random.Random, year: int) -> tuple[dt.date, str]:
    ref = _date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return ref, f"{long_date(ref)} was a {WEEKDAYS[ref.weekday()]}."


def _weekday_item(rng: random.Random, difficulty: int) -> Draft:
    counter = DayCounter()
    if difficulty == 1:
        ref = _date(rng, dt.date(2000, 1, 1), dt.date(2035, 12, 31)).replace(day=rng.randint(1, 9))
        target = ref + dt.timedelta(days=rng.randint(2, 19))
        if target.month != ref.month:
            target = ref.replace(day=ref.day + 7)
        context = f"{long_date(ref)} is a {WEEKDAYS[ref.weekday()]}."
    else:
        year = rng.randint(1990, 2040)
        if difficulty == 2:
            ref, context = _reference(rng, year)
            target = _date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
        else:
            ref, context = _reference(rng, year)
            years = rng.randint(20, 320) * rng.choice([-1, 1])
            target_year = max(1583, min(9999, year + years))
            target = _date(rng, dt.date(target_year, 1, 1), dt.date(target_year, 12, 31))
        context += " " + RULES
    got = counter.weekday(ref, ref.weekday(), target)
    answer = WEEKDAYS[got]
    days = (target - ref).days
    steps = [*counter.notes, f"From {long_date(ref)} to {long_date(target)} is {days} days.",
             f"{days} mod 7 = {days % 7}, so the weekday moves {days % 7} days on from "
             f"{WEEKDAYS[ref.weekday()]}.", f"The answer is {answer}."]
    return Draft(prompt=f"{context} On which day of the week does {long_date(target)} fall?",
                 answer=answer, answer_type=AnswerType.STRING, steps=tuple(steps),
                 meta={"reference": ref.isoformat(), "date": target.isoformat(), "ask": "weekday",
                       "aliases": [answer[:3]]}, work=counter.ops, work_unit="operations")


def _offset_item(rng: random.Random) -> Draft:
    counter = DayCounter()
    start = _date(rng, dt.date(1900, 1, 1), dt.date(2090, 12, 31))
    n = rng.randint(60, 250)
    end = counter.add_days(start, n)
    answer = long_date(end)
    aliases = [f"{MONTHS[end.month - 1]} {end.day}, {end.year}", end.isoformat()]
    return Draft(prompt=f"{RULES} What date is {n} days after {long_date(start)}? Give it as day, "
                        "month name and year, for example 5 March 2024.",
                 answer=answer, answer_type=AnswerType.STRING,
                 steps=(f"Day {start.day} + {n} = {start.day + n} days into "
                        f"{MONTHS[start.month - 1]} {start.year}.",
                        *counter.notes, f"The answer is {answer}."),
                 meta={"start": start.isoformat(), "days": n, "ask": "offset",
                       "aliases": aliases}, work=counter.ops, work_unit="operations")


def _iso_week_item(rng: random.Random) -> Draft:
    counter = DayCounter()
    year = rng.randint(1990, 2040)
    ref, context = _reference(rng, year)
    target_year = max(1583, min(9999, year + rng.randint(40, 300) * rng.choice([-1, 1])))
    target = _date(rng, dt.date(target_year, 1, 1), dt.date(target_year, 12, 31))
    if rng.random() < 0.4:  # the first and last days of a year test the week-1 rule
        target = target.replace(month=rng.choice([1, 12]), day=rng.choice([1, 2, 3, 29, 30, 31]))
    wd = counter.weekday(ref, ref.weekday(), target)
    doy = counter.day_of_year(target)
    thursday = doy + 3 - wd  # the day of year of this week's Thursday
    counter.ops += 2
    iso_year = target.year
    if thursday < 1:
        iso_year -= 1
        thursday += counter.year_length(iso_year)
        counter.ops += 1
    elif thursday > (length := counter.year_length(iso_year)):
        iso_year += 1
        thursday -= length
        counter.ops += 1
    week = (thursday - 1) // 7 + 1
    counter.ops += 3
    assert (iso_year, week) == target.isocalendar()[:2]
    return Draft(
        prompt=f"{context} {RULES} {ISO_RULE} What is the ISO week number of {long_date(target)}? "
               "Give an integer.", answer=str(week), answer_type=AnswerType.INTEGER,
        steps=(*counter.notes,
               f"{long_date(target)} is a {WEEKDAYS[wd]} and day {doy} of {target.year}.",
               f"The Thursday of its week is day {thursday} of {iso_year}.",
               f"({thursday} - 1) // 7 + 1 = {week}; the answer is {week}."),
        meta={"reference": ref.isoformat(), "date": target.isoformat(), "ask": "iso_week"},
        work=counter.ops, work_unit="operations")


@generator("calculation.general.calendar", behavior=Behavior.CALCULATION, domain=Domain.GENERAL,
           why="A reference weekday, the leap-year rule, the month lengths and the ISO week rule "
               "are stated, so no calendar fact is recalled; the item is counting days, from a "
               "week within one month to centuries of year lengths.")
def calendar(rng: random.Random, difficulty: int) -> Draft:
    """Weekday of a date, the date n days later, or an ISO week number, from a stated reference."""
    if difficulty == 3:
        return _offset_item(rng)
    if difficulty == 5:
        return _iso_week_item(rng)
    return _weekday_item(rng, difficulty)
