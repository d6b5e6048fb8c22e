"""calculation/science: uniform-acceleration and projectile motion with the formulas stated.

Each prompt states the formula(s), g and every unit conversion, so nothing is recalled: the model
substitutes and evaluates. The generator evaluates the same formulas through `Tally`, so the
work count is the number of operations of the solution. `meta` keeps the motion in SI units
(initial speed and a list of phases) so tests re-solve it by time-stepping.
"""

from __future__ import annotations

import random
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import fmt_num, fmt_sig, measured_draft, retry
from reasonscope.bench.generators.calculation.formula import Tally
from reasonscope.taxonomy import Behavior, Domain

KMH = "1 km/h = 1/3.6 m/s"


def _phases_meta(u: float, phases: list[list[Any]], ask: str, factor: float = 1.0
                 ) -> dict[str, Any]:
    """Phases are [acceleration, duration in s] or [acceleration, {"to": final speed}]."""
    return {"kind": "phases", "u": u, "phases": phases, "ask": ask, "factor": factor}


def _uniform(rng: random.Random, difficulty: int) -> Draft:
    tally = Tally()
    if difficulty == 1:
        u, a, t = rng.randint(0, 9), rng.randint(1, 5), rng.randint(1, 9)
        v = tally.eval("v", "u + a*t", u=u, a=a, t=t)
        return measured_draft(f"A cart moving at {u} m/s speeds up at {a} m/s^2 for {t} s. "
                              "Using v = u + a*t, find its final speed.", v, "m/s",
                              [f"v = {u} + {a}×{t} = {v}"], _phases_meta(u, [[a, t]], "v"),
                              tally.ops)
    if rng.random() < 0.5:
        u, a, t = rng.randint(0, 12), rng.randint(1, 6), rng.randint(2, 12)
        s = tally.eval("s", "u*t + a*t**2/2", u=u, a=a, t=t)
        return measured_draft(
            f"A ball starts at {u} m/s and accelerates uniformly at {a} m/s^2 for {t} s. Using "
            "s = u*t + (1/2)*a*t^2, find the distance it covers.", s, "m",
            [f"u*t = {u * t}", f"(1/2)*a*t^2 = {fmt_sig(a * t * t / 2)}", f"s = {fmt_sig(s)}"],
            _phases_meta(u, [[a, t]], "s"), tally.ops)
    u, a, s = rng.randint(0, 15), rng.randint(1, 9), rng.randint(5, 80)
    v = tally.eval("v", "sqrt(u**2 + 2*a*s)", u=u, a=a, s=s)
    return measured_draft(f"A sled starts at {u} m/s and accelerates at {a} m/s^2 over {s} m. "
                          "Using v^2 = u^2 + 2*a*s, find its final speed.", v, "m/s",
                          [f"v^2 = {u}^2 + 2×{a}×{s} = {u * u + 2 * a * s}", f"v = {fmt_sig(v)}"],
                          {"kind": "vsq", "u": u, "a": a, "s": s, "ask": "v", "factor": 1.0},
                          tally.ops)


_DECELERATIONS = (2.5, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8)


def _stopping(rng: random.Random) -> Draft:
    v_kmh, a = rng.randint(30, 130), rng.choice(_DECELERATIONS)
    t_r = rng.choice([0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5])
    tally = Tally()
    v = tally.eval("v", "v_kmh/3.6", v_kmh=v_kmh)
    d = tally.eval("d", "v*t_r + v**2/(2*a)", t_r=t_r, a=a)
    return measured_draft(
        f"A driver travelling at {v_kmh} km/h sees a hazard, reacts after {t_r} s (moving at "
        f"constant speed), then brakes with a constant deceleration of {a} m/s^2 until the car "
        f"stops. Using {KMH}, reaction distance = v*t and braking distance = v^2/(2*a), find the "
        "total stopping distance.", d, "m",
        [f"v = {v_kmh}/3.6 = {fmt_sig(v)} m/s", f"reaction: {fmt_sig(v)}×{t_r} = "
         f"{fmt_sig(v * t_r)} m", f"braking: {fmt_sig(v)}^2/(2×{a}) = {fmt_sig(v * v / (2 * a))} m",
         f"total = {fmt_sig(d)} m"],
        _phases_meta(float(v), [[0.0, t_r], [-a, {"to": 0.0}]], "s"), tally.ops)


def _cliff(rng: random.Random) -> Draft:
    v, th, h, g = rng.randint(50, 400) / 10, rng.randint(10, 70), rng.randint(5, 120), 9.81
    ask = rng.choice(["range", "time", "height"])
    tally = Tally()
    vx = tally.eval("vx", "v*cos(radians(th))", v=v, th=th)
    vy = tally.eval("vy", "v*sin(radians(th))", v=v, th=th)
    steps = [f"vx = {fmt_sig(vx)} m/s, vy = {fmt_sig(vy)} m/s"]
    if ask == "height":
        value = tally.eval("H", "h + vy**2/(2*g)", h=h, g=g)
        what, unit = "greatest height above the ground", "m"
    else:
        t = tally.eval("t", "(vy + sqrt(vy**2 + 2*g*h))/g", h=h, g=g)
        steps.append(f"t = ({fmt_sig(vy)} + sqrt({fmt_sig(vy)}^2 + 2×{g}×{h}))/{g} = "
                     f"{fmt_sig(t)} s")
        value = tally.eval("x", "vx*t") if ask == "range" else t
        what, unit = ("horizontal distance from the cliff to where it lands", "m") \
            if ask == "range" else ("time until it hits the ground", "s")
    steps.append(f"{what} = {fmt_sig(value)} {unit}")
    return measured_draft(
        f"A stone is thrown from the top of a {h} m cliff at {fmt_num(v, 1)} m/s, {th} degrees "
        f"above the horizontal, over level ground. Take g = {g} m/s^2 and ignore air resistance. "
        "Use vx = v*cos(θ), vy = v*sin(θ), flight time t = (vy + sqrt(vy^2 + 2*g*h))/g, "
        f"horizontal distance x = vx*t and greatest height h + vy^2/(2*g). Find the {what}.",
        value, unit, steps,
        {"kind": "projectile", "v": v, "theta": th, "h": h, "g": g, "ask": ask, "factor": 1.0},
        tally.ops)


