"""Benchmarks: run as ``python -m bench.<name>``; each prints medians and ratios."""
