"""calculation/general: clock arithmetic (durations, elapsed minutes, multi-leg trips, zones).

Start times, durations and UTC offsets are all given; the work is base-60 and modulo-24
arithmetic. The solver works in minutes after midnight and counts each conversion, addition and
wrap-around it performs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain


def hhmm(minutes: int) -> str:
    m = minutes % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def span(minutes: int, style: int) -> str:
    h, m = divmod(minutes, 60)
    if style == 0 or h == 0:
        return f"{minutes} minutes"
    return f"{h} h {m} min" if m else f"{h} h"


def _utc(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    h, m = divmod(abs(offset), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


@dataclass
class ClockSolver:
    """Minutes after midnight, with a count of the operations used to get there."""

    ops: int = 0

    def to_minutes(self, minutes: int) -> int:
        self.ops += 2  # hours × 60, plus minutes
        return minutes

    def duration(self, minutes: int, text: str) -> int:
        self.ops += 2 if " h" in text and "min" in text else 1 if " h" in text else 0
        return minutes

    def offset(self, minutes: int) -> int:
        self.ops += 2 if minutes % 60 else 1  # UTC+h:mm is h × 60 (+ mm)
        return minutes

    def add(self, a: int, b: int) -> int:
        self.ops += 1
        return a + b

    def to_clock(self, minutes: int) -> str:
        self.ops += 1 + (minutes >= 1440 or minutes < 0)  # divmod by 60, wrap past midnight
        return hhmm(minutes)


_CITIES = ("Lisbon", "Cairo", "Delhi", "Tokyo", "Adelaide", "Denver", "Toronto", "Kathmandu",
           "Tehran", "Santiago", "Nairobi", "Honolulu", "Auckland", "Reykjavik", "Lima", "Perth")
_OFFSETS = (0, 60, 120, 180, 210, 270, 330, 345, 420, 480, 540, 570, 600, 720, -180, -210, -300,
            -360, -420, -600)
FMT_NOTE = "Answer in 24-hour HH:MM format."
_LEGS = {3: (2, 2), 4: (3, 4), 5: (5, 6)}


def _hours_later(rng: random.Random) -> Draft:
    start, dur = rng.randint(0, 20) * 60, rng.randint(1, 3) * 60
    while start // 60 + dur // 60 > 23:
        start -= 60
    meta = {"start": hhmm(start), "legs": [dur], "from_offset": 0, "to_offset": 0,
            "ask": "time"}
    hours = f"{dur // 60} hour" + ("s" if dur > 60 else "")
    prompt = f"It is {hhmm(start)}. What time will it be {hours} later? {FMT_NOTE}"
    steps = [f"{start // 60} + {dur // 60} = {(start + dur) // 60}, so {hhmm(start + dur)}"]
    return _clock_draft(prompt, start + dur, steps, meta, 1)


def _elapsed(rng: random.Random) -> Draft:
    start = rng.randint(0, 287) * 5
    length = rng.randint(20, 600)
    start = min(start, 1439 - length)
    end = start + length
    solver = ClockSolver()
    got = solver.add(-solver.to_minutes(start), solver.to_minutes(end))
    return Draft(
        prompt=(f"A shift starts at {hhmm(start)} and ends at {hhmm(end)} the same day. How many "
                "minutes long is it? Give the answer as an integer."),
        answer=str(got), answer_type=AnswerType.INTEGER,
        steps=(f"{hhmm(start)} is minute {start} of the day and {hhmm(end)} is minute {end}.",
               f"{end} - {start} = {got} minutes."),
        meta={"start": hhmm(start), "end": hhmm(end), "ask": "minutes"},
        work=solver.ops, work_unit="operations")


def _trip(rng: random.Random, difficulty: int) -> Draft:
    lo, hi = _LEGS[difficulty]
    n_legs = rng.randint(lo, hi)
    start = rng.randint(0, 287) * 5
    legs = [rng.randint(15, 300) for _ in range(n_legs)]
    waits = [rng.randint(20, 180) for _ in range(n_legs - 1)]
    zones = rng.sample(_OFFSETS, 2) if difficulty == 5 else [0, 0]
    cities = rng.sample(_CITIES, n_legs + 1)
    solver = ClockSolver()
    now = solver.to_minutes(start)
    parts, steps = [], []
    for i, leg in enumerate(legs):
        text = span(leg, rng.randint(0, 1))
        parts.append(f"the trip to {cities[i + 1]} takes {text}")
        steps.append(f"{hhmm(now)} + {leg} min = {hhmm(now + leg)}")
        now = solver.add(now, solver.duration(leg, text))
        if i < len(waits):
            text = span(waits[i], rng.randint(0, 1))
            parts.append(f"then a stop of {text}")
            steps.append(f"{hhmm(now)} + {waits[i]} min = {hhmm(now + waits[i])}")
            now = solver.add(now, solver.duration(waits[i], text))
    if difficulty == 5:
        arrive = solver.add(solver.add(now, -solver.offset(zones[0])), solver.offset(zones[1]))
        lead = (f"A traveller leaves {cities[0]} ({_utc(zones[0])}) at {hhmm(start)} local time. "
                f"{cities[-1]} is at {_utc(zones[1])}. All durations are elapsed times; only these "
                "two time zones matter.")
        ask = f"What is the local time in {cities[-1]} on arrival?"
        steps.append(f"shift from {_utc(zones[0])} to {_utc(zones[1])}: {hhmm(arrive)}")
    else:
        arrive = now
        lead = f"A traveller leaves {cities[0]} at {hhmm(start)} (all places share one time zone)."
        ask = "What time is it on arrival?"
    prompt = f"{lead} In order: {', '.join(parts)}. {ask} {FMT_NOTE}"
    meta = {"start": hhmm(start), "legs": [*legs], "waits": waits, "from_offset": zones[0],
            "to_offset": zones[1], "ask": "time"}
    solver.to_clock(arrive)
    return _clock_draft(prompt, arrive, steps, meta, solver.ops)


def _clock_draft(prompt: str, minutes: int, steps: list[str], meta: dict[str, Any],
                 ops: int) -> Draft:
    answer = hhmm(minutes)
    aliases = [answer[1:]] if answer.startswith("0") else []
    return Draft(prompt=prompt, answer=answer, answer_type=AnswerType.STRING,
                 steps=(*steps, f"The answer is {answer}."),
                 meta={**meta, "aliases": aliases} if aliases else meta,
                 work=ops, work_unit="operations")


@generator("calculation.general.clock", behavior=Behavior.CALCULATION, domain=Domain.GENERAL,
           version=2,
           why="Start times, durations and UTC offsets are all given, so nothing is recalled; "
               "the item is base-60 and modulo-24 arithmetic, from adding whole hours to six "
               "legs with stops across two time zones.")
def clock(rng: random.Random, difficulty: int) -> Draft:
    """Clock arithmetic: adding durations, elapsed minutes, multi-leg trips, time zones."""
    if difficulty == 1:
        return _hours_later(rng)
    if difficulty == 2:
        return _elapsed(rng)
    return _trip(rng, difficulty)
