"""diagnostic/coding families: the line of an injected bug in shown code, 0 if it is clean.

Registered as `diagnostic.coding.<family>`; the package docstring says what they share. Exactly
one seed in six is clean at every difficulty (phases 0 and 3 across the two families, so a
12-item suite slice of six seeds each holds two clean items).
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.diagnostic import mutants
from reasonscope.bench.generators.diagnostic.code_lists import LIST_TEMPLATES
from reasonscope.bench.generators.diagnostic.code_text import TEXT_TEMPLATES
from reasonscope.bench.generators.diagnostic.common import error_slot
from reasonscope.taxonomy import Behavior, Domain

_DIAG = Behavior.DIAGNOSTIC


@generator("diagnostic.coding.list_function_bug", behavior=_DIAG, domain=Domain.CODING,
           version=2,
           why="The code, each function's contract and the tests are shown, so the work is "
               "tracing the tests through the lines to find the one that breaks its contract; "
               "the functions are short textbook list loops and nothing is written anew.")
def list_function_bug(rng: random.Random, difficulty: int) -> Draft:
    """Line of the injected bug in list-processing functions, given tests the original passes.

    One function at level 1, four at level 5, where the bug is always a subtle one (a
    comparison loosened, a loop or range bound or an index off by one) and sits in any of the
    four. The mutant is kept only when running it fails a shown test.

    Clean exactly when (seed + difficulty) % 6 == 0: one seed in six at every level.
    """
    return mutants.bug_hunt(rng, difficulty, LIST_TEMPLATES, error_slot(rng, 0, difficulty))


@generator("diagnostic.coding.text_number_bug", behavior=_DIAG, domain=Domain.CODING,
           version=2,
           why="The code, each function's contract and the tests are shown, so the work is "
               "tracing the tests through the lines to find the one that breaks its contract; "
               "the functions are short textbook string and integer loops.")
def text_number_bug(rng: random.Random, difficulty: int) -> Draft:
    """Line of the injected bug in string and integer functions, given tests the original passes.

    Same construction as the list family over a different bank (digits, primes, bases,
    brackets, ciphers), so the cell does not hinge on one kind of code.

    Clean exactly when (seed + difficulty + 3) % 6 == 0: one seed in six at every level.
    """
    return mutants.bug_hunt(rng, difficulty, TEXT_TEMPLATES, error_slot(rng, 3, difficulty))
