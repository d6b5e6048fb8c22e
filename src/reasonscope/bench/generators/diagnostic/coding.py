"""diagnostic/coding families: the first wrong step or line of a coding artefact, 0 if clean.

Registered as `diagnostic.coding.<family>`; the package docstring says what they share.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import mutants
from reasonscope.bench.generators.diagnostic.code_lists import LIST_TEMPLATES
from reasonscope.bench.generators.diagnostic.code_text import TEXT_TEMPLATES
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.coding.list_function_bug", behavior=_DIAG, domain=Domain.CODING)
def list_function_bug(rng: random.Random, difficulty: int) -> Draft:
    """Line of the injected bug in list-processing functions, given tests the original passes.

    The mutant (operator, comparison, off-by-one, index or range bound) is kept only when running
    it fails a shown test; the docstrings state the contract the wrong line breaks.
    """
    return mutants.bug_hunt(rng, difficulty, LIST_TEMPLATES)


@generator("diagnostic.coding.text_number_bug", behavior=_DIAG, domain=Domain.CODING)
def text_number_bug(rng: random.Random, difficulty: int) -> Draft:
    """Line of the injected bug in string and integer functions, given tests the original passes.

    Same construction as the list family over a different bank (digits, primes, bases,
    brackets, ciphers), so the cell does not hinge on one kind of code.
    """
    return mutants.bug_hunt(rng, difficulty, TEXT_TEMPLATES)
