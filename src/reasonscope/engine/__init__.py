"""Running an evaluation: the task (the one item selector), the runner that generates and
scores into a run directory, its store (manifest + Parquet shards), progress and provenance."""
