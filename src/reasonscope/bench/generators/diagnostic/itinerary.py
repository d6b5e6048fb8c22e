"""Travel itineraries across given time zones with at most one inconsistent line.

Each line follows from the one above (arrival = previous clock time + travel time + zone change;
departure = arrival + wait; total = final arrival - first departure in absolute time). Offsets are
given in the text, so nothing is recalled: the skill is checking clock arithmetic line by line.
Times after an injected error follow from the wrong time, so only the first bad line is wrong.
The hard errors keep the clock plausible: a zone change ignored or applied the wrong way round
(a sign error every later line inherits), a date change across midnight dropped or added, the
total taken as the difference of two local clocks, a slip of five minutes.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.diagnostic.common import (
    LINE_QUESTION,
    ErrorSlot,
    choose_error,
    verdict_steps,
    work_to_decide,
)
from reasonscope.taxonomy import AnswerType

# Invented place names: real routes would invite judging flight times against geography, and
# real cities would invite recalling their zones instead of reading the given offsets.
PLACES = ("Arlen", "Brava", "Calder", "Dorran", "Elmira", "Fenwick", "Galtby", "Harlow", "Istra",
          "Jarrow", "Kelso", "Lorne", "Marlow", "Norvik", "Oswin", "Pella", "Quinta", "Rosco",
          "Selby", "Tarn", "Ulmar", "Varda", "Wexley", "Yarrow", "Zennor")
WHOLE_HOUR_ZONES = tuple(range(-600, 721, 60))
ODD_ZONES = (-210, 210, 270, 330, 345, 390, 570, 630)
_NOTES = ("Seat 14C is booked on every flight.", "Checked baggage: one bag, 23 kg.",
          "Booking reference QX7T2L.", "Meals are included on all flights.")


def zone(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


def duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h}h {m:02d}m"


def clock(abs_min: int, tz: int, start_day: int) -> str:
    """Local time of an absolute (UTC) minute, with the day offset from the start's local date."""
    local = abs_min + tz
    day = local // 1440 - start_day
    text = f"{local % 1440 // 60:02d}:{local % 60:02d}"
    return text + (f" (+{day} day{'s' if day > 1 else ''})" if day > 0 else
                   f" ({day} day{'s' if day < -1 else ''})" if day < 0 else "")


def _route(rng: random.Random, difficulty: int) -> list[tuple[str, int]]:
    """Places with their UTC offsets (minutes); one shared zone at level 1."""
    legs = {1: 2, 2: 2, 3: 3, 4: 4, 5: 6}[difficulty]
    names = rng.sample(PLACES, legs + 1)
    if difficulty == 1:
        tz = rng.choice(WHOLE_HOUR_ZONES)
        return [(name, tz) for name in names]
    zones = WHOLE_HOUR_ZONES + (ODD_ZONES if difficulty >= 4 else ())
    while True:
        route = [(name, rng.choice(zones)) for name in names]
        if len({tz for _, tz in route}) > 1:
            return route


def _slip_minutes(rng: random.Random, difficulty: int) -> int:
    sizes = {1: [60, 30], 2: [60, 30, 20], 3: [30, 15, 10, 60], 4: [10, 15, 5, 20],
             5: [5, 10, 15, 20]}[difficulty]
    return rng.choice([-1, 1]) * rng.choice(sizes)


def _day_of(abs_min: int, tz: int, start_day: int) -> int:
    return (abs_min + tz) // 1440 - start_day


