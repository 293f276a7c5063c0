"""fieldsurvey.exchange (Qt-free core)."""
