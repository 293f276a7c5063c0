"""Which page each interview was left on, so that a draft resumes exactly there.

A small JSON file in the data folder (not settings: settings hold preferences, and this
is a note about interviews that may be thrown away without losing any answer).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "last_pages.json"
#: Enough for every interview a laptop holds in practice; the oldest are forgotten.
KEEP = 2000


class LastPages:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE_NAME
        self._pages: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._pages is None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._pages = {str(k): str(v) for k, v in data.items()} if isinstance(
                    data, dict) else {}
            except (OSError, ValueError):
                self._pages = {}
        return self._pages

    def get(self, instance_id: str) -> str | None:
        return self._load().get(instance_id)

    def set(self, instance_id: str, page_key: str) -> None:
        pages = self._load()
        pages.pop(instance_id, None)
        pages[instance_id] = page_key
        while len(pages) > KEEP:
            pages.pop(next(iter(pages)))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".last-pages-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(pages, fh)
            os.replace(tmp, self.path)
        except OSError:
            log.warning("cannot remember the page of %s", instance_id, exc_info=True)