def itinerary(rng: random.Random, difficulty: int, slot: ErrorSlot) -> Draft:
    route = _route(rng, difficulty)
    start_tz = route[0][1]
    start_local = rng.randint(5 * 12, 22 * 12) * 5 if difficulty >= 3 else rng.randint(6, 18) * 60
    start_abs = 1440 + start_local - start_tz  # day 1 local at the origin
    start_day = (start_abs + start_tz) // 1440
    step = 5 if difficulty >= 3 else 15
    kinds: list[tuple[str, int]] = [("depart", 0)]
    for i in range(1, len(route)):
        if i > 1:
            kinds.append(("wait", i))
        kinds.append(("fly", i))
    if difficulty >= 2:
        kinds.append(("total", 0))
    for note in rng.sample(_NOTES, {4: 1, 5: 2}.get(difficulty, 0)):
        kinds.insert(rng.randint(1, len(kinds)), ("note:" + note, 0))
    checkable = [n for n, (k, _) in enumerate(kinds, start=1) if k in ("fly", "wait", "total")]
    pos = slot.position(checkable)
    hi_fly = {1: 4, 2: 6, 3: 9, 4: 12, 5: 11}[difficulty]
    t = t_true = start_abs
    lines, original, checks = [], [], []
    error_kind = ""
    for lineno, (kind, i) in enumerate(kinds, start=1):
        if kind.startswith("note:"):
            lines.append(kind[5:])
            original.append(kind[5:])
            checks.append(("no times to check", True))
            continue
        if kind == "depart":
            text = f"Depart {route[0][0]} ({zone(start_tz)}) at {clock(t, start_tz, start_day)}."
            lines.append(text)
            original.append(text)
            checks.append(("the starting point", True))
            continue
        if kind == "total":
            expected = t - start_abs
            value = expected
            if lineno == pos:
                local_gap = (t + route[-1][1]) - (start_abs + start_tz)
                if local_gap != expected and local_gap > 0 and rng.random() < 0.5:
                    error_kind, value = "local_clock_difference", local_gap
                else:
                    error_kind, value = "slip", expected + _slip_minutes(rng, difficulty)
            lines.append(f"Total travel time: {duration(value)}.")
            original.append(f"Total travel time: {duration(t_true - start_abs)}.")
            checks.append((f"{duration(expected)} from first departure to final arrival",
                           value == expected))
            continue
        (place, tz), (prev_place, prev_tz) = route[i], route[i - 1]
        if kind == "wait":
            gap = rng.randint(4, 36) * step if difficulty >= 2 else rng.randint(2, 8) * 15
            expected = t + gap
            value = expected
            if lineno == pos:
                options = [("slip", expected + _slip_minutes(rng, difficulty))]
                if difficulty >= 4:  # the clock right, the date change dropped or added
                    late = _day_of(expected, prev_tz, start_day) > _day_of(t, prev_tz, start_day)
                    options.append(("date", expected - 1440 if late else expected + 1440))
                error_kind, value = choose_error(rng, options, difficulty)
            lines.append(f"Wait {duration(gap)}; depart {prev_place} at "
                         f"{clock(value, prev_tz, start_day)}.")
            t_true += gap
            original.append(f"Wait {duration(gap)}; depart {prev_place} at "
                            f"{clock(t_true, prev_tz, start_day)}.")
            checks.append((f"departure at {clock(expected, prev_tz, start_day)}",
                           value == expected))
        else:
            dur = rng.randint(4, hi_fly * 12) * step if difficulty >= 2 else rng.randint(2, 12) * 15
            expected = t + dur
            value = expected
            if lineno == pos:
                shift = tz - prev_tz
                options = [("slip", expected + _slip_minutes(rng, difficulty))]
                if shift:
                    options += [("zone_ignored", expected - shift),
                                ("zone_reversed", expected - 2 * shift)]
                if difficulty >= 4:  # the clock right, the date change dropped or added
                    late = _day_of(expected, tz, start_day) > _day_of(t, prev_tz, start_day)
                    options.append(("date", expected - 1440 if late else expected + 1440))
                error_kind, value = choose_error(rng, options, difficulty)
            lines.append(f"Fly {duration(dur)} to {place} ({zone(tz)}); arrive at "
                         f"{clock(value, tz, start_day)}.")
            t_true += dur
            original.append(f"Fly {duration(dur)} to {place} ({zone(tz)}); arrive at "
                            f"{clock(t_true, tz, start_day)}.")
            checks.append((f"arrival at {clock(expected, tz, start_day)} local time",
                           value == expected))
        t = value
    numbered = "\n".join(f"{n}. {text}" for n, text in enumerate(lines, start=1))
    rules = ("Clock times are local; flight and wait times are exact."
             + (" A note like '(+1 day)' gives the local date relative to the start date."
                if any("day)" in text for text in lines) else ""))
    prompt = (f"An itinerary:\n{numbered}\n{rules} Which line is the first inconsistent one? "
              f"{LINE_QUESTION}")
    return Draft(prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
                 steps=tuple(verdict_steps(checks, "Line", pos)),
                 work=work_to_decide(pos, checkable), work_unit="lines",
                 meta={"original_lines": original, "route": [list(p) for p in route],
                       "error": {"line": pos, "kind": error_kind} if pos else None})
