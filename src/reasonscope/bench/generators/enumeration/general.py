"""Enumeration / general: calendar counts and letter counts.

The calendar prompts state the anchor weekday and which years are leap years, so no date has to
be recalled: the work is walking days, weeks and months without losing one. Letter counts are the
same skill at its plainest: scanning a phrase and tallying without skipping or double counting.
"""

from __future__ import annotations

import random
from collections import Counter

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.enumeration.words import WORDS
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


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


def day_index(year: int, month: int, day: int) -> int:
    """Days since a fixed origin, by counting whole years and months."""
    y = year - 1
    return (365 * y + y // 4 - y // 100 + y // 400
            + sum(month_days(year, m) for m in range(1, month)) + day)


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


def _calendar_month(rng: random.Random, d: int) -> tuple[str, int, list[str], dict]:
    length, first = rng.choice((28, 29, 30, 31)), rng.randrange(7)
    name, targets = _targets(rng, d >= 2)
    a = weekday_hits(first, length, targets)
    weeks, rest = divmod(length, 7)
    extra = [WEEKDAYS[(first + i) % 7] for i in range(rest)]
    return (f"A month has {length} days and its 1st is a {WEEKDAYS[first]}. How many {name} "
            f"does it have?", a,
            [f"{length} days = {weeks} full weeks + {rest} days.",
             f"The extra days are {', '.join(extra) or 'none'}.", f"Count: {a}."],
            {"kind": "month", "length": length, "first": first, "targets": targets})


def _calendar_range(rng: random.Random, d: int) -> tuple[str, int, list[str], dict]:
    span = rng.randint(*{2: (15, 60), 3: (60, 200), 4: (200, 800)}[d])
    y0, m0 = rng.randint(1900, 2090), rng.randint(1, 12)
    d0 = rng.randint(1, month_days(y0, m0))
    start = day_index(y0, m0, d0)
    y1, m1, d1 = y0, m0, d0 + span - 1
    while d1 > month_days(y1, m1):
        d1 -= month_days(y1, m1)
        m1, y1 = (1, y1 + 1) if m1 == 12 else (m1 + 1, y1)
    days = day_index(y1, m1, d1) - start + 1
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
    steps = [f"Days from {_date(y0, m0, d0)} to {_date(y1, m1, d1)} inclusive: {days}.",
             f"{days} = {weeks} full weeks + {rest} days; each full week holds each weekday once.",
             "The extra days are " + (", ".join(WEEKDAYS[(first + i) % 7] for i in range(rest))
                                      or "none") + ".",
             f"Count: {a}."]
    return text, a, steps, {"kind": "range", "start": [y0, m0, d0], "end": [y1, m1, d1],
                            "targets": targets}


def _calendar_dom(rng: random.Random, d: int) -> tuple[str, int, list[str], dict]:
    nyears = rng.randint(*{3: (1, 1), 4: (1, 2), 5: (3, 10)}[d])
    y0 = rng.randint(1900, 2090)
    day, target = (13, 4) if d == 3 else (rng.randint(1, 28), rng.randrange(7))
    jan1 = weekday(y0, 1, 1)
    a, steps, w = 0, [], jan1
    for y in range(y0, y0 + nyears):
        offset, hits = 0, []
        for m in range(1, 13):
            if (w + offset + day - 1) % 7 == target:
                hits.append(MONTHS[m - 1])
            offset += month_days(y, m)
        a += len(hits)
        steps.append(f"{y} (January 1 is a {WEEKDAYS[w]}): {', '.join(hits) or 'none'}.")
        w = (w + offset) % 7
    steps.append(f"Total: {a}.")
    years = list(range(y0, y0 + nyears))
    when = f"of {y0}" if nyears == 1 else f"from January {y0} to December {years[-1]}"
    what = "Friday the 13th" if d == 3 else f"{WEEKDAYS[target]} the {_ordinal(day)}"
    text = (f"January 1, {y0} is a {WEEKDAYS[jan1]}; {_leap_note(years)}. How many months {when} "
            f"have a {what} (the {_ordinal(day)} falls on a {WEEKDAYS[target]})?")
    return text, a, steps, {"kind": "dom", "years": years, "day": day, "target": target}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_CALENDAR = {1: ("month",), 2: ("month", "range"), 3: ("range", "dom"), 4: ("range", "dom"),
             5: ("dom",)}


