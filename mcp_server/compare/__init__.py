"""compare_implementations: statistics, result comparison and git revisions (the tool is tools/compare_implementations.py)."""
