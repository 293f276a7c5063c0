"""Bulk reads and writes the sync makes through ``store.transaction()`` and the store's
tables (``fieldsurvey.store.models``): one query or one commit for many interviews,
where the per-interview methods would cost one transaction each.

A store without ``transaction()`` (any object following the contract) gets the
per-interview methods instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: SQLite's bound-parameter limit is far higher; chunks keep each query small.
CHUNK = 500


def attachments_of(store: Any, instance_ids: Iterable[str]) -> dict[str, list[tuple[str, Path]]]:
    """``{instance_id: [(filename, path), ...]}`` for every id (an empty list when none)."""
    ids = list(instance_ids)
    found: dict[str, list[tuple[str, Path]]] = {i: [] for i in ids}
    transaction = getattr(store, "transaction", None)
    if transaction is None:
        for instance_id in ids:
            found[instance_id] = [(name, Path(path))
                                  for name, _sha, path in store.attachments(instance_id)]
        return found
    from sqlalchemy import select

    from fieldsurvey.store.models import AttachmentRow, InterviewRow

    with transaction() as session:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            rows = session.execute(
                select(InterviewRow.instance_id, AttachmentRow.filename, AttachmentRow.sha256)
                .join(AttachmentRow, AttachmentRow.interview_id == InterviewRow.id)
                .where(InterviewRow.instance_id.in_(chunk))
                .order_by(AttachmentRow.id)
            )
            for instance_id, filename, sha256 in rows:
                found[instance_id].append((filename, Path(store.attachment_path(sha256))))
    return found


def record_attempts(store: Any, profile: str, url: str,
                    rows: list[tuple[str, int | None, str, bool]]) -> None:
    """Keep attempts ``(instance_id, status, response text, ok)``, in one commit if possible."""
    transaction = getattr(store, "transaction", None)
    if transaction is None:
        for instance_id, status, text, ok in rows:
            store.record_sync_attempt(instance_id, profile, url, status, text, ok)
        return
    from fieldsurvey.store.models import SyncAttemptRow, utc_now

    now = utc_now()
    with transaction() as session:
        session.add_all(
            SyncAttemptRow(instance_id=instance_id, profile=profile, url=url,
                           status_code=status, response_text=(text or "")[:20000], ok=ok,
                           attempted_at=now)
            for instance_id, status, text, ok in rows
        )
