"""Enumeration / general: letters of shown words, tallied (low levels) or arranged (high levels).

Everything needed is on the page and the words are common ones, so no spelling is recalled. At
the low levels the work is scanning a phrase without skipping or double counting a letter; at
the high levels it is counting the distinct arrangements of a word's letters under stated rules,
which the solver does letter by letter over (letters left, last letter placed) states, never by
listing permutations.
"""

from __future__ import annotations

import random
from collections import Counter
from math import factorial, prod

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.enumeration.words import WORDS
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."
VOWELS = "aeiou"

_LETTER_Q = {  # difficulty: (words in the phrase, question kinds)
    1: ((1, 1), ("count",)), 2: ((2, 3), ("count", "distinct")),
    3: ((5, 8), ("count", "count2", "distinct", "vowels", "words_with", "exactly")),
}

Rule = tuple[str, str]  # (kind, letter); the letter is "" where the rule names none
_RULE_GROUP = {"no_same": "adjacent", "vowels_apart": "adjacent", "start_vowel": "start",
               "start_consonant": "start", "not_start": "start", "end_with": "end",
               "together": "block"}


def describe_rule(rule: Rule) -> str:
    kind, x = rule
    return {
        "no_same": "no two identical letters are next to each other",
        "vowels_apart": "no two vowels (a, e, i, o, u) are next to each other",
        "start_vowel": "the string begins with a vowel (a, e, i, o, u)",
        "start_consonant": "the string begins with a consonant (not a, e, i, o, u)",
        "not_start": f'the string does not begin with "{x}"',
        "end_with": f'the string ends with "{x}"',
        "together": f'all the "{x}"s stand together in one block',
    }[kind]


def _allowed(rules: list[Rule], ch: str, last: str, left: dict[str, int], placed: int,
             length: int, full: Counter[str]) -> bool:
    """Whether letter `ch` may come next, after `last`, with `left` letters still to place."""
    for kind, x in rules:
        if kind == "no_same" and ch == last:
            return False
        if kind == "vowels_apart" and last and last in VOWELS and ch in VOWELS:
            return False
        if placed == 0 and ((kind == "start_vowel" and ch not in VOWELS)
                            or (kind == "start_consonant" and ch in VOWELS)
                            or (kind == "not_start" and ch == x)):
            return False
        if kind == "end_with" and placed == length - 1 and ch != x:
            return False
        if kind == "together":
            started = left[x] < full[x]
            if last == x and left[x] > 0 and ch != x:
                return False  # the block of x is open and must continue
            if ch == x and started and last != x:
                return False  # a second block of x
    return True


def count_arrangements(word: str, rules: list[Rule],
                       first: str | None = None) -> tuple[int, int]:
    """Distinct arrangements of the letters of `word` that obey `rules` (optionally with a fixed
    first letter), and the (letters left, last letter) states visited."""
    full = Counter(word)
    letters = sorted(full)
    layer: dict[tuple[tuple[int, ...], str], int] = {(tuple(full[c] for c in letters), ""): 1}
    states = 1
    for placed in range(len(word)):
        nxt: dict[tuple[tuple[int, ...], str], int] = {}
        for (left_t, last), ways in layer.items():
            left = dict(zip(letters, left_t, strict=True))
            for i, ch in enumerate(letters):
                if not left_t[i] or (placed == 0 and first not in (None, ch)):
                    continue
                if not _allowed(rules, ch, last, left, placed, len(word), full):
                    continue
                key = ((*left_t[:i], left_t[i] - 1, *left_t[i + 1:]), ch)
                nxt[key] = nxt.get(key, 0) + ways
        layer = nxt
        states += len(layer)
    return sum(layer.values()), states


def multinomial(word: str) -> int:
    return factorial(len(word)) // prod(factorial(c) for c in Counter(word).values())


_ARRANGE = {4: ((6, 7), 1, 1, 30), 5: ((7, 8), 1, 2, 150)}  # lengths, repeats, rules, least