@generator("enumeration.general.calendar", behavior=Behavior.ENUMERATION, domain=Domain.GENERAL)
def calendar_count(rng: random.Random, difficulty: int) -> Draft:
    """Count weekdays in a month or a date range, or months whose n-th falls on a given weekday.

    The anchor weekday and leap years are given, so nothing is recalled; the count is a walk over
    weeks and months where one skipped or doubled day changes the answer.
    """
    build = {"month": _calendar_month, "range": _calendar_range, "dom": _calendar_dom}
    while True:
        kind = rng.choice(_CALENDAR[difficulty])
        text, answer, steps, meta = build[kind](rng, difficulty)
        if answer > 0:
            break
    return Draft(prompt=f"{text} {INTEGER_FORM}", answer=str(answer),
                 answer_type=AnswerType.INTEGER, steps=tuple(steps), meta=meta)


# ---------------------------------------------------------------- letters

_LETTER_Q = {  # difficulty: (words in the phrase, question kinds)
    1: ((1, 1), ("count",)), 2: ((2, 3), ("count", "distinct")),
    3: ((4, 6), ("count", "distinct", "vowels", "words_with")),
    4: ((6, 9), ("count", "distinct", "vowels", "exactly")),
    5: ((10, 14), ("count2", "distinct", "exactly", "vowels")),
}
VOWELS = "aeiou"


@generator("enumeration.general.letters", behavior=Behavior.ENUMERATION, domain=Domain.GENERAL)
def letters(rng: random.Random, difficulty: int) -> Draft:
    """Count a letter's occurrences, distinct letters, vowels or repeated letters in a phrase.

    Everything needed is on the page; the only way to fail is to miss or double-count a letter.
    """
    (wlo, whi), kinds = _LETTER_Q[difficulty]
    words = [rng.choice(WORDS) for _ in range(rng.randint(wlo, whi))]
    phrase = " ".join(words)
    present = sorted(set(phrase) - {" "})
    kind = rng.choice(kinds)
    per_word = [Counter(w) for w in words]
    steps: list[str] = []
    chosen: list[str] = []
    k = 0
    if kind in ("count", "count2", "words_with", "vowels"):
        if kind == "vowels":
            chosen = list(VOWELS)
        else:
            chosen = sorted(rng.sample(present, 2 if kind == "count2" else 1))
        hits = [sum(c[ch] for ch in chosen) for c in per_word]
        answer = sum(1 for h in hits if h) if kind == "words_with" else sum(hits)
        steps = [f"{w}: {h}" for w, h in zip(words, hits, strict=True)] + [f"Total: {answer}."]
        quoted = " and ".join(f'"{ch}"' for ch in chosen)
        question = {
            "count": f"How many times does the letter {quoted} appear in it",
            "count2": f"How many times in total do the letters {quoted} appear in it",
            "words_with": f"How many of its words contain the letter {quoted}",
            "vowels": "How many vowels (a, e, i, o, u; not y) does it contain",
        }[kind]
    else:
        totals = sum(per_word, Counter())
        order = list(dict.fromkeys(ch for w in words for ch in w))
        if kind == "distinct":
            answer = len(order)
            question = "How many distinct letters does it contain"
            steps = [f"Letters in order of first appearance: {', '.join(order)}.",
                     f"Count: {answer}."]
        else:
            k = rng.choice((1, 2, 3))
            matched = [ch for ch in order if totals[ch] == k]
            answer = len(matched)
            question = f"How many different letters appear in it exactly {k} time{'s' * (k > 1)}"
            steps = ["Letter counts: " + ", ".join(f"{ch} {totals[ch]}" for ch in order) + ".",
                     f"Exactly {k}: {', '.join(matched) or 'none'}; count {answer}."]
    if difficulty == 1:
        prompt = question.replace(" in it", f' in "{phrase}"') + f"? {INTEGER_FORM}"
    else:
        prompt = f'Consider the phrase "{phrase}". {question}? {INTEGER_FORM}'
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta={"phrase": phrase, "kind": kind, "letters": chosen,
                                           "k": k})
