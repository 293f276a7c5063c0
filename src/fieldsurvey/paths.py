"""The per-user data folder and the files in it.

Chosen, in this order, by ``--data-dir``, the ``FIELDSURVEY_DATA_DIR`` environment
variable, portable mode (a ``portable.txt`` file beside a frozen executable puts the data
folder ``data`` beside it, for USB sticks), and platformdirs' user data folder
(``%LOCALAPPDATA%\\FieldSurvey`` on Windows, ``~/.local/share/FieldSurvey`` on Linux).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from fieldsurvey import APP_NAME

ENV_VAR = "FIELDSURVEY_DATA_DIR"
PORTABLE_MARKER = "portable.txt"


def portable_data_dir() -> Path | None:
    """The data folder beside the executable, when this is a portable install."""
    if not getattr(sys, "frozen", False):
        return None
    exe_dir = Path(sys.executable).resolve().parent
    if (exe_dir / PORTABLE_MARKER).exists():
        return exe_dir / "data"
    return None


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    portable = portable_data_dir()
    if portable is not None:
        return portable
    return Path(user_data_dir(APP_NAME, appauthor=False, roaming=False))


@dataclass(frozen=True)
class DataDir:
    """Every file FieldSurvey keeps for a user, below one root."""

    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike[str] | None = None, *, create: bool = True):
        data_dir = cls(resolve_data_dir(explicit))
        if create:
            data_dir.ensure()
        return data_dir

    def ensure(self) -> None:
        for folder in (self.root, self.backups, self.attachments, self.logs, self.forms):
            folder.mkdir(parents=True, exist_ok=True)

    @property
    def database(self) -> Path:
        return self.root / "fieldsurvey.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def forms(self) -> Path:
        """Media and external choice files of installed forms, one folder per form."""
        return self.root / "forms"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "fieldsurvey.log"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"
