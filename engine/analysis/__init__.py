"""Analyses over a history: alignment graph, Correlates of War levels, `when` conditions, timelines, panels, tone."""

# Built on the core and never imported by it (tests/test_architecture.py checks it); the public names are
# exported lazily by `engine`, and `engine.analysis.alignment` is a public module of its own.
