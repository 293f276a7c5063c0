"""fieldsurvey.forms (Qt-free core)."""
