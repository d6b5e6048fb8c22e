"""Enumeration / science: Mendelian crosses and spectral-line counts (microstates live in
`microstates`).

Every rule (dominance, selection rules, what a microstate is) is stated in the prompt, so the
science supplies only the setting: the work is counting the combinations, transitions or
arrangements without gaps or double counts.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import prod

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."
FRACTION_FORM = "Answer with a fraction in lowest terms."


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _frac(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


# ---------------------------------------------------------------- Mendelian crosses

_LETTERS = "ABDEGHKLMNPRT"


def genotype_text(letter: str, dominant_alleles: int) -> str:
    return letter * dominant_alleles + letter.lower() * (2 - dominant_alleles)


def gene_offspring(p1: int, p2: int) -> dict[int, Fraction]:
    """Offspring distribution of the dominant-allele count for one gene (Punnett product rule)."""
    a, b = Fraction(p1, 2), Fraction(p2, 2)
    dist = {2: a * b, 1: a * (1 - b) + b * (1 - a), 0: (1 - a) * (1 - b)}
    return {k: v for k, v in dist.items() if v}


def phenotype(count: int, incomplete: bool) -> str:
    if incomplete:
        return {2: "homozygous-dominant", 1: "intermediate", 0: "homozygous-recessive"}[count]
    return "dominant" if count else "recessive"


_MENDEL = {  # difficulty: (gene count range, question kinds, allow incomplete dominance)
    1: ((1, 1), ("genotypes", "phenotypes", "frac_pheno", "frac_geno"), False),
    2: ((2, 2), ("genotypes", "phenotypes", "frac_pheno", "frac_geno", "homozygous"), False),
    3: ((2, 3), ("genotypes", "phenotypes", "frac_pheno", "frac_geno", "homozygous"), True),
    4: ((3, 4), ("genotypes", "phenotypes", "frac_pheno", "homozygous", "exactly_k"), True),
    5: ((4, 5), ("genotypes", "phenotypes", "frac_pheno", "exactly_k"), True),
}


def _mendel_answer(kind: str, dists: list[dict[int, Fraction]], incomplete: list[bool],
                   target: list[int], k: int) -> tuple[Fraction, list[str]]:
    """The count or fraction by the product rule over independent genes, with its worked steps."""
    if kind == "genotypes":
        per = [len(d) for d in dists]
        return Fraction(prod(per)), [f"Multiply the genotype counts per gene: "
                                     f"{' x '.join(map(str, per))} = {prod(per)}."]
    if kind == "phenotypes":
        per = [len({phenotype(c, inc) for c in d})
               for d, inc in zip(dists, incomplete, strict=True)]
        return Fraction(prod(per)), [f"Phenotypes per gene: {', '.join(map(str, per))}; multiply: "
                                     f"{prod(per)}."]
    if kind == "frac_geno":
        per_f = [d[t] for d, t in zip(dists, target, strict=True)]
    elif kind == "frac_pheno":
        per_f = [sum((p for c, p in d.items() if phenotype(c, inc) == phenotype(t, inc)),
                     Fraction(0)) for d, inc, t in zip(dists, incomplete, target, strict=True)]
    elif kind == "homozygous":
        per_f = [d.get(0, Fraction(0)) + d.get(2, Fraction(0)) for d in dists]
    else:  # exactly_k: number of genes showing the dominant phenotype
        poly = [Fraction(1)]
        for d in dists:
            pd = 1 - d.get(0, Fraction(0))
            poly = [(poly[i] if i < len(poly) else 0) * (1 - pd)
                    + (poly[i - 1] * pd if i else 0) for i in range(len(poly) + 1)]
        pds = [1 - d.get(0, Fraction(0)) for d in dists]
        return poly[k], [
            "P(dominant phenotype) per gene: " + ", ".join(_frac(p) for p in pds) + ".",
            "Multiply gene by gene, tracking how many genes are dominant: "
            + ", ".join(f"{i}: {_frac(p)}" for i, p in enumerate(poly)) + ".",
            f"Exactly {k} dominant: {_frac(poly[k])}."]
    total = prod(per_f, start=Fraction(1))
    return total, ["Multiply the per-gene probabilities: "
                   + " x ".join(_frac(p) for p in per_f) + f" = {_frac(total)}."]


@generator("enumeration.science.mendel_cross", behavior=Behavior.ENUMERATION,
           domain=Domain.SCIENCE)
def mendel_cross(rng: random.Random, difficulty: int) -> Draft:
    """Count offspring genotypes/phenotypes, or the share with a trait, in a multi-gene cross.

    Dominance and independent assortment are stated; the skill is enumerating the gamete
    combinations (or applying the product rule over genes) without missing a class.
    """
    (glo, ghi), kinds, allow_inc = _MENDEL[difficulty]
    while True:
        g = rng.randint(glo, ghi)
        letters = sorted(rng.sample(_LETTERS, g))
        genos = (0, 1, 2) if difficulty < 3 else (0, 1, 1, 1, 2)  # favour segregating genes
        parents = [[rng.choice(genos) for _ in range(g)] for _ in range(2)]
        incomplete = [allow_inc and rng.random() < 0.3 for _ in range(g)]
        kind = rng.choice(kinds)
        if kind == "exactly_k":
            incomplete = [False] * g
        dists = [gene_offspring(a, b) for a, b in zip(*parents, strict=True)]
        target = [rng.choice(sorted(d)) for d in dists]
        k = rng.randint(1, g - 1) if g > 1 else 1
        value, tail = _mendel_answer(kind, dists, incomplete, target, k)
        if (value > 1) if kind in ("genotypes", "phenotypes") else (0 < value < 1):
            break
    cross = " x ".join("".join(genotype_text(c, n) for c, n in zip(letters, p, strict=True))
                       for p in parents)
    comp = [c for c, inc in zip(letters, incomplete, strict=True) if not inc]
    inc_l = [c for c, inc in zip(letters, incomplete, strict=True) if inc]
    rules = []
    if comp:
        rules.append(_join([f"{c} is completely dominant over {c.lower()}" if i == 0
                            else f"{c} over {c.lower()}" for i, c in enumerate(comp)]))
    if inc_l:
        rules.append(_join(inc_l) + f" show{'s' * (len(inc_l) == 1)} incomplete dominance "
                     "(heterozygotes are intermediate)")
    traits = [("the " + phenotype(t, inc) + f" {c} trait") for c, t, inc
              in zip(letters, target, incomplete, strict=True)]
    question = {
        "genotypes": f"How many distinct genotypes can the offspring have? {INTEGER_FORM}",
        "phenotypes": f"How many distinct phenotypes can the offspring show? {INTEGER_FORM}",
        "frac_pheno": f"What fraction of the offspring show {_join(traits)}? {FRACTION_FORM}",
        "frac_geno": ("What fraction of the offspring have genotype "
                      + "".join(genotype_text(c, t) for c, t in zip(letters, target, strict=True))
                      + f"? {FRACTION_FORM}"),
        "homozygous": ("What fraction of the offspring are homozygous at every gene? "
                       + FRACTION_FORM),
        "exactly_k": (f"What fraction of the offspring show the dominant phenotype for exactly {k} "
                      f"of the {g} traits? {FRACTION_FORM}"),
    }[kind]
    if g == 1:
        prompt = f"In the cross {cross} ({rules[0]}), {question[0].lower()}{question[1:]}"
    else:
        prompt = (f"Genes {_join(letters)} assort independently; {'; '.join(rules)}. "
                  f"Parents {cross} are crossed. {question}")
    steps = [f"{c}: {genotype_text(c, a)} x {genotype_text(c, b)} gives "
             + ", ".join(f"{genotype_text(c, n)} {_frac(p)}" for n, p in sorted(d.items(),
                                                                                reverse=True)) + "."
             for c, a, b, d in zip(letters, parents[0], parents[1], dists, strict=True)]
    steps += tail
    meta = {"letters": letters, "parents": parents, "incomplete": incomplete, "kind": kind,
            "target": target, "k": k}
    if kind in ("genotypes", "phenotypes"):
        return Draft(prompt=prompt, answer=str(int(value)), answer_type=AnswerType.INTEGER,
                     steps=tuple(steps), meta=meta)
    return Draft(prompt=prompt, answer=_frac(value), answer_type=AnswerType.RATIONAL,
                 steps=tuple(steps), meta=meta)


# ---------------------------------------------------------------- spectral lines


def nl_pairs(n: int, n_low: int, lmax: int) -> int:
    """(l, l') pairs with |l - l'| = 1 between shells n > n_low, l capped at lmax.

    With top = min(n-1, lmax) >= low = min(n_low-1, lmax): l = l' - 1 works for the `low` values
    l' >= 1, and l = l' + 1 for the min(low + 1, top) values with l' + 1 <= top.
    """
    top, low = min(n - 1, lmax), min(n_low - 1, lmax)
    return min(low + 1, top) + low


def j_values(ell: int) -> list[Fraction]:
    if ell == 0:
        return [Fraction(1, 2)]
    return [Fraction(2 * ell - 1, 2), Fraction(2 * ell + 1, 2)]


def nlj_pairs(n: int, n_low: int) -> int:
    """Allowed (l, j) -> (l', j') combinations between two shells, grouped by the l pair."""
    total = 0
    for l_low in range(n_low):
        for ell in (l_low - 1, l_low + 1):
            if 0 <= ell < n:
                total += sum(1 for j in j_values(ell) for j2 in j_values(l_low)
                             if abs(j - j2) <= 1)
    return total


def _lines_prompt(kind: str, lo: int, hi: int, d: int, lmax: int) -> str:
    levels = f"levels n = {lo} to {hi}" if lo > 1 else f"levels n = 1 to {hi}"
    if kind == "cascade":
        if lo == 1:
            return (f"An electron is excited to level n = {hi} and returns to n = 1 by any "
                    f"sequence of downward jumps. How many different spectral lines can appear?")
        return (f"Atoms are excited among {levels} only. Counting every downward jump between two "
                f"of these levels as one line, how many different lines can be emitted?")
    if kind == "series":
        return (f"Electrons are excited up to level n = {hi}. How many different emission lines "
                f"end on level n = {lo}?")
    if kind == "delta":
        return (f"Consider {levels}. Only downward jumps that change n by at most {d} are allowed. "
                f"How many different emission lines are possible?")
    jump = f" (n decreasing by at most {d})" if d < hi - lo else ""
    if kind == "nl":
        ls = "l = 0, ..., n-1" if lmax >= hi - 1 else f"l = 0, ..., min(n-1, {lmax})"
        return (f"In a hydrogen-like atom take every state (n, l) with {lo} <= n <= {hi} and "
                f"{ls}. Count the emission transitions to a state with lower n{jump} that "
                f"obey the selection rule: l changes by exactly 1. How many are there?")
    return (f"In a hydrogen-like atom take every state (n, l, j) with {lo} <= n <= {hi}, "
            f"l = 0, ..., n-1 and j = l - 1/2 or l + 1/2 (j > 0, so only j = 1/2 for l = 0). "
            f"Count the emission transitions to a state with lower n{jump} that obey the selection "
            f"rules l changes by exactly 1 and j changes by 0 or 1. How many are there?")


_LINES = {  # difficulty: kinds
    1: ("cascade", "series"), 2: ("cascade", "delta", "energies"),
    3: ("delta", "nl", "energies", "energies"), 4: ("nl", "nl", "energies", "energies"),
    5: ("nl", "nl", "nlj", "energies", "energies"),
}


def _shell_lines(kind: str, lo: int, hi: int, lmax: int, jump: int) -> tuple[int, list[str]]:
    answer, steps = 0, []
    for n in range(lo + 1, hi + 1):
        lows = range(max(lo, n - jump), n)
        per = [nl_pairs(n, n2, lmax) if kind == "nl" else nlj_pairs(n, n2) for n2 in lows]
        answer += sum(per)
        steps.append(f"From n = {n}: " + ", ".join(
            f"to n = {n2}: {c}" for n2, c in zip(lows, per, strict=True))
            + f"; subtotal {sum(per)}.")
    return answer, [*steps, f"Total: {answer}."]


def _energy_lines(levels: list[int]) -> tuple[int, list[str]]:
    steps, seen = [], set()
    for i in range(len(levels) - 1, 0, -1):
        gaps = [levels[i] - levels[k] for k in range(i - 1, -1, -1)]
        seen.update(gaps)
        steps.append(f"From {levels[i]}: " + ", ".join(map(str, gaps)) + ".")
    distinct = sorted(seen)
    steps.append(f"Distinct values: {', '.join(map(str, distinct))}; count {len(distinct)}.")
    return len(distinct), steps


def _level_lines(kind: str, lo: int, hi: int, d: int) -> tuple[int, list[str]]:
    m = hi - lo + 1
    if kind == "cascade":
        return m * (m - 1) // 2, [f"{m} levels; every pair gives one line: "
                                  f"C({m}, 2) = {m * (m - 1) // 2}."]
    if kind == "series":
        return hi - lo, [f"Lines end on n = {lo} and start from n = {lo + 1}..{hi}: {hi - lo}."]
    answer = sum(m - s for s in range(1, d + 1))
    return answer, [f"A jump of size s fits {m} - s times among {m} levels.",
                    " + ".join(f"({m} - {s})" for s in range(1, d + 1)) + f" = {answer}."]


@generator("enumeration.science.spectral_lines", behavior=Behavior.ENUMERATION,
           domain=Domain.SCIENCE)
def spectral_lines(rng: random.Random, difficulty: int) -> Draft:
    """Count emission lines between energy levels, with selection rules at the higher levels.

    Each line is a pair of levels allowed by a stated rule (or a distinct energy difference);
    counting them grouped by the upper level is the whole task.
    """
    while True:
        kind = rng.choice(_LINES[difficulty])
        lo, hi, d, lmax, levels = 1, 0, 0, 0, [0]
        if kind == "energies":
            count = rng.randint(*{2: (3, 4), 3: (4, 5), 4: (5, 7), 5: (7, 9)}[difficulty])
            levels = [0, *sorted(rng.sample(range(1, 4 * count + 1), count - 1))]
            answer, steps = _energy_lines(levels)
            if difficulty >= 3 and answer == count * (count - 1) // 2:
                continue  # no coincident differences: nothing to de-duplicate
            prompt = (f"An atom has energy levels at {', '.join(map(str, levels))} (in eV). A "
                      f"downward jump between any two levels emits a photon whose energy is their "
                      f"difference. How many different photon energies are possible?")
            break
        if kind in ("nl", "nlj"):
            hi = rng.randint(*{3: (3, 7), 4: (4, 8), 5: (5, 10)}[difficulty]) if kind == "nl" \
                else rng.randint(3, 6)
            lo = rng.randint(1, max(1, hi - 3))
            lmax = rng.randint(1, hi - 1) if kind == "nl" else hi - 1
            d = rng.randint(1, hi - lo) if rng.random() < 0.6 else hi - lo
            answer, steps = _shell_lines(kind, lo, hi, lmax, d)
        else:
            hi = rng.randint(3, {1: 9, 2: 15, 3: 20}[difficulty])
            lo = 1 if difficulty == 1 and kind == "cascade" else rng.randint(1, hi - 2)
            d = rng.randint(1, max(1, hi - lo - 1))
            answer, steps = _level_lines(kind, lo, hi, d)
        prompt = _lines_prompt(kind, lo, hi, d, lmax)
        break
    return Draft(prompt=f"{prompt} {INTEGER_FORM}", answer=str(answer),
                 answer_type=AnswerType.INTEGER, steps=tuple(steps),
                 meta={"kind": kind, "lo": lo, "hi": hi, "max_jump": d, "lmax": lmax,
                       "levels": levels})
