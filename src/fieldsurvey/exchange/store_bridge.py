"""What the exchange reads from the store for an export (the store's public API only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from fieldsurvey.errors import ExchangeError, StoreError
from fieldsurvey.exchange.export import ExportItem, FormVersion
from fieldsurvey.i18n import N_


def form_versions(store, form_id: str, version: str | None = None) -> list[FormVersion]:
    """Every installed version of ``form_id`` (or just ``version``), newest first."""
    forms = [f for f in store.list_forms(all_versions=True) if f.form_id == form_id]
    if version is not None:
        forms = [f for f in forms if (f.version or "") == version]
    if not forms:
        raise ExchangeError(
            N_("The form {form_id} is not installed."), code="exchange.no_form",
            params={"form_id": form_id},
        )
    forms.sort(key=lambda f: f.installed_at, reverse=True)
    newest = store.get_form(form_id)
    forms.sort(key=lambda f: (f.version or "") != (newest.version or ""))
    return [
        FormVersion(
            form_id=f.form_id,
            version=f.version or None,
            title=f.title,
            xform=f.xform,
            definition=store.form_definition(f.form_id, f.version),
            source_sha256=f.source_sha256,
        )
        for f in forms
    ]


def export_items(store, filters: dict[str, Any]) -> Iterator[ExportItem]:
    """The interviews matching ``filters``, each with its revisions, audit and files."""
    ancestors = store.content_ancestors(filters["form_id"])
    for record in store.iter_interviews(**filters, order_by="created_at", descending=False):
        try:
            revisions = [r for r in store.revisions(record.interview_key)
                         if r.instance_id != record.instance_id]
        except StoreError:
            revisions = []
        revisions.sort(key=lambda r: r.revision)
        yield ExportItem(
            record=record,
            revisions=revisions,
            audit=list(store.audit_events(record.instance_id)),
            attachments=[(name, sha) for name, sha, _path in store.attachments(record.instance_id)],
            ancestors=ancestors.get(record.instance_id, []),
        )


def open_conflict_rows(store, form_id: str, definition: Any = None) -> list[list[Any]]:
    """Open merge conflicts of ``form_id``, one row per differing field (one row with an
    empty field for a conflict recorded without any), in the order of ``CONFLICT_HEADER``.
    ``definition`` names the export column of fields recorded without one."""
    from fieldsurvey.exchange.layout import column_name
    from fieldsurvey.store.models import InterviewRow, MergeConflictRow, RevisionRow

    rows: list[list[Any]] = []
    with store.transaction() as session:
        query = (
            select(MergeConflictRow, InterviewRow.display_name)
            .join(InterviewRow, InterviewRow.interview_key == MergeConflictRow.interview_key)
            .where(MergeConflictRow.resolved.is_(False), InterviewRow.form_id == form_id)
            .order_by(MergeConflictRow.id)
        )
        for conflict, name in session.execute(query):
            local = session.get(RevisionRow, conflict.local_revision_id)
            incoming = session.get(RevisionRow, conflict.incoming_revision_id)
            # Every open conflict shows, even one recorded without a differing field, so
            # that the sheet and the count agree with the database.
            for diff in json.loads(conflict.differences or "[]") or [{}]:
                path = diff.get("field")
                column = diff.get("column")
                if column is None and path and definition is not None:
                    column = column_name(definition, path)
                rows.append([
                    conflict.interview_key, name or None, path, column or None,
                    diff.get("local"), diff.get("incoming"),
                    local.instance_id if local else None,
                    incoming.instance_id if incoming else None, conflict.base_revision,
                    conflict.source_file, conflict.detected_at.isoformat(),
                ])
    return rows
