"""Bulk reads and writes the sync makes through ``store.transaction()`` and the store's
tables (``fieldsurvey.store.models``): one query or one commit for many interviews,
where the per-interview methods would cost one transaction each.

A store without ``transaction()`` (any object following the contract) gets the
per-interview methods instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

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



def acknowledge(store: Any, profile: str, url: str,
                rows: list[tuple[str, int | None, str, bool]]) -> None:
    """Record the server's acknowledgements ``(instance_id, status, text, ok)`` and mark
    those interviews sent, with one "form sent" audit event each, in ONE commit.

    The store's ``mark_sent`` does a lookup, an UPDATE and an audit INSERT per interview;
    here it is one SELECT, one ``UPDATE … WHERE instance_id IN (…)`` and one executemany of
    audit rows per chunk. An interview reopened for correction while it was on its way
    (its instanceID is no longer current) is not marked: its attempt, recorded with
    ``ok``, says it reached the server.
    """
    transaction = getattr(store, "transaction", None)
    if transaction is None:
        record_attempts(store, profile, url, rows)
        store.mark_sent([row[0] for row in rows], profile=profile)
        return
    from sqlalchemy import insert, select, update

    from fieldsurvey.store.audit import FORM_SENT, now_ms
    from fieldsurvey.store.models import AuditRow, InterviewRow, SyncAttemptRow, utc_now
    from fieldsurvey.store.records import InterviewStatus

    # The statuses the store's own ``mark_sent`` accepts.
    closed = [InterviewStatus.FINALIZED.value, InterviewStatus.SENT.value,
              InterviewStatus.EXPORTED.value]

    now = utc_now()
    stamp = now_ms()
    ids = list(dict.fromkeys(row[0] for row in rows))
    with transaction() as session:
        session.execute(insert(SyncAttemptRow), [
            {"instance_id": instance_id, "profile": profile, "url": url,
             "status_code": status, "response_text": (text or "")[:20000], "ok": ok,
             "attempted_at": now}
            for instance_id, status, text, ok in rows
        ])
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            current = session.execute(
                select(InterviewRow.instance_id, InterviewRow.interview_key)
                .where(InterviewRow.instance_id.in_(chunk), InterviewRow.status.in_(closed))
            ).all()
            if len(current) < len(chunk):
                found = {instance_id for instance_id, _key in current}
                log.warning("acknowledged but no longer finalized (reopened?), not marked "
                            "sent: %s", sorted(set(chunk) - found))
            if not current:
                continue
            session.execute(
                update(InterviewRow)
                .where(InterviewRow.instance_id.in_([i for i, _k in current]))
                .values(status=InterviewStatus.SENT.value, sent_at=now, sent_profile=profile),
                execution_options={"synchronize_session": False},
            )
            session.execute(insert(AuditRow), [
                {"interview_key": key, "instance_id": instance_id, "event": FORM_SENT,
                 "node": None, "start": stamp, "end": stamp, "old_value": None,
                 "new_value": profile, "user": None}
                for instance_id, key in current
            ])
