"""fieldsurvey.store (Qt-free core)."""
