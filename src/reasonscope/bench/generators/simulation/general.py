"""Simulation in everyday settings: objects changing hands, a walker's moves, a bank balance.

Nothing technical is involved (no arithmetic beyond whole-dollar sums, no geometry beyond four
compass directions); what grows with difficulty is the number of events, the number of things
being tracked and the distracting events that change nothing.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

_PEOPLE = ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy",
           "Mallory", "Oscar")
_COLOURS = ("red", "blue", "green", "yellow", "purple", "orange", "white", "black", "pink",
            "brown")
_GIFTS = ("book", "scarf", "lamp", "kite", "clock", "mug", "vase", "hat", "drum", "puzzle")

# ---------------------------------------------------------------------------------------------
# Swapped objects

# (people, swaps, distractor events, pass-along events)
_SWAP_LEVELS = {1: (3, (1, 2), 0, 0), 2: (4, (3, 4), 0, 0), 3: (5, (6, 7), 1, 0),
                4: (6, (9, 11), 2, 1), 5: (7, (15, 18), 4, 2)}


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


@generator("simulation.general.swapped_objects", behavior=Behavior.SIMULATION,
           domain=Domain.GENERAL, version=1)
def swapped_objects(rng: random.Random, difficulty: int) -> Draft:
    """People swap the objects they hold in a given sequence; who holds what at the end.

    Each event is trivial; the item tests keeping the whole assignment consistent through many
    swaps, whole-group passes and events that look relevant but change nothing.
    """
    n_people, (s_lo, s_hi), n_noise, n_pass = _SWAP_LEVELS[difficulty]
    people = rng.sample(_PEOPLE, n_people)
    if rng.random() < 0.5:
        things = [f"{c} ball" for c in rng.sample(_COLOURS, n_people)]
    else:
        things = rng.sample(_GIFTS, n_people)
    events: list[list[int]] = []
    while len(events) < rng.randint(s_lo, s_hi):
        pair = sorted(rng.sample(range(n_people), 2))
        if not events or sorted(events[-1][1:]) != pair:  # an immediate repeat undoes itself
            events.append([0, *rng.sample(pair, 2)])
    for _ in range(n_pass):
        events.insert(rng.randint(1, len(events)), [1])
    for _ in range(n_noise):
        events.insert(rng.randint(0, len(events)), [2, *rng.sample(range(n_people), 2)])
    final = apply_swap_events(things, events)
    moved = [i for i in range(n_people) if final[i] != things[i]] or list(range(n_people))
    ask_item = rng.random() < 0.5
    if ask_item:
        who = rng.choice(moved)
        question = f"What does {people[who]} hold at the end?"
        answer = final[who]
        aliases = [f"the {answer}", f"a {answer}"] + ([answer.split()[0]] if " " in answer else [])
        form = "Answer with the object."
    else:
        thing = things[rng.choice(moved)]
        question = f"Who holds the {thing} at the end?"
        answer = people[final.index(thing)]
        aliases = []
        form = "Answer with the person's name."
    held_text = [f"{p} has the {t}" for p, t in zip(people, things, strict=True)]
    start = ", ".join(held_text[:-1]) + " and " + held_text[-1]
    prompt = (f"{start}. Then, in order: "
              + " ".join(_swap_event_text(ev, people) for ev in events)
              + f" {question} {form}")
    steps = []
    held = list(things)
    for ev in events:
        held = apply_swap_events(held, [ev])
        if ev[0] != 2:
            steps.append(_swap_event_text(ev, people) + " Now: " + ", ".join(
                f"{p}: {t}" for p, t in zip(people, held, strict=True)))
    steps.append(f"The answer is {answer}.")
    return Draft(prompt=prompt, answer=answer, answer_type=AnswerType.STRING, steps=tuple(steps),
                 meta={"people": people, "things": things, "events": events,
                       "ask": ["holder_of", things.index(thing)] if not ask_item
                       else ["held_by", who], "aliases": aliases})


# ---------------------------------------------------------------------------------------------
# Grid navigation

HEADINGS = ("north", "east", "south", "west")
STEP = {"north": (0, 1), "east": (1, 0), "south": (0, -1), "west": (-1, 0)}
# (instructions, longest move, sidesteps allowed, distractor sentences)
_NAV_LEVELS = {1: ((1, 2), 3, False, 0), 2: ((3, 4), 5, False, 0), 3: ((6, 7), 9, False, 1),
               4: ((10, 12), 9, True, 2), 5: ((16, 20), 15, True, 3)}
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


def _nav_instructions(rng: random.Random, difficulty: int, n_lo: int, n_hi: int, longest: int,
                      sidesteps: bool) -> list[list[object]]:
    """Turns and moves, never two turns in a row (a turn pair is a detour without a walk)."""
    instructions: list[list[object]] = []
    for _ in range(rng.randint(n_lo, n_hi)):
        roll = rng.random()
        turned = bool(instructions) and instructions[-1][0] == "turn"
        if not turned and roll < 0.5:
            instructions.append(["turn", rng.choice(["left", "right", "left", "right",
                                                     "around"])])
        elif sidesteps and roll > 0.8:
            instructions.append(["side", rng.choice(["left", "right"]), rng.randint(1, longest)])
        else:
            n = rng.randint(1, longest)
            instructions.append(["move", -n if difficulty >= 3 and rng.random() < 0.2 else n])
    return instructions


@generator("simulation.general.grid_navigation", behavior=Behavior.SIMULATION,
           domain=Domain.GENERAL, version=1)
def grid_navigation(rng: random.Random, difficulty: int) -> Draft:
    """Follow turn and walk instructions on a city grid; report the final position or facing.

    Position and heading interact (a move depends on the current facing), so both must be
    carried through the whole list; sidesteps and idle remarks are added at higher levels.
    """
    (n_lo, n_hi), longest, sidesteps, n_noise = _NAV_LEVELS[difficulty]
    while True:  # redraw walks whose asked-for state never changed (a free answer)
        x0, y0 = rng.randint(-5, 5), rng.randint(-5, 5)
        facing = rng.choice(HEADINGS)
        instructions = _nav_instructions(rng, difficulty, n_lo, n_hi, longest, sidesteps)
        x, y, final = navigate(x0, y0, facing, instructions)
        ask_facing = rng.random() < 0.3
        if (final != facing) if ask_facing else ((x, y) != (x0, y0)):
            break
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
                 meta={"start": [x0, y0], "facing": facing, "instructions": instructions,
                       "ask": "facing" if ask_facing else "position", **extra})


# ---------------------------------------------------------------------------------------------
# Account balance

# (months, transactions per month, withdrawal fee, monthly fee, interest, distractors)
_ACCOUNT_LEVELS = {1: (1, (1, 2), False, False, False, 0), 2: (1, (3, 4), True, False, False, 0),
                   3: (1, (5, 6), True, True, False, 1), 4: (2, (3, 4), True, True, True, 2),
                   5: (4, (4, 5), True, True, True, 4)}


def month_end(balance: int, service: int, rate: int) -> int:
    """Service fee first, then whole-dollar interest (rounded down) on a positive balance."""
    balance -= service
    return balance + (balance * rate // 100 if balance > 0 else 0)


@generator("simulation.general.account_balance", behavior=Behavior.SIMULATION,
           domain=Domain.GENERAL, version=1)
def account_balance(rng: random.Random, difficulty: int) -> Draft:
    """Carry a bank balance through deposits, withdrawals, fees and monthly interest.

    All amounts are whole dollars and every rule (fee per withdrawal, month-end order of fee and
    interest, rounding) is stated, so the arithmetic is easy and the bookkeeping is the task.
    """
    n_months, (t_lo, t_hi), w_fee, m_fee, interest, n_noise = _ACCOUNT_LEVELS[difficulty]
    owner = rng.choice(_PEOPLE)
    other = rng.choice([p for p in _PEOPLE if p != owner])
    big = 10 if difficulty <= 2 else 100 if difficulty <= 3 else 500
    fee = rng.randint(1, 3) if w_fee else 0
    service = rng.randint(2, 9) if m_fee else 0
    rate = rng.randint(1, 5) if interest else 0
    start = rng.randint(2, 9) * big // 2 + rng.randint(0, big // 2)
    balance = start
    months: list[list[list[object]]] = []
    steps: list[str] = []
    for _ in range(n_months):
        txs: list[list[object]] = []
        for _ in range(rng.randint(t_lo, t_hi)):
            amount = rng.randint(1, big)
            if rng.random() < 0.5 and balance - amount - fee >= 0:
                balance -= amount + fee
                txs.append(["withdraw", amount, True])
                steps.append(f"Withdraw ${amount}" + (f" plus ${fee} fee" if fee else "")
                             + f": ${balance}")
            else:
                balance += amount
                txs.append(["deposit", amount, True])
                steps.append(f"Deposit ${amount}: ${balance}")
        for _ in range(n_noise // n_months):
            txs.insert(rng.randint(0, len(txs)),
                       [rng.choice(["deposit", "withdraw"]), rng.randint(1, big), False])
        if m_fee:
            balance = month_end(balance, service, rate)
            steps.append(f"End of month: ${balance}")
        months.append(txs)
    rules = []
    if fee:
        rules.append(f"each withdrawal costs an extra ${fee} fee")
    if m_fee:
        rules.append(f"at the end of each month a ${service} service fee is charged"
                     + (f" and then {rate}% interest on the balance, rounded down to a whole "
                        "dollar, is added" if rate else ""))
    rule_text = f" Rules: {'; '.join(rules)}." if rules else ""

    def tx_text(tx: list[object]) -> str:
        verb = "deposits" if tx[0] == "deposit" else "withdraws"
        if tx[2]:
            return f"{owner} {verb} ${tx[1]}"
        return f"{other} {verb} ${tx[1]} {'into' if tx[0] == 'deposit' else 'from'} " \
               f"{other}'s own account"

    parts = [f"Month {m + 1}: " + "; ".join(tx_text(t) for t in txs) + "."
             if n_months > 1 or m_fee else "; ".join(tx_text(t) for t in txs) + "."
             for m, txs in enumerate(months)]
    when = "the end" if n_months == 1 else f"the end of month {n_months}"
    prompt = (f"{owner}'s bank account holds ${start}.{rule_text} {' '.join(parts)} What is the "
              f"balance of {owner}'s account at {when}? Give the answer in dollars as an integer.")
    steps.append(f"The answer is {balance}.")
    return Draft(prompt=prompt, answer=str(balance), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps),
                 meta={"start": start, "fee": fee, "service": service, "rate": rate,
                       "months": months})
