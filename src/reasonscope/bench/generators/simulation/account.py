"""Simulation in everyday settings: a bank balance carried through a month-by-month ledger.

Nothing technical is involved (whole-dollar sums, a percentage rounded down once a month);
what grows with difficulty is the number of transactions, the rules in play and the
distracting transactions on someone else's account. Withdrawals that would overdraw the
account are declined, so whether a line changes the balance depends on the running balance:
summing the amounts is not a shortcut.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.simulation.general import PEOPLE
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# (months, transactions per month, withdrawal fee, monthly fee, interest, distractors, fewest
# declined withdrawals)
_ACCOUNT_LEVELS = {1: (1, (1, 2), False, False, False, 0, 0),
                   2: (1, (3, 4), True, False, False, 0, 0),
                   3: (1, (6, 7), True, True, False, 1, 1),
                   4: (2, (6, 7), True, True, True, 2, 1),
                   5: (4, (7, 8), True, True, True, 4, 2)}


def month_end(balance: int, service: int, rate: int) -> int:
    """Service fee first, then whole-dollar interest (rounded down) on a positive balance."""
    balance -= service
    return balance + (balance * rate // 100 if balance > 0 else 0)


@dataclass
class _Ledger:
    """The account as the solver keeps it: the balance, each change as a worked step, and
    the number of changes (the work)."""

    balance: int
    fee: int
    steps: list[str] = field(default_factory=list)
    changes: int = 0
    declined: int = 0

    def withdraw(self, amount: int, declines: bool) -> None:
        if declines and amount + self.fee > self.balance:
            self.declined += 1
            self.steps.append(f"Withdraw ${amount}: declined (balance ${self.balance})")
            return
        self.balance -= amount + self.fee
        self.changes += 1
        self.steps.append(f"Withdraw ${amount}" + (f" plus ${self.fee} fee" if self.fee else "")
                          + f": ${self.balance}")

    def deposit(self, amount: int) -> None:
        self.balance += amount
        self.changes += 1
        self.steps.append(f"Deposit ${amount}: ${self.balance}")

    def close_month(self, month: int, service: int, rate: int) -> None:
        after_fee = self.balance - service
        self.balance = month_end(self.balance, service, rate)
        self.changes += 1 + (self.balance != after_fee)
        self.steps.append(f"End of month {month}: ${after_fee} after the fee"
                          + (f", ${self.balance} with interest" if rate else ""))


def _withdrawal(rng: random.Random, ledger: _Ledger, big: int, declines: bool) -> int:
    """An amount that is sometimes within a few dollars of the whole balance, either just
    affordable or just too much (declined, where declines apply): only the exact running
    balance tells which."""
    room = ledger.balance - ledger.fee
    if declines and rng.random() < 0.3:  # close to everything there is: just in, or just out
        near = [room + d for d in range(-(big // 5), big // 5 + 1) if d and room + d > 0]
        return rng.choice(near)
    return rng.randint(1, max(1, min(big, room)))


@generator("simulation.general.account_balance", behavior=Behavior.SIMULATION,
           domain=Domain.GENERAL, version=2,
           why="whether a withdrawal goes through depends on the running balance, and fees and "
               "interest apply at month ends, so the balance is carried transaction by "
               "transaction (adding the amounts up gives a wrong answer); amounts are whole "
               "dollars and every rule is stated")
def account_balance(rng: random.Random, difficulty: int) -> Draft:
    """Carry a bank balance through deposits, withdrawals, fees and monthly interest.

    All amounts are whole dollars and every rule (fee per withdrawal, declined withdrawals,
    month-end order of fee and interest, rounding) is stated, so the arithmetic is easy and the
    bookkeeping is the task.
    """
    n_months, (t_lo, t_hi), w_fee, m_fee, interest, n_noise, min_declined = \
        _ACCOUNT_LEVELS[difficulty]
    declines = min_declined > 0
    owner = rng.choice(PEOPLE)
    other = rng.choice([p for p in PEOPLE if p != owner])
    big = 10 if difficulty <= 2 else 100 if difficulty <= 3 else 500
    fee = rng.randint(1, 3) if w_fee else 0
    service = rng.randint(2, 9) if m_fee else 0
    rate = rng.randint(1, 5) if interest else 0
    while True:
        start = rng.randint(2, 9) * big // 2 + rng.randint(0, big // 2)
        ledger = _Ledger(start, fee)
        months: list[list[list[object]]] = []
        for month in range(1, n_months + 1):
            txs: list[list[object]] = []
            for _ in range(rng.randint(t_lo, t_hi)):
                if rng.random() < 0.5 and ledger.balance > fee:
                    amount = _withdrawal(rng, ledger, big, declines)
                    ledger.withdraw(amount, declines)
                    txs.append(["withdraw", amount, True])
                else:
                    amount = rng.randint(1, big)
                    ledger.deposit(amount)
                    txs.append(["deposit", amount, True])
            for _ in range(n_noise // n_months):
                txs.insert(rng.randint(0, len(txs)),
                           [rng.choice(["deposit", "withdraw"]), rng.randint(1, big), False])
            if m_fee:
                ledger.close_month(month, service, rate)
            months.append(txs)
        if ledger.declined >= min_declined:
            break
    rules = []
    if fee:
        rules.append(f"each withdrawal costs an extra ${fee} fee")
    if declines:
        rules.append("a withdrawal that would take the balance below $0 (fee included) is "
                     "declined and changes nothing")
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
    steps = (*ledger.steps, f"The answer is {ledger.balance}.")
    return Draft(prompt=prompt, answer=str(ledger.balance), answer_type=AnswerType.INTEGER,
                 steps=steps, work=ledger.changes, work_unit="balance changes",
                 meta={"start": start, "fee": fee, "service": service, "rate": rate,
                       "declines": declines, "months": months})
