"""Building a behavior benchmark from real item pools (design section 7).

import (foreign files -> pool rows) -> label (a proposed cell per row, from embeddings) ->
select (top-k per cell, near-duplicates dropped, diverse, decontaminated) -> review (a local
page where a person accepts, rejects or relabels) -> freeze (accepted items -> a suite).

Nothing here imports sentence-transformers at module level: the embedders load it on first
use, so the rest of reasonscope works without the `pools` extra.
"""
