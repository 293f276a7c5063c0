"""Where the files shipped with the application live.

Three layouts are supported: a source checkout (``forms/``, ``translations/`` and
``resources/`` at the top of the repository), an installed wheel (the same folders copied
under ``fieldsurvey/_bundled/``) and a PyInstaller bundle (under ``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def bundled_root() -> Path:
    """The folder that holds ``forms``, ``translations`` and ``resources``."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen))
    candidates.append(_PACKAGE_DIR / "_bundled")
    candidates.append(_PACKAGE_DIR.parent.parent)  # src/fieldsurvey -> checkout root
    for candidate in candidates:
        if (candidate / "forms").is_dir() or (candidate / "translations").is_dir():
            return candidate
    return candidates[-1]


def bundled_path(*parts: str) -> Path:
    """A path below the bundled root, e.g. ``bundled_path("forms", "quick_check.xlsx")``."""
    return bundled_root().joinpath(*parts)


def bundled_forms_dir() -> Path:
    return bundled_path("forms")


def translations_dir() -> Path:
    return bundled_path("translations")


def resources_dir() -> Path:
    return bundled_path("resources")
