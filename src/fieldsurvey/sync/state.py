"""What a sync remembers between runs, per server profile (a small JSON file).

Two things: the attachments of a split submission that the server already acknowledged
(so that an interrupted batch resumes where it stopped instead of sending them again),
and the hashes of the forms and media files last pulled (so that only new forms, new
versions and changed media are downloaded). Nothing here is secret, and nothing here is
needed to keep data safe: losing the file only means sending or downloading again.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def write_json_atomically(path: Path, payload: Any, *, private: bool = False) -> None:
    """Write JSON beside ``path`` then rename it over, so a crash leaves the old file whole.

    ``private``: readable by the owner only (the encrypted credentials file).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=1, ensure_ascii=False)
        if private:
            os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SyncState:
    """The resume and pull memory of one profile, saved as JSON after each change."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._data: dict[str, Any] = {"parts": {}, "forms": {}}
        if path is not None:
            self._load()

    @classmethod
    def for_profile(cls, folder: Path, profile_name: str) -> SyncState:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile_name) or "profile"
        return cls(Path(folder) / "sync" / f"{safe}.json")

    def _load(self) -> None:
        assert self.path is not None
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("sync state %s unreadable (%s); starting afresh", self.path, exc)
            return
        if isinstance(raw, dict):
            for key in ("parts", "forms"):
                if isinstance(raw.get(key), dict):
                    self._data[key] = raw[key]

    def _save(self) -> None:
        if self.path is not None:
            write_json_atomically(self.path, self._data)

    # -- split submissions -------------------------------------------------------------
    def parts_done(self, instance_id: str) -> frozenset[str]:
        return frozenset(self._data["parts"].get(instance_id, ()))

    def add_parts(self, instance_id: str, names: list[str]) -> None:
        done = self._data["parts"].setdefault(instance_id, [])
        done.extend(n for n in names if n not in done)
        self._save()

    def clear_parts(self, instance_id: str) -> None:
        if self._data["parts"].pop(instance_id, None) is not None:
            self._save()

    # -- pulled forms ------------------------------------------------------------------
    def form_hashes(self, form_id: str) -> dict[str, Any]:
        """``{"hash": ..., "version": ..., "media": {filename: hash}}`` of the last pull."""
        return dict(self._data["forms"].get(form_id, {}))

    def pulled_form_ids(self) -> list[str]:
        """The form ids ever pulled from this profile's server."""
        return list(self._data["forms"])

    def set_form_hashes(self, form_id: str, *, version: str | None, hash: str | None,
                        media: dict[str, str | None]) -> None:
        self._data["forms"][form_id] = {"version": version, "hash": hash, "media": media}
        self._save()
