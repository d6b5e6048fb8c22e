"""The item bench: generators (one package per behavior, one module per domain), the frozen
built-in suites, and contamination checks between training data and suites."""
