"""Importers of the field's data (Correlates of War, CAMEO-coded event data) into histories, and back out."""
