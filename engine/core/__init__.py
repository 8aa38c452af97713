"""The core: relationship state, the rule book, the pure and fast folds, history, the columnar index and replay."""

# The core imports nothing from the analyses, the data layers or the terminal layer
# (tests/test_architecture.py checks it); its public names are exported lazily by `engine`.
