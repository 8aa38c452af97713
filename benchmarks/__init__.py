"""Benchmarks of legation against the tools a user would pick instead (run: python benchmarks/run.py)."""
