"""Shop receipts with at most one inconsistent line.

Every computed line (line totals, subtotal, discount, tax, total, change) is derived from the lines
*shown* above it, so after an injected error the rest of the receipt stays self-consistent and
only the first bad line is wrong. Money is integer cents; percentages and weighed items round half
up to the cent, as the prompt states, so every line has exactly one correct value. The hard errors
are not a changed price but a wrong way of working: a cent lost by rounding down, tax taken on
the subtotal before the discount, the discount added instead of taken off, the change worked out
from the amount before tax, an item left out of the subtotal, a quantity off by one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.diagnostic.common import (
    LINE_QUESTION,
    ErrorSlot,
    choose_error,
    slip_cents,
    verdict_steps,
    work_to_decide,
)
from reasonscope.taxonomy import AnswerType

_UNIT_ITEMS = ("Milk", "Bread", "Eggs (6)", "Butter", "Coffee", "Tea", "Rice", "Pasta", "Yogurt",
               "Cereal", "Juice", "Soap", "Candles", "Notebook", "Pens", "Batteries", "Honey",
               "Olive oil", "Flour", "Jam", "Crackers", "Sponges", "Tissues", "Chocolate")
_WEIGHED_ITEMS = ("Apples", "Tomatoes", "Cheese", "Grapes", "Carrots", "Chicken", "Bananas",
                  "Potatoes", "Salmon", "Cherries")
_NOTES = ("Cashier: Dana", "Loyalty card ending 4821", "Store #12, Elm Street",
          "Thank you for shopping with us", "Receipt no. 20417", "Cashier: Omar")


def money(cents: int) -> str:
    return f"${cents // 100}.{cents % 100:02d}"


def pct_of(cents: int, rate_pct: int, down: bool = False) -> int:
    """rate% of an amount, to the nearest cent, halves up (exact integer arithmetic); `down`
    truncates instead, the slip a careless rounding makes."""
    return cents * rate_pct // 100 if down else (cents * rate_pct * 2 + 100) // 200


def weighed_cost(grams: int, cents_per_kg: int, down: bool = False) -> int:
    return grams * cents_per_kg // 1000 if down else (grams * cents_per_kg * 2 + 1000) // 2000


@dataclass
class _Line:
    kind: str
    text: str = ""
    value: int = 0


def _plan(rng: random.Random, difficulty: int) -> tuple[list[dict[str, int | str]], list[str]]:
    n_items = {1: 2, 2: 3, 3: 4, 4: 6, 5: rng.randint(8, 9)}[difficulty]
    names = rng.sample(_UNIT_ITEMS, n_items)
    weighed = iter(rng.sample(_WEIGHED_ITEMS, len(_WEIGHED_ITEMS)))
    items: list[dict[str, int | str]] = []
    for i, name in enumerate(names):
        if difficulty == 5 and i % 2 == 0 and rng.random() < 0.7:
            items.append({"name": next(weighed), "grams": rng.randint(15, 250) * 10,
                          "price": rng.randint(150, 2500)})
        else:
            top = {1: 4, 2: 5, 3: 6, 4: 8, 5: 12}[difficulty]
            price = (rng.randint(1, 9) * 100 if difficulty == 1
                     else rng.randint(50, 1500 if difficulty < 4 else 4000))
            items.append({"name": name, "qty": rng.randint(1, top), "price": price})
    extras = {1: ["total"], 2: ["subtotal", "tax", "total"],
              3: ["subtotal", "discount", "tax", "total"],
              4: ["subtotal", "discount", "tax", "total", "paid", "change"],
              5: ["subtotal", "discount", "tax", "total", "paid", "change"]}[difficulty]
    return items, extras


def receipt(rng: random.Random, difficulty: int, slot: ErrorSlot) -> Draft:
    items, extras = _plan(rng, difficulty)
    disc_rate = rng.choice([5, 10, 15, 20, 25]) if difficulty < 5 else rng.randint(3, 30)
    tax_rate = rng.choice([5, 8, 10, 20]) if difficulty < 5 else rng.choice([6, 7, 8, 9, 13, 19])
    kinds = [f"item{i}" for i in range(len(items))] + extras
    notes = rng.sample(_NOTES, {4: 1, 5: 2}.get(difficulty, 0))
    for note in notes:  # header or footer lines with nothing to check
        kinds.insert(0 if rng.random() < 0.5 else len(kinds), "note:" + note)
    checkable = [i for i, k in enumerate(kinds, start=1)
                 if not k.startswith("note") and k != "paid"]
    pos = slot.position(checkable)
    shown: dict[str, int] = {}
    lines, checks, original = [], [], []
    true: dict[str, int] = {}
    error_kind = ""
    for lineno, kind in enumerate(kinds, start=1):
        if kind.startswith("note:"):
            lines.append(kind[5:])
            original.append(kind[5:])
            checks.append(("no amounts to check", True))
            continue
        expected, options = _expected(kind, items, shown, disc_rate, tax_rate, rng, difficulty)
        value = expected
        if lineno == pos:
            error_kind, value = choose_error(rng, options, difficulty)
        shown[kind] = value
        true[kind] = value if kind == "paid" else _expected(
            kind, items, true, disc_rate, tax_rate, rng, difficulty)[0]
        text = _render(kind, items, value, disc_rate, tax_rate)
        lines.append(text)
        original.append(_render(kind, items, true[kind], disc_rate, tax_rate))
        want = _render(kind, items, expected, disc_rate, tax_rate)
        checks.append((f"expected '{want}'" if value == expected else
                       f"expected '{want}', but it says {money(value)}", value == expected))
    rules = "Each amount must follow from the lines above it."
    if "discount" in extras:
        rules += (" The discount is a percentage of the subtotal; tax is a percentage of the "
                  "subtotal minus the discount.")
    elif "tax" in extras:
        rules += " Tax is a percentage of the subtotal."
    if difficulty >= 2:
        rules += " Percentages round to the nearest cent, halves up."
    if difficulty == 5:
        rules += " Weighed items cost weight times price per kg, rounded the same way."
    numbered = "\n".join(f"{i}. {t}" for i, t in enumerate(lines, start=1))
    prompt = (f"A receipt:\n{numbered}\n{rules} Which line is the first inconsistent one? "
              f"{LINE_QUESTION}")
    return Draft(prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
                 steps=tuple(verdict_steps(checks, "Line", pos)),
                 work=work_to_decide(pos, checkable), work_unit="lines",
                 meta={"original_lines": original, "discount_pct": disc_rate, "tax_pct": tax_rate,
                       "error": {"line": pos, "kind": error_kind} if pos else None})


def _item_cost(item: dict[str, int | str], qty_delta: int = 0, down: bool = False) -> int:
    if "grams" in item:
        return weighed_cost(int(item["grams"]), int(item["price"]), down)
    return (int(item["qty"]) + qty_delta) * int(item["price"])


def _expected(kind: str, items: list[dict[str, int | str]], s: dict[str, int], disc: int,
              tax: int, rng: random.Random, difficulty: int) -> tuple[int, list[tuple[str, int]]]:
    """The value a line must show given the shown lines above, and plausible wrong values (each
    different from the right one: the caller picks one only for the wrong line)."""
    def slips(v: int) -> list[tuple[str, int]]:
        return [("slip", slip_cents(rng, v, difficulty))]

    def but(v: int, opts: list[tuple[str, int]]) -> tuple[int, list[tuple[str, int]]]:
        return v, [(k, w) for k, w in opts if w != v and w >= 0]

    item_vals = [s.get(f"item{i}", 0) for i in range(len(items))]
    sub = s.get("subtotal", sum(item_vals))
    after = sub - s.get("discount", 0)
    if kind.startswith("item"):
        item = items[int(kind[4:])]
        v = _item_cost(item)
        opts = [*slips(v), ("rounded_down", _item_cost(item, down=True))]
        if "qty" in item and int(item["qty"]) > 1:
            opts.append(("quantity", _item_cost(item, rng.choice([-1, 1]))))
        return but(v, opts)
    if kind == "subtotal":
        v = sum(item_vals)
        return but(v, [*slips(v), ("dropped", v - rng.choice(item_vals))])
    if kind == "discount":
        v = pct_of(sub, disc)
        return but(v, [*slips(v), ("rate", pct_of(sub, disc + rng.choice([-2, 2, 5]))),
                       ("rounded_down", pct_of(sub, disc, down=True))])
    if kind == "tax":
        v = pct_of(after, tax)
        return but(v, [*slips(v), ("tax_base", pct_of(sub, tax)),
                       ("rounded_down", pct_of(after, tax, down=True))])
    if kind == "total":
        v = after + s.get("tax", 0)
        opts = slips(v)
        if s.get("discount"):
            opts.append(("discount_added", sub + s["discount"] + s.get("tax", 0)))
        if s.get("tax"):
            opts.append(("tax_left_out", after))
        return but(v, opts)
    if kind == "paid":
        total = s["total"]
        step = 2000 if total > 2000 else 500
        return (total // step + 1 + rng.randint(0, 2)) * step, []
    if kind == "change":
        v = s["paid"] - s["total"]
        return but(v, [*slips(v), ("change_before_tax", s["paid"] - after)])
    raise ValueError(kind)


def _render(kind: str, items: list[dict[str, int | str]], value: int, disc: int, tax: int) -> str:
    if kind.startswith("item"):
        item = items[int(kind[4:])]
        if "grams" in item:
            kg = f"{int(item['grams']) / 1000:.3f}".rstrip("0").rstrip(".")
            return f"{item['name']}: {kg} kg x {money(int(item['price']))}/kg = {money(value)}"
        return f"{item['name']}: {item['qty']} x {money(int(item['price']))} = {money(value)}"
    return {"subtotal": f"Subtotal: {money(value)}",
            "discount": f"Discount {disc}%: -{money(value)}",
            "tax": f"Tax {tax}%: {money(value)}", "total": f"Total: {money(value)}",
            "paid": f"Paid in cash: {money(value)}", "change": f"Change: {money(value)}"}[kind]
