"""fieldsurvey.sync (Qt-free core)."""
