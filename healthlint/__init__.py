"""healthlint: a readability and hedging linter for health copy."""

__version__ = "0.1.0"
