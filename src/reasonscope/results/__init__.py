"""Reading runs back: the one sample -> item fold, statistics, skill profiles, comparisons
against a base run, and SQL over run directories."""
