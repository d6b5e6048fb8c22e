"""Calculation generators, science and general cells: answers re-derived independently.

Science answers are re-solved from the SI problem in `meta` (time-stepping, nodal analysis, the
gas law on every state) and must round to the canonical answer at the precision the prompt asks;
general answers are recomputed from the prompt text alone (Decimal money arithmetic, `datetime`,
a graph search over the stated rates).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from reasonscope.taxonomy import AnswerType

from .rs_genkit import search as _search
from .test_calculation import _items, _rounds_to_answer

# --------------------------------------------------------------------------- science


def _simulate_phases(u: float, phases: list[list[Any]], ask: str) -> float:
    """March the motion in small steps (trapezoid on velocity); a phase given by its final
    speed lasts until that speed is reached."""
    x, v, t = 0.0, float(u), 0.0
    for a, dur in phases:
        duration = (dur["to"] - v) / a if isinstance(dur, dict) else dur
        n = 2000
        dt_ = duration / n
        for _ in range(n):
            v_new = v + a * dt_
            x += (v + v_new) / 2 * dt_
            v, t = v_new, t + dt_
    return {"v": v, "s": x, "avg": x / t}[ask]


def _bisect(f: Any, lo: float, hi: float) -> float:
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def _kinematics_si(meta: dict[str, Any]) -> float:
    if meta["kind"] == "phases":
        return _simulate_phases(meta["u"], meta["phases"], meta["ask"])
    if meta["kind"] == "vsq":
        u, a, s = meta["u"], meta["a"], meta["s"]
        t = _bisect(lambda t: u * t + a * t * t / 2 - s, 0.0, 1e4)
        return float(u + a * t)
    v, th, g, h = meta["v"], math.radians(meta["theta"]), meta["g"], meta["h"]
    vx, vy = v * math.cos(th), v * math.sin(th)
    t_land = _bisect(lambda t: -(h + vy * t - g * t * t / 2), vy / g, 1e4)
    top = h + max(vy * t - g * t * t / 2 for t in np.linspace(0, t_land, 20001))
    return {"range": vx * t_land, "height": float(top), "time": t_land}[meta["ask"]]


def test_kinematics_by_time_stepping() -> None:
    for item in _items("calculation.science.kinematics", range(20)):
        want = _kinematics_si(item.meta) / item.meta["factor"]
        assert _rounds_to_answer(item, want), (item.answer, want, item.prompt)
        assert item.meta["unit"] in item.prompt


def _nodal_voltages(tree: Any, ohms: dict[str, float], volts: float) -> tuple[dict[str, float],
                                                                              float]:
    """Solve the network by nodal analysis: node 1 at `volts`, node 0 grounded."""
    edges: list[tuple[str, int, int]] = []
    count = [2]

    def place(t: Any, a: int, b: int) -> None:
        if isinstance(t, str):
            edges.append((t, a, b))
            return
        kind, kids = t
        if kind == "P":
            for k in kids:
                place(k, a, b)
            return
        nodes = [a]
        for _ in kids[:-1]:
            nodes.append(count[0])
            count[0] += 1
        nodes.append(b)
        for k, (x, y) in zip(kids, itertools.pairwise(nodes), strict=True):
            place(k, x, y)

    place(tree, 1, 0)
    n = count[0]
    g = np.zeros((n, n))
    for name, a, b in edges:
        c = 1 / ohms[name]
        g[a, a] += c
        g[b, b] += c
        g[a, b] -= c
        g[b, a] -= c
    v = np.zeros(n)
    v[1] = volts
    if n > 2:
        free = list(range(2, n))
        v[free] = np.linalg.solve(g[np.ix_(free, free)], -g[np.ix_(free, [1])][:, 0] * volts)
    across = {name: float(v[a] - v[b]) for name, a, b in edges}
    current = sum(across[name] / ohms[name] for name, a, b in edges if a == 1 or b == 1)
    return across, current


def test_circuits_by_nodal_analysis() -> None:
    for item in _items("calculation.science.circuits"):
        m = item.meta
        across, i_total = _nodal_voltages(m["tree"], m["ohms"], m["volts"])
        ask, target = m["ask"]
        r = m["ohms"][target]
        si = {"req": m["volts"] / i_total, "total_current": i_total,
              "current": across[target] / r, "voltage": across[target],
              "power": across[target] ** 2 / r, "total_power": m["volts"] * i_total}[ask]
        assert _rounds_to_answer(item, si / m["factor"]), item.prompt
        for name, ohm in m["ohms"].items():
            shown = ohm / 1000 if "kOhm" in item.prompt else ohm
            label = f"a {shown:g} ohm resistor" if item.difficulty == 1 else f"{name} = {shown:g}"
            assert label in item.prompt


def test_gas_answers_satisfy_the_gas_law() -> None:
    for item in _items("calculation.science.gas_laws"):
        m = item.meta
        states = [list(s) for s in m["states"]]
        i, j = m["unknown"]
        if all(s[3] is not None for s in states):
            for p, v, t, n in states:  # every state of the process obeys PV = nRT
                assert p * v == pytest.approx(n * 8.314 * t, rel=1e-9), item.prompt
            p, v, t, n = states[i]
            want = n * 8.314 * t / v
        else:
            (p1, v1, t1, _), (p2, v2, t2, _) = states
            want = (p1 * v1 / t1 * t2 / p2) if j == 1 else (p1 * v1 / t1 * t2 / v2)
        assert _rounds_to_answer(item, want / m["factor"]), item.prompt
        assert m["unit"] in item.prompt
        if item.difficulty >= 4:
            assert "8.314" in item.prompt
        if item.difficulty == 5:
            pct = int(_search(r"then (\d+)% of the gas", item.prompt).group(1))
            assert states[3][3] == pytest.approx(states[0][3] * (1 - pct / 100))


# --------------------------------------------------------------------------- general

_CENT = Decimal("0.01")


def _pct(amount: Decimal, pct: str) -> Decimal:
    return (amount * Decimal(pct) / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def _receipt_from_prompt(prompt: str) -> Decimal:
    one = re.match(r"One .* costs \$(\d+)\. How much do (\d+) ", prompt)
    if one:
        return Decimal(one[1]) * int(one[2])
    total = Decimal(0)
    for qty, price, promo in re.findall(r"(\d+) [^;]*? at \$(\d+\.\d\d) each( \([^)]*\))?",
                                        prompt):
        line = Decimal(price) * int(qty)
        if "buy 2, get 1 free" in promo:
            line = Decimal(price) * (int(qty) - int(qty) // 3)
        elif promo:
            line -= _pct(line, _search(r"(\d+)% off", promo).group(1))
        total += line
    if m := re.search(r"a (\d+)% discount on the subtotal", prompt):
        total -= _pct(total, m[1])
    coupon = re.search(r"a \$(\d+\.\d\d) coupon if the amount is at least \$(\d+\.\d\d)", prompt)
    if coupon and total >= Decimal(coupon[2]):
        total -= Decimal(coupon[1])
    if m := re.search(r"then ([\d.]+)% sales tax", prompt):
        total += _pct(total, m[1])
    if m := re.search(r"pays with \$(\d+\.\d\d)", prompt):
        total = Decimal(m[1]) - total
    return total


def test_shopping_recomputed_from_prompt() -> None:
    for item in _items("calculation.general.shopping"):
        assert Decimal(item.answer) == _receipt_from_prompt(item.prompt), item.prompt


def _minutes(text: str) -> int:
    if m := re.fullmatch(r"(\d+) minutes", text):
        return int(m[1])
    m = _search(r"^(\d+) h(?: (\d+) min)?$", text)
    return int(m[1]) * 60 + int(m[2] or 0)


def _offset(text: str) -> dt.timezone:
    m = _search(r"UTC([+-])(\d+)(?::(\d\d))?", text)
    minutes = int(m[2]) * 60 + int(m[3] or 0)
    return dt.timezone(dt.timedelta(minutes=minutes if m[1] == "+" else -minutes))


def test_clock_recomputed_with_datetime() -> None:
    for item in _items("calculation.general.clock"):
        p = item.prompt
        if "shift" in p:
            a, b = (dt.datetime.strptime(x, "%H:%M") for x in re.findall(r"\d\d:\d\d", p))
            assert int(item.answer) == (b - a).total_seconds() // 60
            continue
        if m := re.match(r"It is (\d\d:\d\d)\. What time will it be (\d+) hours? later", p):
            t = dt.datetime.strptime(m[1], "%H:%M") + dt.timedelta(hours=int(m[2]))
            assert item.answer == t.strftime("%H:%M")
            continue
        start = _search(r"at (\d\d:\d\d)", p).group(1)
        zones = re.findall(r"UTC[+-]\d+(?::\d\d)?", p)
        tz_from, tz_to = (_offset(zones[0]), _offset(zones[1])) if zones else (dt.UTC,) * 2
        t = dt.datetime.combine(dt.date(2024, 3, 1), dt.datetime.strptime(start, "%H:%M").time(),
                                tzinfo=tz_from)
        for dur in re.findall(r"(?:takes|stop of) (\d+ minutes|\d+ h(?: \d+ min)?)", p):
            t += dt.timedelta(minutes=_minutes(dur))
        want = t.astimezone(tz_to).strftime("%H:%M")
        assert item.answer == want, p
        if want.startswith("0"):
            assert item.meta["aliases"] == [want[1:]]


def _singular(word: str) -> str:
    irregular = {"feet": "foot", "inches": "inch"}
    if word.isupper():
        return word
    return irregular.get(word, word[:-1] if word.endswith("s") else word)


def _convert(rates: dict[str, dict[str, Fraction]], src: str, dst: str) -> Fraction:
    """Breadth-first search over the stated rates, used in both directions."""
    frontier, seen = [(src, Fraction(1))], {src}
    while frontier:
        unit, f = frontier.pop(0)
        if unit == dst:
            return f
        for nxt, k in rates[unit].items():
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, f * k))
    raise AssertionError(f"{src} -> {dst} not connected")


def test_unit_conversion_recomputed_from_stated_rates() -> None:
    for item in _items("calculation.general.unit_conversion"):
        p = item.prompt
        rates: dict[str, dict[str, Fraction]] = {}
        for big, k, small in re.findall(r"1 (\w+) = ([\d.]+) (\w+)", p):
            a, b = _singular(big), _singular(small)
            rates.setdefault(a, {})[b] = Fraction(k)
            rates.setdefault(b, {})[a] = 1 / Fraction(k)
        if m := re.search(r"Convert ([\d.]+) (\w+) per (\w+) to (\w+) per (\w+)\.", p):
            amount = Fraction(m[1])
            f = _convert(rates, _singular(m[2]), _singular(m[4]))
            f /= _convert(rates, m[3], m[5])
        else:
            m = _search(r"How many (\w+) (?:are in|is) ([\d.]+) (\w+)\?", p)
            amount = Fraction(m[2])
            f = _convert(rates, _singular(m[3]), _singular(m[1]))
        if item.answer_type is AnswerType.INTEGER:
            assert (amount * f).denominator == 1 and item.answer == str(amount * f)
        else:
            assert _rounds_to_answer(item, amount * f), p
        assert item.difficulty < 5 or "per" in p


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_DATE = r"(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})"


def _dates(text: str) -> list[dt.date]:
    return [dt.date(int(y), _MONTHS.index(m) + 1, int(d)) for d, m, y in re.findall(_DATE, text)]


def test_calendar_recomputed_with_datetime() -> None:
    for item in _items("calculation.general.calendar"):
        p, ask = item.prompt, item.meta["ask"]
        dates = _dates(p.replace("for example 5 March 2024", ""))
        if ask == "offset":
            n = int(_search(r"What date is (\d+) days after", p).group(1))
            assert _dates(item.answer) == [dates[0] + dt.timedelta(days=n)]
            continue
        ref, target = dates[0], dates[-1]
        stated = _search(r"(?:is|was) a (\w+day)\.", p).group(1)
        assert _WEEKDAYS[ref.weekday()] == stated  # the reference in the prompt is true
        if ask == "weekday":
            assert item.answer == _WEEKDAYS[target.weekday()], p
        else:
            assert int(item.answer) == target.isocalendar()[1], p
        if item.difficulty >= 2:
            assert "leap year" in p and "February 28 (29 in a leap year)" in p