def _trip(rng: random.Random) -> Draft:
    a1 = rng.choice([0.4, 0.5, 0.6, 0.8, 1.0, 1.2])
    t1, m1, m2 = rng.randint(20, 70), rng.randint(2, 15), rng.randint(2, 15)
    a2, a3 = rng.choice([0.2, 0.25, 0.3, 0.4, 0.5]), rng.choice([0.5, 0.6, 0.75, 0.9, 1.0])
    mass = rng.randint(20, 400) * 100
    tally = Tally()
    v1 = tally.eval("v1", "a1*t1", a1=a1, t1=t1)
    v2_kmh = rng.randint(10, max(11, int(float(v1) * 3.6 * 0.8)))
    ask = rng.choice(["distance", "average"])
    tally.eval("s1", "a1*t1**2/2")
    tally.eval("s2", "v1*m1*60", m1=m1)
    v2 = tally.eval("v2", "v2_kmh/3.6", v2_kmh=v2_kmh)
    t3 = tally.eval("t3", "(v1 - v2)/a2", a2=a2)
    tally.eval("s3", "(v1**2 - v2**2)/(2*a2)")
    tally.eval("s4", "v2*m2*60", m2=m2)
    t5 = tally.eval("t5", "v2/a3", a3=a3)
    tally.eval("s5", "v2**2/(2*a3)")
    total = tally.eval("s", "s1 + s2 + s3 + s4 + s5")
    if ask == "distance":
        value = tally.eval("km", "s/1000")
        unit, factor, q = "km", 1000.0, "the total distance travelled"
    else:
        tally.eval("T", "t1 + m1*60 + t3 + m2*60 + t5")
        value = tally.eval("avg", "s/T*3.6")
        unit, factor, q = "km/h", 1 / 3.6, "its average speed over the whole trip"
    vals = tally.values
    steps = [f"v1 = {a1}×{t1} = {fmt_sig(v1)} m/s; s1 = {fmt_sig(vals['s1'])} m",
             f"s2 = {fmt_sig(v1)}×{m1 * 60} = {fmt_sig(vals['s2'])} m",
             f"v2 = {v2_kmh}/3.6 = {fmt_sig(v2)} m/s; t3 = {fmt_sig(t3)} s, "
             f"s3 = {fmt_sig(vals['s3'])} m",
             f"s4 = {fmt_sig(v2)}×{m2 * 60} = {fmt_sig(vals['s4'])} m",
             f"t5 = {fmt_sig(t5)} s, s5 = {fmt_sig(vals['s5'])} m",
             f"total distance {fmt_sig(total)} m"]
    if ask == "average":
        steps.append(f"total time {fmt_sig(vals['T'])} s; average {fmt_sig(value)} km/h")
    return measured_draft(
        f"A {mass} kg train starts from rest and accelerates at {a1} m/s^2 for {t1} s, cruises "
        f"for {m1} minutes, slows at {a2} m/s^2 until its speed is {v2_kmh} km/h, cruises at that "
        f"speed for {m2} minutes, then brakes at {a3} m/s^2 until it stops. Use v = u + a*t, "
        "s = u*t + (1/2)*a*t^2, the time to change speed from u to v at deceleration a is "
        "(u - v)/a and the distance (u^2 - v^2)/(2*a), 1 km = 1000 m and "
        f"{KMH}. Find {q}.", value, unit, steps,
        _phases_meta(0.0, [[a1, t1], [0.0, m1 * 60.0], [-a2, {"to": float(v2)}],
                           [0.0, m2 * 60.0], [-a3, {"to": 0.0}]],
                     "s" if ask == "distance" else "avg", factor), tally.ops)


@generator("calculation.science.kinematics", behavior=Behavior.CALCULATION,
           domain=Domain.SCIENCE, version=2,
           why="Every formula, g and unit conversion is stated, so no physics is recalled; the "
               "item is substitution and arithmetic, from one addition to a five-phase trip of "
               "about thirty chained operations.")
def kinematics(rng: random.Random, difficulty: int) -> Draft:
    """Uniform-acceleration and projectile motion with the formulas given in the prompt.

    Higher levels chain phases, reaction time, trigonometry and unit conversions.
    """
    if difficulty <= 2:
        return retry(lambda: _uniform(rng, difficulty))
    return retry(lambda: {3: _stopping, 4: _cliff, 5: _trip}[difficulty](rng))
