"""Send every finalized, unsent interview to the server, one submission each.

An interview is marked sent only after the server acknowledged it (201/202), or said it
already has it (409, or 202 "duplicate"). Every attempt, good or bad, is recorded with
``store.record_sync_attempt``. A failure that concerns one interview (403, 404, 413, a 500
on that submission) is reported and the batch goes on; a failure that would repeat for
every interview (no network, refused account, server unavailable, a login page in the
way) stops the batch, and the next sync resumes with what is left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from fieldsurvey.errors import CancelledError, FieldSurveyError, SyncError
from fieldsurvey.i18n.core import N_
from fieldsurvey.sync.openrosa import (
    NetworkError,
    OpenRosaClient,
    ServerAnswerError,
    redact_url,
)
from fieldsurvey.sync.report import Failure, SyncReport
from fieldsurvey.sync.state import SyncState

log = logging.getLogger(__name__)

#: Answers after which trying the next interview is pointless.
STOP_STATUSES = frozenset({401, 502, 503, 504})
#: Error codes after which trying the next interview is pointless.
STOP_CODES = frozenset({"sync-html", "sync-redirect", "sync-unauthorized"})

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


class SyncStore(Protocol):
    """What the sync needs from :class:`fieldsurvey.store.Store`."""

    def list_interviews(self, **filters: Any) -> list[Any]: ...

    def get_interview(self, instance_id: str) -> Any: ...

    def attachments(self, instance_id: str) -> list[tuple[str, str, Path]]: ...

    def mark_sent(self, instance_ids: Iterable[str], *, profile: str) -> None: ...

    def record_sync_attempt(self, instance_id: str, profile: str, url: str,
                            status_code: int | None, response_text: str, ok: bool) -> None: ...

    def install_form(self, path: Any) -> Any: ...

    def list_forms(self, all_versions: bool = False) -> list[Any]: ...


def _status_name(status: Any) -> str:
    return str(getattr(status, "value", status)).lower()


def pending_interviews(store: SyncStore) -> list[str]:
    """instanceIDs of the finalized interviews not yet sent, oldest first."""
    try:
        from fieldsurvey.store import InterviewStatus

        finalized = InterviewStatus.FINALIZED
    except ImportError:  # the store is older than its contract; compare by name
        finalized = "finalized"
    summaries = store.list_interviews(status=finalized, order_by="modified_at", descending=False)
    pending = []
    for summary in summaries:
        if getattr(summary, "deleted", False) or getattr(summary, "sent_at", None):
            continue
        if _status_name(getattr(summary, "status", "finalized")) != "finalized":
            continue
        pending.append(summary.instance_id)
    return pending


def _attachment_files(store: SyncStore, instance_id: str) -> list[tuple[str, Path]]:
    files = []
    for filename, _sha256, path in store.attachments(instance_id):
        path = Path(path)
        if not path.is_file():
            raise SyncError(
                N_("The attachment {name} of interview {instance} is missing from the data "
                   "folder; the interview was not sent."),
                code="sync-attachment-missing",
                params={"name": filename, "instance": instance_id},
                path=str(path),
            )
        files.append((filename, path))
    return files


def push_interviews(
    store: SyncStore,
    client: OpenRosaClient,
    profile: str,
    report: SyncReport,
    *,
    state: SyncState,
    instance_ids: list[str] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> SyncReport:
    """Submit the pending interviews (or ``instance_ids``); counts go into ``report``."""
    ids = pending_interviews(store) if instance_ids is None else list(instance_ids)
    cancel = cancel or (lambda: False)
    report.to_send += len(ids)
    url = redact_url(client.submission_url())
    for done, instance_id in enumerate(_with_progress(ids, progress)):
        if cancel():
            report.cancelled = True
            report.remaining += len(ids) - done
            break
        try:
            outcome = _push_one(store, client, profile, instance_id, url, state)
        except CancelledError:
            report.cancelled = True
            report.remaining += len(ids) - done
            break
        except (NetworkError, ServerAnswerError) as exc:
            if _stops_batch(exc):
                report.error = exc
                report.remaining += len(ids) - done
                break
            report.failures.append(Failure(instance_id, exc))
            continue
        except FieldSurveyError as exc:
            report.failures.append(Failure(instance_id, exc))
            continue
        if outcome == "sent":
            report.sent += 1
        else:
            report.already_on_server += 1
    if progress is not None:
        progress(len(ids), len(ids), "")
    return report


def _with_progress(ids: list[str], progress: Progress | None) -> Iterator[str]:
    total = len(ids)
    for index, instance_id in enumerate(ids):
        if progress is not None:
            progress(index, total, instance_id)
        yield instance_id


def _stops_batch(exc: SyncError) -> bool:
    if isinstance(exc, NetworkError):
        return True
    return exc.code in STOP_CODES or getattr(exc, "status_code", None) in STOP_STATUSES


def _push_one(store: SyncStore, client: OpenRosaClient, profile: str, instance_id: str,
              url: str, state: SyncState) -> str:
    """Send one interview; returns "sent" or "duplicate", or raises why not."""
    record = store.get_interview(instance_id)
    xml = record.xml.encode("utf-8") if isinstance(record.xml, str) else record.xml
    files = _attachment_files(store, instance_id)
    resumed = state.parts_done(instance_id)

    def remember(names: list[str]) -> None:
        # Only worth writing down when the submission takes more than one POST.
        if len(files) > len(names):
            state.add_parts(instance_id, names)

    try:
        result = client.submit(xml, files, skip_parts=resumed, on_part=remember)
    except (NetworkError, ServerAnswerError) as exc:
        status = getattr(exc, "status_code", None)
        text = getattr(exc, "response_text", "") or exc.english()
        store.record_sync_attempt(instance_id, profile, url, status, text, False)
        log.info("interview %s not sent: %s", instance_id, exc.english())
        raise
    store.record_sync_attempt(instance_id, profile, url, result.status_code,
                              result.response_text or result.message, True)
    store.mark_sent([instance_id], profile=profile)
    if resumed or len(files) > 1:
        state.clear_parts(instance_id)
    # A duplicate right after our own timed-out attempt (or while resuming a split
    # submission) means this sync delivered it: count it as sent, not as already there.
    if result.duplicate and not (result.after_timeout or resumed):
        return "duplicate"
    return "sent"
