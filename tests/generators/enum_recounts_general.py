"""Independent recounts of enumeration/general items (calendar, letters, seating), read back
from the prompt: `datetime` and `calendar.monthcalendar` instead of Zeller and a month walk,
every distinct permutation (and a closed form) instead of a letter-by-letter DP, and all
permutations instead of a seat-by-seat programme."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator

from reasonscope.items import Item

from .rs_genkit import search as _search

# ---------------------------------------------------------------- general

WEEKDAYS = list(calendar.day_name)
MONTHS = list(calendar.month_name)
GREGORIAN = ("leap years are the years divisible by 4, except that a year divisible by 100 is a "
             "leap year only if it is also divisible by 400")


def _date(text: str) -> dt.date:
    month, day, year = _search(r"([A-Z][a-z]+) (\d+), (\d{4})", text).groups()
    return dt.date(int(year), MONTHS.index(month), int(day))


def _leap_claims_ok(p: str) -> None:
    for year in re.findall(r"(?<!to )(\d{4}) is a leap year", p):
        assert calendar.isleap(int(year))
    for year in re.findall(r"(\d{4}) is not a leap year", p):
        assert not calendar.isleap(int(year))
    span = re.search(r"years (\d{4}) to (\d{4})", p)
    if span:
        leaps = [y for y in range(int(span.group(1)), int(span.group(2)) + 1) if calendar.isleap(y)]
        listed = re.search(r"leap years are ([\d, ]+)\.|only (\d{4}) is", p)
        found = [int(v) for v in re.findall(r"\d{4}", "".join(g or "" for g in listed.groups()))] \
            if listed else []
        assert found == leaps, p
    if "divisible by" in p:  # the rule is stated instead of a list: it is the Gregorian rule
        assert GREGORIAN in p, p


def _targets(p: str) -> set[int]:
    if "weekend days" in p:
        return {5, 6}
    if "weekdays (Monday to Friday)" in p:
        return {0, 1, 2, 3, 4}
    return {WEEKDAYS.index(_search(r"How many ([A-Z][a-z]+day)s", p).group(1))}


def check_calendar(item: Item) -> int:
    p = item.prompt
    _leap_claims_ok(p)
    if p.startswith("A month has"):
        length = int(_search(r"has (\d+) days", p).group(1))
        first = WEEKDAYS.index(_search(r"1st is a ([A-Z][a-z]+)", p).group(1))
        y, mo = next((y, mo) for y in range(2000, 2030) for mo in range(1, 13)
                     if calendar.monthrange(y, mo) == (first, length))
        return sum(1 for d in range(1, length + 1) if dt.date(y, mo, d).weekday() in _targets(p))
    if "inclusive?" in p and " from " in p:
        start, end = (_date(t) for t in _search(r"from (.*?) to (.*?), inclusive", p).groups())
        assert WEEKDAYS[start.weekday()] in p.split(".")[0]
        targets = _targets(p)
        return sum(1 for k in range((end - start).days + 1)
                   if (start + dt.timedelta(days=k)).weekday() in targets)
    jan1 = _date(p)
    assert _search(r"is a ([A-Z][a-z]+);", p).group(1) == WEEKDAYS[jan1.weekday()]
    span = re.search(r"from January (\d{4}) to December (\d{4})", p)
    years = range(int(span.group(1)), int(span.group(2)) + 1) if span else [jan1.year]
    months = [(y, mo) for y in years for mo in range(1, 13)]
    if five := re.search(r"contain five ([A-Z][a-z]+)s\?", p):
        wd = WEEKDAYS.index(five.group(1))
        return sum(1 for y, mo in months
                   if sum(1 for week in calendar.monthcalendar(y, mo) if week[wd]) == 5)
    weekday, day = _search(r"have an? ([A-Z][a-z]+) the (\d+)", p).groups()
    return sum(1 for y, mo in months
               if dt.date(y, mo, int(day)).weekday() == WEEKDAYS.index(weekday))


def _distinct_strings(counts: Counter[str]) -> Iterator[str]:
    """Every distinct arrangement of a multiset of letters, each produced once."""
    if not +counts:
        yield ""
        return
    for ch in sorted(+counts):
        counts[ch] -= 1
        for rest in _distinct_strings(counts):
            yield ch + rest
        counts[ch] += 1


_VOWELS = "aeiou"
_STRING_RULES: list[tuple[str, Callable[[str, str, str], bool]]] = [
    (r"no two identical letters are next to each other()",
     lambda s, _x, _w: all(a != b for a, b in itertools.pairwise(s))),
    (r"no two vowels \(a, e, i, o, u\) are next to each other()",
     lambda s, _x, _w: not any(a in _VOWELS and b in _VOWELS for a, b in itertools.pairwise(s))),
    (r"the string begins with a vowel \(a, e, i, o, u\)()", lambda s, _x, _w: s[0] in _VOWELS),
    (r"the string begins with a consonant \(not a, e, i, o, u\)()",
     lambda s, _x, _w: s[0] not in _VOWELS),
    (r'the string does not begin with "(\w)"', lambda s, x, _w: s[0] != x),
    (r'the string ends with "(\w)"', lambda s, x, _w: s[-1] == x),
    (r'all the "(\w)"s stand together in one block', lambda s, x, w: x * w.count(x) in s),
]


def _no_same_closed_form(counts: Counter[str]) -> int:
    """Arrangements with no two equal neighbours: split each letter's copies into k blocks, with
    inclusion-exclusion signs (-1)^(n - k) C(n - 1, k - 1), then arrange the blocks."""
    total = 0
    for ks in itertools.product(*(range(1, n + 1) for n in counts.values())):
        sign_weight = math.prod((-1) ** (n - k) * math.comb(n - 1, k - 1)
                                for n, k in zip(counts.values(), ks, strict=True))
        total += sign_weight * math.factorial(sum(ks)) // math.prod(math.factorial(k) for k in ks)
    return total


def _check_arrangement(item: Item) -> int:
    p = item.prompt
    word = _search(r'letters of the word "([a-z]+)"', p).group(1)
    conds = _search(r"strings are there in which (.*)\? Give", p).group(1).split(" and ")
    tests = []
    for c in conds:
        found = [(test, m.group(1)) for pattern, test in _STRING_RULES
                 if (m := re.fullmatch(pattern, c))]
        assert len(found) == 1, f"unparsed rule {c!r}"
        tests.append(found[0])
    answer = sum(1 for s in _distinct_strings(Counter(word))
                 if all(test(s, x, word) for test, x in tests))
    if len(conds) == 1 and conds[0].startswith("no two identical"):
        assert answer == _no_same_closed_form(Counter(word))
    return answer


def check_letters(item: Item) -> int:
    p = item.prompt
    if "letters of the word" in p:
        return _check_arrangement(item)
    phrase = _search(r'(?:phrase|in) "([a-z ]+)"', p).group(1)
    letters = [ch for pair in re.findall(r'letters? "([a-z])"(?: and "([a-z])")?', p)
               for ch in pair if ch]
    if "vowels" in p:
        return sum(phrase.count(v) for v in "aeiou")
    if "distinct letters" in p:
        return len(set(phrase.replace(" ", "")))
    if "exactly" in p:
        k = int(_search(r"exactly (\d+) time", p).group(1))
        return sum(1 for ch in set(phrase) - {" "} if phrase.count(ch) == k)
    if "words contain" in p:
        return sum(1 for w in phrase.split() if letters[0] in w)
    assert letters
    return sum(phrase.count(ch) for ch in letters)


def check_seating(item: Item) -> int:
    p = item.prompt
    people = _search(r"^(.*?) sit (?:in|around)", p).group(1).replace(" and ", ", ").split(", ")
    n = int(_search(r"(\d+) seats", p).group(1))
    assert len(people) == n
    round_table = "round table" in p
    conds = _search(r"Conditions: (.*?)\. How many", p).group(1).split("; ")

    Pos = tuple[int, ...]  # Pos[i] = seat of person i; names are turned into indices first

    def near(pos: Pos, a: int, b: int) -> bool:
        d = abs(pos[a] - pos[b])
        return d == 1 or (round_table and d == n - 1)

    rules: list[tuple[str, Callable[[Pos, int, int], bool]]] = [
        (r"(\w+) and (\w+) do not sit next to each other", lambda q, a, b: not near(q, a, b)),
        (r"(\w+) and (\w+) sit next to each other", near),
        (r"(\w+) sits somewhere to the left of (\w+)", lambda q, a, b: q[a] < q[b]),
        (r"(\w+) sits immediately to the left of (\w+)", lambda q, a, b: q[b] - q[a] == 1),
        (r"(\w+) sits in the seat immediately clockwise from (\w+)",
         lambda q, a, b: (q[a] - q[b]) % n == 1),
        (r"(\w+) sits at one of the two ends()", lambda q, a, _: q[a] in (0, n - 1)),
        (r"(\w+) does not sit at either end()", lambda q, a, _: q[a] not in (0, n - 1)),
        (r"(\w+) sits in seat (\d+)", lambda q, a, k: q[a] == k - 1),
        (r"(\w+) does not sit in seat (\d+)", lambda q, a, k: q[a] != k - 1),
    ]
    index = {name: i for i, name in enumerate(people)}
    tests = []
    for c in conds:
        found = [(test, m.groups()) for pattern, test in rules if (m := re.fullmatch(pattern, c))]
        assert len(found) == 1, f"unparsed condition {c!r}"
        test, args = found[0]
        tests.append((test, [index[a] if a in index else int(a) if a else 0 for a in args]))

    count = sum(1 for pos in itertools.permutations(range(n))
                if all(test(pos, *args) for test, args in tests))
    if round_table:  # every rotation class has exactly n members (all people are distinct)
        assert count % n == 0
        return count // n
    return count
