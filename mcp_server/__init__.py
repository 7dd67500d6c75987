"""performance-optimizer: evidence for performance work on Python and SQL code."""

__version__ = "0.1.0"
