"""Views of a comparison: terminal tables, JSON, figures and the self-contained HTML report."""
