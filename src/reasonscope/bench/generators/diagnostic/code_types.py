"""The shape of a function template for the coding diagnostic families."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """A correct function: `$fn` (and `$xs`) are filled in; `inputs` draws one argument tuple.

    `size` (1 short .. 3 long) lets difficulty pick longer functions with more lines to check.
    """

    names: tuple[str, ...]
    size: int
    code: str
    inputs: Callable[[random.Random, int], tuple[object, ...]]
