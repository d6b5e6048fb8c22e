"""Simulation in everyday settings: objects changing hands and a walker's moves (the bank
balance lives in `account`).

Nothing technical is involved (no arithmetic beyond whole-dollar sums, no geometry beyond four
compass directions); what grows with difficulty is the number of events, the number of things
being tracked and the distracting events that change nothing.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

PEOPLE = ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
           "Mallory", "Oscar")
_COLOURS = ("red", "blue", "green", "yellow", "purple", "orange", "white", "black", "pink",
            "brown")
_GIFTS = ("book", "scarf", "lamp", "kite", "clock", "mug", "vase", "hat", "drum", "puzzle")

# ---------------------------------------------------------------------------------------------
# Swapped objects

# (people, swaps, distractor events, pass-along events, ask for everyone's object)
_SWAP_LEVELS = {1: (3, (1, 2), 0, 0, False), 2: (4, (3, 4), 0, 0, False),
                3: (5, (6, 7), 1, 0, False), 4: (6, (12, 13), 2, 1, True),
                5: (7, (27, 29), 4, 3, True)}


def apply_swap_events(holding: list[str], events: list[list[int]]) -> list[str]:
    """Holdings after the events: [0, i, j] swap i and j; [1] everyone passes to the next
    person (the last to the first); [2, i, j] is a distractor that changes nothing."""
    held = list(holding)
    for ev in events:
        if ev[0] == 0:
            i, j = ev[1], ev[2]
            held[i], held[j] = held[j], held[i]
        elif ev[0] == 1:
            held = [held[-1], *held[:-1]]
    return held


def _swap_event_text(ev: list[int], people: list[str]) -> str:
    if ev[0] == 0:
        return f"{people[ev[1]]} and {people[ev[2]]} swap."
    if ev[0] == 1:
        return ("Everyone passes what they hold to the next person in the order first listed "
                "(the last person passes to the first).")
    return f"{people[ev[1]]} and {people[ev[2]]} talk about swapping, but do not."


def _swap_events(rng: random.Random, difficulty: int, things: list[str]) -> list[list[int]]:
    """Swaps and whole-group passes in which the arrangement never returns to one it was in
    before (a later event undoing an earlier one is work a solver could skip), then idle
    distractors."""
    n_people, (s_lo, s_hi), n_noise, n_pass, _ = _SWAP_LEVELS[difficulty]
    while True:
        kinds = [0] * rng.randint(s_lo, s_hi)
        for _ in range(n_pass):
            kinds.insert(rng.randint(1, len(kinds)), 1)
        held, seen = list(things), {tuple(things)}
        events: list[list[int]] = []
        for kind in kinds:
            options = [[1]] if kind else [[0, *rng.sample(range(n_people), 2)] for _ in range(30)]
            for ev in options:
                nxt = apply_swap_events(held, [ev])
                if tuple(nxt) not in seen:
                    held = nxt
                    seen.add(tuple(held))
                    events.append(ev)
                    break
        if len(events) == len(kinds):
            break
    for _ in range(n_noise):
        events.insert(rng.randint(0, len(events)), [2, *rng.sample(range(n_people), 2)])
    return events


@generator("simulation.general.swapped_objects", behavior=Behavior.SIMULATION,
           domain=Domain.GENERAL, version=2,
           why="who holds what changes with every stated swap or pass, and the arrangement "
               "never returns to an earlier one, so it is carried event by event (the top "
               "levels ask for everyone's object); each event is a trivial exchange")
def swapped_objects(rng: random.Random, difficulty: int) -> Draft:
    """People swap the objects they hold in a given sequence; who holds what at the end.

    Each event is trivial; the item tests keeping the whole assignment consistent through many
    swaps, whole-group passes and events that look relevant but change nothing.
    """
    n_people, _, _, _, ask_all = _SWAP_LEVELS[difficulty]
    people = rng.sample(PEOPLE, n_people)
    if rng.random() < 0.5:
        things = [f"{c} ball" for c in rng.sample(_COLOURS, n_people)]
    else:
        things = rng.sample(_GIFTS, n_people)
    events = _swap_events(rng, difficulty, things)
    final = apply_swap_events(things, events)
    moved = [i for i in range(n_people) if final[i] != things[i]] or list(range(n_people))
    ask_item = rng.random() < 0.5
    kind = AnswerType.STRING
    ask: list[object]
    extra: dict[str, object] = {}
    if ask_all:
        order = ", ".join(people[:-1]) + " and " + people[-1]
        question = "What does each person hold at the end?"
        form = (f"Answer with the objects' names only, separated by commas, in the order "
                f"{order}.")
        answer, kind, ask = ", ".join(final), AnswerType.LIST, ["all", -1]
    elif ask_item:
        who = rng.choice(moved)
        question = f"What does {people[who]} hold at the end?"
        answer = final[who]
        extra["aliases"] = ([f"the {answer}", f"a {answer}"]
                            + ([answer.split()[0]] if " " in answer else []))
        form = "Answer with the object."
        ask = ["held_by", who]
    else:
        thing = things[rng.choice(moved)]
        question = f"Who holds the {thing} at the end?"
        answer = people[final.index(thing)]
        form = "Answer with the person's name."
        ask = ["holder_of", things.index(thing)]
    held_text = [f"{p} has the {t}" for p, t in zip(people, things, strict=True)]
    start = ", ".join(held_text[:-1]) + " and " + held_text[-1]
    prompt = (f"{start}. Then, in order: "
              + " ".join(_swap_event_text(ev, people) for ev in events)
              + f" {question} {form}")
    steps = []
    held = list(things)
    for ev in events:
        held = apply_swap_events(held, [ev])
        if ev[0] == 0:
            steps.append(f"{people[ev[1]]} <-> {people[ev[2]]}: {people[ev[1]]} has "
                         f"{held[ev[1]]}, {people[ev[2]]} has {held[ev[2]]}")
        elif ev[0] == 1:
            steps.append("Everyone passes on: " + ", ".join(
                f"{p} has {t}" for p, t in zip(people, held, strict=True)))
    steps.append(f"The answer is {answer}.")
    work = sum(ev[0] != 2 for ev in events)
    return Draft(prompt=prompt, answer=answer, answer_type=kind, steps=tuple(steps),
                 work=work, work_unit="exchanges",
                 meta={"people": people, "things": things, "events": events, "ask": ask,
                       **extra})


# ---------------------------------------------------------------------------------------------
# Grid navigation

HEADINGS = ("north", "east", "south", "west")
STEP = {"north": (0, 1), "east": (1, 0), "south": (0, -1), "west": (-1, 0)}
# (instructions, longest move, sidesteps allowed, distractor sentences)
_NAV_LEVELS = {1: ((1, 2), 3, False, 0), 2: ((3, 4), 5, False, 0), 3: ((6, 7), 9, False, 1),
               4: ((12, 14), 9, True, 2), 5: ((30, 33), 12, True, 3)}
_NOISE = ("pause to tie your shoe", "look around", "wave to a friend", "check the time")


def navigate(x: int, y: int, facing: str, instructions: list[list[object]]
             ) -> tuple[int, int, str]:
    """Apply instructions: [turn, 'left'|'right'|'around'], [move, n] (negative = backward),
    [side, 'left'|'right', n] (a sidestep that keeps the facing), [noise, k]."""
    h = HEADINGS.index(facing)
    for ins in instructions:
        kind = ins[0]
        if kind == "turn":
            h = (h + {"left": -1, "right": 1, "around": 2}[str(ins[1])]) % 4
        elif kind == "move":
            n = int(str(ins[1]))
            dx, dy = STEP[HEADINGS[h]]
            x, y = x + dx * n, y + dy * n
        elif kind == "side":
            side = HEADINGS[(h + (1 if ins[1] == "right" else -1)) % 4]
            dx, dy = STEP[side]
            n = int(str(ins[2]))
            x, y = x + dx * n, y + dy * n
    return x, y, HEADINGS[h]


def _nav_text(ins: list[object]) -> str:
    if ins[0] == "turn":
        return "turn around" if ins[1] == "around" else f"turn {ins[1]}"
    if ins[0] == "move":
        n = int(str(ins[1]))
        return f"walk {'forward' if n > 0 else 'backward'} {abs(n)}"
    if ins[0] == "side":
        return f"sidestep {ins[2]} to the {ins[1]}"
    return _NOISE[int(str(ins[1]))]


def _nav_instructions(rng: random.Random, difficulty: int, x: int, y: int, facing: str,
                      ) -> list[list[object]]:
    """Turns and moves, never two turns in a row (a turn pair is a detour without a walk), and
    from level 3 never back in a state (place and facing) visited before: a walk that undoes
    itself is work a solver could skip."""
    (n_lo, n_hi), longest, sidesteps, _ = _NAV_LEVELS[difficulty]
    instructions: list[list[object]] = []
    state = (x, y, facing)
    seen = {state}
    goal = rng.randint(n_lo, n_hi)
    for _ in range(50 * goal):
        if len(instructions) == goal:
            break
        roll = rng.random()
        turned = bool(instructions) and instructions[-1][0] == "turn"
        ins: list[object]
        if not turned and roll < 0.5:
            ins = ["turn", rng.choice(["left", "right", "left", "right", "around"])]
        elif sidesteps and roll > 0.8:
            ins = ["side", rng.choice(["left", "right"]), rng.randint(1, longest)]
        else:
            n = rng.randint(1, longest)
            ins = ["move", -n if difficulty >= 3 and rng.random() < 0.2 else n]
        nxt = navigate(*state, [ins])
        if difficulty >= 3 and nxt in seen:
            continue
        seen.add(nxt)
        state = nxt
        instructions.append(ins)
    return instructions


@generator("simulation.general.grid_navigation", behavior=Behavior.SIMULATION,
           domain=Domain.GENERAL, version=2,
           why="each walk goes the way the walker faces after all earlier turns, so position and "
               "heading are carried together instruction by instruction (the top levels ask "
               "for the position, which needs both); each move is a small addition")
def grid_navigation(rng: random.Random, difficulty: int) -> Draft:
    """Follow turn and walk instructions on a city grid; report the final position or facing.

    Position and heading interact (a move depends on the current facing), so both must be
    carried through the whole list; sidesteps and idle remarks are added at higher levels. The
    facing alone depends only on the turns, so from level 4 the question is the position.
    """
    n_lo, n_noise = _NAV_LEVELS[difficulty][0][0], _NAV_LEVELS[difficulty][3]
    while True:  # redraw walks whose asked-for state never changed (a free answer)
        x0, y0 = rng.randint(-5, 5), rng.randint(-5, 5)
        facing = rng.choice(HEADINGS)
        instructions = _nav_instructions(rng, difficulty, x0, y0, facing)
        x, y, final = navigate(x0, y0, facing, instructions)
        ask_facing = difficulty <= 3 and rng.random() < 0.3
        if len(instructions) >= n_lo and (
                (final != facing) if ask_facing else ((x, y) != (x0, y0))):
            break
    work = len(instructions)
    for _ in range(n_noise):
        instructions.insert(rng.randint(0, len(instructions)),
                            ["noise", rng.randrange(len(_NOISE))])
    if ask_facing:
        answer, kind = final, AnswerType.STRING
        question = "Which way are you facing at the end? Answer with a compass direction."
        extra: dict[str, object] = {"aliases": [final[0].upper(), f"facing {final}"]}
    else:
        answer, kind = f"({x}, {y})", AnswerType.PYTHON
        question = "Where are you at the end? Answer with the coordinates as (x, y)."
        extra = {}
    said = ", then ".join(_nav_text(i) for i in instructions)
    prompt = (f"On a grid where x grows to the east and y grows to the north, you stand at "
              f"({x0}, {y0}) facing {facing}. You {said}. {question}")
    steps = []
    cx, cy, ch = x0, y0, facing
    for ins in instructions:
        if ins[0] != "noise":
            cx, cy, ch = navigate(cx, cy, ch, [ins])
            steps.append(f"{_nav_text(ins).capitalize()}: at ({cx}, {cy}) facing {ch}")
    steps.append(f"The answer is {answer}.")
    return Draft(prompt=prompt, answer=answer, answer_type=kind, steps=tuple(steps),
                 work=work, work_unit="moves and turns",
                 meta={"start": [x0, y0], "facing": facing, "instructions": instructions,
                       "ask": "facing" if ask_facing else "position", **extra})
