"""Correct list-processing functions, each with a docstring that states its contract and an input
maker whose draws include the edge cases (ties, boundaries, empty runs) that expose an
off-by-one or a flipped comparison.

Sources are written in the exact form `ast.unparse` prints, so the listing shown to a model is
line-for-line the code that was executed.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.diagnostic.code_types import Template


def _ints(rng: random.Random, d: int, lo: int = -5, hi: int = 9, min_len: int = 2) -> list[int]:
    return [rng.randint(lo, hi) for _ in range(rng.randint(min_len, 3 + d))]


def _sorted_unique(rng: random.Random, d: int) -> list[int]:
    return sorted(rng.sample(range(-20, 40), rng.randint(1, 4 + d)))


def _search_args(rng: random.Random, d: int) -> tuple[object, ...]:
    xs = _sorted_unique(rng, d)
    target = rng.choice(xs) if rng.random() < 0.7 else rng.randint(-21, 41)
    return (xs, target)


def _runs(rng: random.Random, d: int) -> list[int]:
    out: list[int] = []
    for _ in range(rng.randint(1, 3 + d)):
        out += [rng.randint(0, 4)] * rng.randint(1, 3)
    return out


LIST_TEMPLATES: tuple[Template, ...] = (
    Template(("count_above", "count_greater", "num_above"), 1, '''
def $fn($xs, t):
    """Return how many items of $xs are strictly greater than t."""
    n = 0
    for x in $xs:
        if x > t:
            n += 1
    return n''', lambda r, d: (_ints(r, d, 0, 9), r.randint(0, 9))),
    Template(("sum_even", "even_total", "add_evens"), 1, '''
def $fn($xs):
    """Return the sum of the even numbers in $xs."""
    total = 0
    for x in $xs:
        if x % 2 == 0:
            total += x
    return total''', lambda r, d: (_ints(r, d, -9, 19),)),
    Template(("argmax", "index_of_max", "best_index"), 1, '''
def $fn($xs):
    """Return the index of the largest item of the non-empty list $xs (the first if tied)."""
    best = 0
    for i in range(1, len($xs)):
        if $xs[i] > $xs[best]:
            best = i
    return best''', lambda r, d: (_ints(r, d, 0, 6),)),
    Template(("running_totals", "prefix_sums", "cumulative"), 1, '''
def $fn($xs):
    """Return the list of running totals of $xs."""
    out = []
    total = 0
    for x in $xs:
        total += x
        out.append(total)
    return out''', lambda r, d: (_ints(r, d),)),
    Template(("steps_between", "differences", "deltas"), 1, '''
def $fn($xs):
    """Return the differences between consecutive items of $xs (later minus earlier)."""
    return [$xs[i + 1] - $xs[i] for i in range(len($xs) - 1)]''',
             lambda r, d: (_ints(r, d, 0, 20, 3),)),
    Template(("count_between", "in_range_count", "count_within"), 1, '''
def $fn($xs, lo, hi):
    """Return how many items x of $xs satisfy lo <= x < hi."""
    n = 0
    for x in $xs:
        if lo <= x < hi:
            n += 1
    return n''', lambda r, d: (_ints(r, d, 0, 9, 3), r.randint(1, 4), r.randint(5, 8))),
    Template(("squeeze", "collapse_runs", "dedupe_adjacent"), 2, '''
def $fn($xs):
    """Return $xs with each run of equal adjacent items collapsed to a single item."""
    out = []
    for x in $xs:
        if not out or out[-1] != x:
            out.append(x)
    return out''', lambda r, d: (_runs(r, d),)),
    Template(("second_largest", "runner_up", "second_best"), 2, '''
def $fn($xs):
    """Return the second largest distinct value in $xs, or None if there is none."""
    first = second = None
    for x in $xs:
        if first is None or x > first:
            first, second = (x, first)
        elif x != first and (second is None or x > second):
            second = x
    return second''', lambda r, d: (_ints(r, d, 0, 6, 1),)),
    Template(("best_window", "max_window_sum", "window_peak"), 2, '''
def $fn($xs, k):
    """Return the largest sum of k consecutive items of $xs (1 <= k <= len($xs))."""
    best = sum($xs[:k])
    cur = best
    for i in range(k, len($xs)):
        cur += $xs[i] - $xs[i - k]
        if cur > best:
            best = cur
    return best''', lambda r, d: (lambda xs: (xs, r.randint(1, len(xs))))(_ints(r, d, -5, 9, 3))),
    Template(("rotate_left", "shift_left", "rotated"), 2, '''
def $fn($xs, k):
    """Return $xs rotated left by k positions (k may exceed the length)."""
    if not $xs:
        return []
    k = k % len($xs)
    return $xs[k:] + $xs[:k]''', lambda r, d: (_ints(r, d, 0, 9, 1), r.randint(0, 9))),
    Template(("chunk_sums", "block_totals", "group_sums"), 2, '''
def $fn($xs, k):
    """Return the sums of consecutive chunks of k items of $xs (the last chunk may be short)."""
    out = []
    for start in range(0, len($xs), k):
        out.append(sum($xs[start:start + k]))
    return out''', lambda r, d: (_ints(r, d, 0, 9, 3), r.randint(2, 3))),
    Template(("count_pairs", "pairs_summing", "pair_count"), 2, '''
def $fn($xs, target):
    """Return how many index pairs i < j have $xs[i] + $xs[j] == target."""
    n = 0
    for i in range(len($xs)):
        for j in range(i + 1, len($xs)):
            if $xs[i] + $xs[j] == target:
                n += 1
    return n''', lambda r, d: (_ints(r, d, 0, 6, 3), r.randint(3, 9))),
    Template(("find_sorted", "bisect_index", "binary_search"), 3, '''
def $fn($xs, target):
    """Return the index of target in the sorted list $xs of distinct items, or -1 if absent."""
    lo, hi = (0, len($xs) - 1)
    while lo <= hi:
        mid = (lo + hi) // 2
        if $xs[mid] == target:
            return mid
        if $xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1''', _search_args),
    Template(("insertion_sorted", "sort_copy", "sorted_copy"), 3, '''
def $fn($xs):
    """Return a new list with the items of $xs in ascending order."""
    out = list($xs)
    for i in range(1, len(out)):
        key = out[i]
        j = i - 1
        while j >= 0 and out[j] > key:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = key
    return out''', lambda r, d: (_ints(r, d, 0, 9, 3),)),
    Template(("merge_sorted", "merged", "zip_merge"), 3, '''
def $fn(a, b):
    """Merge the ascending lists a and b into one ascending list."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out''', lambda r, d: (sorted(_ints(r, d, 0, 9, 1)), sorted(_ints(r, d, 0, 9, 1)))),
    Template(("run_lengths", "encode_runs", "rle"), 3, '''
def $fn($xs):
    """Return [value, count] pairs for the runs of equal adjacent items of $xs, in order."""
    runs = []
    for x in $xs:
        if runs and runs[-1][0] == x:
            runs[-1][1] += 1
        else:
            runs.append([x, 1])
    return runs''', lambda r, d: (_runs(r, d),)),
    Template(("longest_rise", "longest_increasing_run", "max_climb"), 3, '''
def $fn($xs):
    """Return the length of the longest strictly increasing run of adjacent items of $xs."""
    if not $xs:
        return 0
    best = cur = 1
    for i in range(1, len($xs)):
        if $xs[i] > $xs[i - 1]:
            cur += 1
            best = max(best, cur)
        else:
            cur = 1
    return best''', lambda r, d: (_ints(r, d, 0, 9, 3),)),
    Template(("inversions", "count_inversions", "disorder"), 3, '''
def $fn($xs):
    """Return the number of index pairs i < j with $xs[i] > $xs[j]."""
    n = 0
    for i in range(len($xs)):
        for j in range(i + 1, len($xs)):
            if $xs[i] > $xs[j]:
                n += 1
    return n''', lambda r, d: (_ints(r, d, 0, 6, 3),)),
)
