"""Enumeration / science: Mendelian crosses over several independent genes.

Dominance and independent assortment are stated in the prompt, so the biology supplies only the
setting. The solver walks every offspring genotype class (one dominant-allele count per gene)
with its probability and keeps the classes the question asks for: at the top level that is
hundreds of classes, and the worked solution organises them gene by gene.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from math import prod

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."
FRACTION_FORM = "Answer with a fraction in lowest terms."
_LETTERS = "ABDEGHKLMNPRT"
TALLY_KINDS = ("exactly_k", "at_least_k", "hetero_k")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def frac(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


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


@dataclass(frozen=True)
class Question:
    kind: str  # genotypes | phenotypes | frac_geno | frac_pheno | homozygous | TALLY_KINDS
    target: tuple[int, ...] = ()
    k: int = 0


def _class_matches(q: Question, cls: tuple[int, ...], incomplete: list[bool]) -> bool:
    if q.kind == "frac_geno":
        return cls == q.target
    if q.kind == "frac_pheno":
        return all(phenotype(c, inc) == phenotype(t, inc)
                   for c, t, inc in zip(cls, q.target, incomplete, strict=True))
    if q.kind == "homozygous":
        return all(c != 1 for c in cls)
    if q.kind == "hetero_k":
        return sum(c == 1 for c in cls) == q.k
    dominant = sum(c > 0 for c in cls)
    return dominant == q.k if q.kind == "exactly_k" else dominant >= q.k


def solve_cross(dists: list[dict[int, Fraction]], incomplete: list[bool],
                q: Question) -> tuple[Fraction, int]:
    """The answer by walking every offspring genotype class, and the number of classes walked."""
    classes = list(product(*(sorted(d) for d in dists)))
    if q.kind == "genotypes":
        return Fraction(len(classes)), len(classes)
    if q.kind == "phenotypes":
        shown = {tuple(phenotype(c, inc) for c, inc in zip(cls, incomplete, strict=True))
                 for cls in classes}
        return Fraction(len(shown)), len(classes)
    total = sum((prod((d[c] for d, c in zip(dists, cls, strict=True)), start=Fraction(1))
                 for cls in classes if _class_matches(q, cls, incomplete)), Fraction(0))
    return total, len(classes)


def _tally_steps(dists: list[dict[int, Fraction]], letters: list[str],
                 q: Question) -> list[str]:
    """Gene by gene, the distribution of how many genes so far are dominant (or heterozygous)."""
    if q.kind == "hetero_k":
        hits, what = [d.get(1, Fraction(0)) for d in dists], "heterozygous"
    else:
        hits, what = [1 - d.get(0, Fraction(0)) for d in dists], "dominant in phenotype"
    steps = [f"P({what}) per gene: "
             + ", ".join(f"{c} {frac(p)}" for c, p in zip(letters, hits, strict=True)) + "."]
    poly = [Fraction(1)]
    for i, p in enumerate(hits):
        poly = [(poly[j] if j < len(poly) else 0) * (1 - p) + (poly[j - 1] * p if j else 0)
                for j in range(len(poly) + 1)]
        if i:
            steps.append(f"After {_join(letters[:i + 1])}, P(m genes {what}) for m = 0..{i + 1}: "
                         + ", ".join(frac(v) for v in poly) + ".")
    picked = range(q.k, len(poly)) if q.kind == "at_least_k" else [q.k]
    value = sum((poly[j] for j in picked), Fraction(0))
    if q.kind == "at_least_k":
        steps.append(f"At least {q.k}: " + " + ".join(frac(poly[j]) for j in picked)
                     + f" = {frac(value)}.")
    else:
        steps.append(f"Exactly {q.k}: {frac(value)}.")
    return steps


def _answer_steps(dists: list[dict[int, Fraction]], incomplete: list[bool], letters: list[str],
                  q: Question, value: Fraction) -> list[str]:
    if q.kind == "genotypes":
        per = [len(d) for d in dists]
        return [f"Multiply the genotype counts per gene: {' x '.join(map(str, per))} = {value}."]
    if q.kind == "phenotypes":
        per = [len({phenotype(c, inc) for c in d})
               for d, inc in zip(dists, incomplete, strict=True)]
        return [f"Phenotypes per gene: {', '.join(map(str, per))}; multiply: {value}."]
    if q.kind in TALLY_KINDS:
        return _tally_steps(dists, letters, q)
    if q.kind == "frac_geno":
        per_f = [d[t] for d, t in zip(dists, q.target, strict=True)]
    elif q.kind == "frac_pheno":
        per_f = [sum((p for c, p in d.items() if phenotype(c, inc) == phenotype(t, inc)),
                     Fraction(0)) for d, inc, t in zip(dists, incomplete, q.target, strict=True)]
    else:
        per_f = [d.get(0, Fraction(0)) + d.get(2, Fraction(0)) for d in dists]
    return ["Multiply the per-gene probabilities: " + " x ".join(frac(p) for p in per_f)
            + f" = {frac(value)}."]


def _open_genes(dists: list[dict[int, Fraction]], kind: str) -> int:
    """Genes whose outcome the question leaves open (a tally kind that is certain at a gene
    makes that gene a constant)."""
    if kind not in TALLY_KINDS:
        return len(dists)
    hit = [d.get(1, Fraction(0)) if kind == "hetero_k" else 1 - d.get(0, Fraction(0))
           for d in dists]
    return sum(0 < p < 1 for p in hit)


_MENDEL = {  # difficulty: (gene counts, kinds, incomplete dominance allowed, least classes)
    1: ((1, 1), ("genotypes", "phenotypes", "frac_pheno", "frac_geno"), False, 1),
    2: ((2, 2), ("genotypes", "phenotypes", "frac_pheno", "frac_geno", "homozygous"), False, 3),
    3: ((3, 3), ("genotypes", "phenotypes", "frac_pheno", "homozygous", "exactly_k"), True, 8),
    4: ((4, 5), ("frac_pheno", "homozygous", "exactly_k", "at_least_k", "hetero_k"), True, 30),
    5: ((5, 6), TALLY_KINDS, True, 150),
}


def _question_text(q: Question, letters: list[str], incomplete: list[bool]) -> str:
    g = len(letters)
    if q.kind == "genotypes":
        return f"How many distinct genotypes can the offspring have? {INTEGER_FORM}"
    if q.kind == "phenotypes":
        return f"How many distinct phenotypes can the offspring show? {INTEGER_FORM}"
    if q.kind == "frac_pheno":
        traits = [f"the {phenotype(t, inc)} {c} trait"
                  for c, t, inc in zip(letters, q.target, incomplete, strict=True)]
        return f"What fraction of the offspring show {_join(traits)}? {FRACTION_FORM}"
    if q.kind == "frac_geno":
        geno = "".join(genotype_text(c, t) for c, t in zip(letters, q.target, strict=True))
        return f"What fraction of the offspring have genotype {geno}? {FRACTION_FORM}"
    if q.kind == "homozygous":
        return f"What fraction of the offspring are homozygous at every gene? {FRACTION_FORM}"
    if q.kind == "hetero_k":
        return (f"What fraction of the offspring are heterozygous at exactly {q.k} of the {g} "
                f"genes? {FRACTION_FORM}")
    amount = "exactly" if q.kind == "exactly_k" else "at least"
    return (f"What fraction of the offspring show the dominant phenotype for {amount} {q.k} of "
            f"the {g} traits? {FRACTION_FORM}")


def _rules_text(letters: list[str], incomplete: list[bool]) -> list[str]:
    comp = [c for c, inc in zip(letters, incomplete, strict=True) if not inc]
    inc_l = [c for c, inc in zip(letters, incomplete, strict=True) if inc]
    rules = []
    if comp:
        rules.append(_join([f"{c} is completely dominant over {c.lower()}" if i == 0
                            else f"{c} over {c.lower()}" for i, c in enumerate(comp)]))
    if inc_l:
        rules.append(_join(inc_l) + f" show{'s' * (len(inc_l) == 1)} incomplete dominance "
                     "(heterozygotes are intermediate)")
    return rules


@generator("enumeration.science.mendel_cross", behavior=Behavior.ENUMERATION,
           domain=Domain.SCIENCE, version=2,
           why="Dominance and independent assortment are stated, so no biology is recalled and "
               "each gene is a two-line Punnett square; the answer needs every offspring class "
               "across up to six genes (hundreds at the top level) sorted and tallied.")
def mendel_cross(rng: random.Random, difficulty: int) -> Draft:
    """Count offspring genotypes/phenotypes, or the share with a trait pattern, in a multi-gene
    cross.

    The skill is enumerating the offspring classes (or tallying them gene by gene) without
    missing or repeating one; every per-gene fact is a stated rule.
    """
    (glo, ghi), kinds, allow_inc, least = _MENDEL[difficulty]
    while True:
        g = rng.randint(glo, ghi)
        letters = sorted(rng.sample(_LETTERS, g))
        genos = (0, 1, 2) if difficulty < 3 else (0, 1, 1, 1, 2)  # favour segregating genes
        parents = [[rng.choice(genos) for _ in range(g)] for _ in range(2)]
        kind = rng.choice(kinds)
        incomplete = [allow_inc and kind not in ("exactly_k", "at_least_k")
                      and rng.random() < 0.3 for _ in range(g)]
        dists = [gene_offspring(a, b) for a, b in zip(*parents, strict=True)]
        k = rng.randint(1, g - 1) if g > 1 else 1
        q = Question(kind, tuple(rng.choice(sorted(d)) for d in dists), k)
        value, classes = solve_cross(dists, incomplete, q)
        ok = value > 1 if kind in ("genotypes", "phenotypes") else 0 < value < 1
        if ok and classes >= least and _open_genes(dists, kind) >= g - (difficulty < 5) - 1:
            break
    cross = " x ".join("".join(genotype_text(c, n) for c, n in zip(letters, p, strict=True))
                       for p in parents)
    rules = _rules_text(letters, incomplete)
    question = _question_text(q, letters, incomplete)
    if g == 1:
        prompt = f"In the cross {cross} ({rules[0]}), {question[0].lower()}{question[1:]}"
    else:
        prompt = (f"Genes {_join(letters)} assort independently; {'; '.join(rules)}. "
                  f"Parents {cross} are crossed. {question}")
    steps = [f"{c}: {genotype_text(c, a)} x {genotype_text(c, b)} gives "
             + ", ".join(f"{genotype_text(c, n)} {frac(p)}"
                         for n, p in sorted(d.items(), reverse=True)) + "."
             for c, a, b, d in zip(letters, parents[0], parents[1], dists, strict=True)]
    steps += _answer_steps(dists, incomplete, letters, q, value)
    meta = {"letters": letters, "parents": parents, "incomplete": incomplete, "kind": kind,
            "target": list(q.target), "k": k}
    integer = kind in ("genotypes", "phenotypes")
    return Draft(prompt=prompt, answer=str(int(value)) if integer else frac(value),
                 answer_type=AnswerType.INTEGER if integer else AnswerType.RATIONAL,
                 steps=tuple(steps), meta=meta, work=classes, work_unit="cases")
