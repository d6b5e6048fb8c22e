"""The sample-row schema of DESIGN section 4. Every part of the tool (and a user's SQL) relies on
these column names and types, so they are defined once, here."""

from __future__ import annotations

import pyarrow as pa

SAMPLE_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("model", pa.string()),
        ("fingerprint", pa.string()),
        ("step", pa.int64()),
        ("gen_config_hash", pa.string()),
        ("item_id", pa.string()),
        ("behavior", pa.string()),
        ("domain", pa.string()),
        ("difficulty", pa.int64()),
        ("sample_index", pa.int64()),
        ("seed", pa.int64()),
        ("prompt", pa.string()),
        ("completion", pa.string()),
        ("extracted", pa.string()),
        ("parse_status", pa.string()),
        ("correct", pa.bool_()),
        ("finish_reason", pa.string()),
        ("prompt_tokens", pa.int64()),
        ("completion_tokens", pa.int64()),
        ("latency_s", pa.float64()),
    ]
)

SAMPLE_COLUMNS: tuple[str, ...] = tuple(SAMPLE_SCHEMA.names)
RESUME_KEY: tuple[str, ...] = ("fingerprint", "gen_config_hash", "item_id", "sample_index")
PARSE_STATUSES: tuple[str, ...] = ("ok", "no_answer", "truncated", "unparseable")
