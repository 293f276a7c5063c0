"""User settings, declared once.

Each setting has a key, a type, a default and a translatable title (marked with ``N_``).
Values are stored per user as JSON in the data folder (``settings.json``), with a schema
version so that later releases can upgrade old files. Interview data never lives here, and
neither do passwords (see :mod:`fieldsurvey.sync.credentials`).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldsurvey.i18n.core import N_

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    title: str


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("interface_language", str, "", N_("Interface language")),
        Setting("enumerator", str, "", N_("Enumerator name")),
        Setting("device_id", str, "", N_("Device identifier")),
        Setting("backups_to_keep", int, 10, N_("Backups to keep")),
        Setting("backup_interval_minutes", int, 5,
                N_("Minutes between automatic backups while interviews are finalized")),
        Setting("autosave", bool, True, N_("Save every answer as it is given")),
        Setting("last_form_language", str, "", N_("Last questionnaire language")),
        Setting("sync_timeout_seconds", int, 30, N_("Server timeout (seconds)")),
        Setting("sync_verify_tls", bool, True, N_("Verify server certificates")),
        Setting("sync_ca_bundle", str, "", N_("Custom certificate authority file")),
        Setting("sync_proxy", str, "", N_("Proxy address")),
        Setting("window_geometry", str, "", N_("Window position and size")),
    )
}


class Settings:
    """Typed access to the settings of one data folder."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._values: dict[str, Any] = {}
        self.load()

    def load(self) -> None:
        self._values = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            # A damaged settings file must not stop the app; keep it for inspection.
            log.warning("settings file %s is unreadable (%s); using defaults", self.path, exc)
            return
        if not isinstance(raw, dict):
            return
        values = raw.get("values", {}) if "version" in raw else raw
        for key, value in values.items():
            setting = SETTINGS.get(key)
            if setting is not None and isinstance(value, setting.type):
                self._values[key] = value

    def get(self, key: str) -> Any:
        setting = SETTINGS[key]
        return self._values.get(key, setting.default)

    def set(self, key: str, value: Any) -> None:
        setting = SETTINGS[key]
        if not isinstance(value, setting.type):
            value = setting.type(value)
        self._values[key] = value
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(
            {"version": SCHEMA_VERSION, "values": self._values}, indent=2, ensure_ascii=False
        )
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def as_dict(self) -> dict[str, Any]:
        return {key: self.get(key) for key in SETTINGS}