def _random_rules(rng: random.Random, word: str, count: int) -> list[Rule]:
    """`count` rules of different groups; with two, the first is an adjacency rule (the one
    that needs inclusion-exclusion or a real case split rather than a fixed position)."""
    counts = Counter(word)
    repeated = sorted(c for c, n in counts.items() if n > 1)
    adjacency = ["no_same"] + (["vowels_apart"] if sum(counts[v] for v in VOWELS) >= 2 else [])
    kinds = [*adjacency, "start_vowel", "start_consonant", "not_start", "end_with", "together"]
    rules: list[Rule] = [(rng.choice(adjacency), "")] if count > 1 else []
    for kind in rng.sample(kinds, len(kinds)):
        if len(rules) == count or _RULE_GROUP[kind] in {_RULE_GROUP[k] for k, _ in rules}:
            continue
        letter = rng.choice(repeated if kind == "together" else sorted(counts)) \
            if kind in ("not_start", "end_with", "together") else ""
        rules.append((kind, letter))
    return rules


def _arrangement(rng: random.Random, difficulty: int) -> Draft:
    (llo, lhi), repeats, n_rules, least = _ARRANGE[difficulty]
    pool = [w for w in WORDS if llo <= len(w) <= lhi
            and sum(1 for n in Counter(w).values() if n > 1) >= repeats]
    while True:
        word = rng.choice(pool)
        rules = _random_rules(rng, word, n_rules)
        answer, states = count_arrangements(word, rules)
        alone = [count_arrangements(word, [r])[0] for r in rules] if len(rules) > 1 else []
        if least <= answer < min([multinomial(word), *alone]):
            break  # every rule removes arrangements the others keep
    counts = Counter(word)
    shown = ", ".join(f"{c} x{n}" if n > 1 else c for c, n in sorted(counts.items()))
    conds = " and ".join(describe_rule(r) for r in rules)
    prompt = (f'The letters of the word "{word}" ({shown}) are rearranged into strings of '
              f"{len(word)} letters (the word itself counts; identical letters are not told "
              f"apart). How many distinct strings are there in which {conds}? {INTEGER_FORM}")
    denominator = " x ".join(f"{n}!" for n in counts.values() if n > 1)
    steps = [f"Without conditions: {len(word)}! / ({denominator}) = {multinomial(word)} "
             f"arrangements.", "Split by the first letter and count the rest letter by letter."]
    firsts = [(c, count_arrangements(word, rules, first=c)[0]) for c in sorted(counts)]
    steps += [f"First letter {c}: {n}" for c, n in firsts if n]
    parts = [str(n) for _, n in firsts if n]
    steps.append(f"Total: {' + '.join(parts)} = {answer}." if len(parts) > 1
                 else f"Total: {answer}.")
    meta = {"word": word, "kind": "arrange", "rules": [list(r) for r in rules]}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=states, work_unit="states")


def _tally(rng: random.Random, difficulty: int) -> Draft:
    (wlo, whi), kinds = _LETTER_Q[difficulty]
    words = [rng.choice(WORDS) for _ in range(rng.randint(wlo, whi))]
    phrase = " ".join(words)
    present = sorted(set(phrase) - {" "})
    kind = rng.choice(kinds)
    per_word = [Counter(w) for w in words]
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
                                           "k": k},
                 work=len(phrase.replace(" ", "")), work_unit="letters")


@generator("enumeration.general.letters", behavior=Behavior.ENUMERATION, domain=Domain.GENERAL,
           version=2,
           why="The phrase or word is shown and every rule is stated, so nothing is recalled; low "
               "levels are a letter-by-letter tally, high levels count hundreds to thousands of "
               "distinct letter arrangements by a case split, with only additions.")
def letters(rng: random.Random, difficulty: int) -> Draft:
    """Tally letters in a phrase (counts, distinct letters, vowels, repeats), or at the high
    levels count the distinct arrangements of a word's letters under adjacency and position rules.

    The only way to fail is to miss or double-count a letter or an arrangement.
    """
    return _tally(rng, difficulty) if difficulty <= 3 else _arrangement(rng, difficulty)
