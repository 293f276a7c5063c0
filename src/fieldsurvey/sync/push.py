"""Send every finalized, unsent interview to the server, one submission each.

An interview is marked sent only after the server acknowledged it (201/202), or said it
already has it (409, or 202 "duplicate"). Every attempt, good or bad, is recorded with
``store.record_sync_attempt``. A failure that concerns one interview (403, 404, 413, a 500
on that submission) is reported and the batch goes on; a failure that would repeat for
every interview (no network, refused account, server unavailable, a login page in the
way) stops the batch, and the next sync resumes with what is left.

A server that keeps failing (``ConnectionOptions.failing_after`` errors or unanswered
requests in a row) is not retried further; if it fails the next interview as well, it
is not one interview the server chokes on but the server itself: the batch stops with a
:class:`ServerFailingError`, and every interview of that run of failures counts as not
sent rather than failed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from fieldsurvey.errors import CancelledError, FieldSurveyError, SyncError
from fieldsurvey.i18n.core import N_
from fieldsurvey.sync.openrosa import (
    RETRY_STATUSES,
    NetworkError,
    OpenRosaClient,
    ServerAnswerError,
    redact_url,
)
from fieldsurvey.sync.report import Failure, SyncReport
from fieldsurvey.sync.state import SyncState
from fieldsurvey.sync.store_access import acknowledge, attachments_of

log = logging.getLogger(__name__)

#: Answers after which trying the next interview is pointless.
STOP_STATUSES = frozenset({401, 502, 503, 504})
#: Error codes after which trying the next interview is pointless.
STOP_CODES = frozenset({"sync-html", "sync-redirect", "sync-unauthorized"})

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


class ServerFailingError(SyncError):
    """The server failed every request for a while: the batch stopped, nothing of it
    was marked sent. ``cause`` is the last failure."""

    code = "sync-server-failing"

    def __init__(self, cause: SyncError, *, host: str, failures: int, count: int,
                 seconds: float) -> None:
        status = getattr(cause, "status_code", None)
        if status is None:
            message = N_(
                "The server {host} is failing: its last {failures} requests got no answer "
                "within {seconds} seconds. Interviews not sent, kept ready to send: {count}. "
                "Try again later."
            )
        else:
            message = N_(
                "The server {host} is failing: it answered its last {failures} requests with "
                "an error (status {status}). Interviews not sent, kept ready to send: "
                "{count}. Try again later."
            )
        super().__init__(message, params={"host": host, "failures": failures,
                                          "count": count, "status": status,
                                          "seconds": f"{seconds:g}"})
        self.cause = cause

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "cause": self.cause.as_dict()}


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


class Ledger:
    """Writes the answers of the server to the store in small groups, on one background
    thread: one durable commit per group (attempts, statuses and audit events together)
    instead of two per interview, made while the next interviews are already on the wire.

    Safe by construction: an interview is only ever marked sent after its acknowledgement
    arrived; if the program dies before a group is written, those interviews are sent
    again next time, the server answers "duplicate", and they are marked sent then.
    :meth:`close` waits for every write and raises the first that failed.
    """

    def __init__(self, store: SyncStore, profile: str, url: str, *, every: int = 50,
                 seconds: float = 2.0) -> None:
        self.store = store
        self.profile = profile
        self.url = url
        self.every = every
        self.seconds = seconds
        self._pending: list[tuple[str, int | None, str, bool]] = []
        self._since = time.monotonic()
        # One worker: writes keep their order, and never two at once.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-ledger")
        self._writes: list[Future] = []

    def failed(self, instance_id: str, status: int | None, text: str) -> None:
        self._writes.append(self._writer.submit(
            self.store.record_sync_attempt, instance_id, self.profile, self.url, status,
            text, False))

    def acknowledged(self, instance_id: str, status: int, text: str) -> None:
        self._pending.append((instance_id, status, text, True))
        if len(self._pending) >= self.every or time.monotonic() - self._since > self.seconds:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        self._since = time.monotonic()
        if pending:
            self._writes.append(self._writer.submit(self._write, pending))

    def _write(self, pending: list[tuple[str, int | None, str, bool]]) -> None:
        acknowledge(self.store, self.profile, self.url, pending)

    def close(self) -> None:
        """Write what is left and wait for every write; raise the first failure."""
        self.flush()
        self._writer.shutdown(wait=True)
        for write in self._writes:
            write.result()


def _status_name(status: Any) -> str:
    return str(getattr(status, "value", status)).lower()


#: The XML of pending interviews is read in one pass up to this many bytes (one query
#: instead of one per interview); beyond it, each is read when its turn comes.
PREFETCH_BYTES = 64 * 1024 * 1024


#: Statuses whose interviews are ready to send: finalized, or finalized then exported
#: to a workbook (an export is a copy handed over, not a delivery to the server).
SENDABLE = ("finalized", "exported")


def _is_pending(row: Any) -> bool:
    """Finalized or exported, never sent (``sent_at`` empty), not deleted."""
    if getattr(row, "deleted", False) or getattr(row, "sent_at", None):
        return False
    return _status_name(getattr(row, "status", "finalized")) in SENDABLE


def pending_interviews(store: SyncStore) -> list[str]:
    """instanceIDs of the finalized (or exported) interviews not yet sent, oldest first."""
    return _pending(store)[0]


def _pending(store: SyncStore) -> tuple[list[str], dict[str, Any]]:
    """Pending instanceIDs, oldest first, and the XML of as many as the budget allows."""
    filters = {"status": list(SENDABLE), "order_by": "modified_at", "descending": False}
    ids: list[str] = []
    xml: dict[str, Any] = {}
    iter_interviews = getattr(store, "iter_interviews", None)
    if iter_interviews is None:
        ids = [row.instance_id for row in store.list_interviews(**filters) if _is_pending(row)]
        return ids, xml
    budget = PREFETCH_BYTES
    # The whole result is consumed before anything is written to the store.
    for record in iter_interviews(**filters):
        if not _is_pending(record):
            continue
        ids.append(record.instance_id)
        if budget > 0:
            xml[record.instance_id] = record.xml
            budget -= len(record.xml)
    return ids, xml


def _check_files(instance_id: str, files: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    for filename, path in files:
        if not Path(path).is_file():
            raise SyncError(
                N_("The attachment {name} of interview {instance} is missing from the data "
                   "folder; the interview was not sent."),
                code="sync-attachment-missing",
                params={"name": filename, "instance": instance_id},
                path=str(path),
            )
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
    if instance_ids is None:
        ids, prefetched = _pending(store)
        files = attachments_of(store, prefetched)
    else:
        ids, prefetched, files = list(instance_ids), {}, {}
    cancel = cancel or (lambda: False)
    report.to_send += len(ids)
    ledger = Ledger(store, profile, redact_url(client.submission_url()))
    try:
        _push_all(store, client, ids, (prefetched, files), report, ledger, state, progress,
                  cancel)
    finally:
        ledger.close()
    if progress is not None:
        progress(len(ids), len(ids), "")
    return report


def _push_all(store: SyncStore, client: OpenRosaClient, ids: list[str],
              prefetched: tuple[dict[str, Any], dict[str, list]], report: SyncReport,
              ledger: Ledger,
              state: SyncState, progress: Progress | None, cancel: Cancel) -> None:
    # Interviews failed one after the other by a failing server (see the module's text).
    streak: list[Failure] = []
    for done, instance_id in enumerate(_with_progress(ids, progress)):
        if cancel():
            report.cancelled = True
            report.remaining += len(ids) - done
            break
        try:
            xml = prefetched[0].pop(instance_id, None)
            files = prefetched[1].pop(instance_id, None)
            outcome = _push_one(store, client, instance_id, xml, files, ledger, state)
        except CancelledError:
            report.cancelled = True
            report.remaining += len(ids) - done
            break
        except (NetworkError, ServerAnswerError) as exc:
            if client.server_failing and _server_failure(exc) and (streak or _stops_batch(exc)):
                _stop_for_failing_server(report, client, exc, streak, len(ids) - done)
                break
            if _stops_batch(exc):
                report.error = exc
                report.remaining += len(ids) - done
                break
            failure = Failure(instance_id, exc)
            report.failures.append(failure)
            streak = streak + [failure] if client.server_failing else []
            continue
        except FieldSurveyError as exc:
            report.failures.append(Failure(instance_id, exc))
            continue
        streak = []
        if outcome == "sent":
            report.sent += 1
        else:
            report.already_on_server += 1


def _with_progress(ids: list[str], progress: Progress | None) -> Iterator[str]:
    total = len(ids)
    for index, instance_id in enumerate(ids):
        if progress is not None:
            progress(index, total, instance_id)
        yield instance_id


def _server_failure(exc: SyncError) -> bool:
    """A 5xx answer or a request without an answer: what counts toward a failing server."""
    if isinstance(exc, NetworkError):
        return exc.code == "sync-timeout"
    return getattr(exc, "status_code", None) in RETRY_STATUSES


def _stop_for_failing_server(report: SyncReport, client: OpenRosaClient, exc: SyncError,
                             streak: list[Failure], untried: int) -> None:
    """Stop the batch: the interviews of the streak go back to "not sent" with the rest."""
    for failure in streak:
        report.failures.remove(failure)
    not_sent = len(streak) + untried
    report.remaining += not_sent
    report.error = ServerFailingError(exc, host=client.host,
                                      failures=client.failures_in_a_row, count=not_sent,
                                      seconds=client.options.timeout)
    log.warning("stopped: %s", report.error.english())


def _stops_batch(exc: SyncError) -> bool:
    if isinstance(exc, NetworkError):
        return True
    return exc.code in STOP_CODES or getattr(exc, "status_code", None) in STOP_STATUSES


def _push_one(store: SyncStore, client: OpenRosaClient, instance_id: str, xml: Any,
              files: list[tuple[str, Path]] | None, ledger: Ledger, state: SyncState) -> str:
    """Send one interview; returns "sent" or "duplicate", or raises why not."""
    if xml is None:
        xml = store.get_interview(instance_id).xml
    xml = xml.encode("utf-8") if isinstance(xml, str) else xml
    if files is None:
        files = attachments_of(store, [instance_id])[instance_id]
    _check_files(instance_id, files)
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
        ledger.failed(instance_id, status, text)
        log.info("interview %s not sent: %s", instance_id, exc.english())
        raise
    ledger.acknowledged(instance_id, result.status_code, result.response_text or result.message)
    if resumed or len(files) > 1:
        state.clear_parts(instance_id)
    # A duplicate right after our own timed-out attempt (or while resuming a split
    # submission) means this sync delivered it: count it as sent, not as already there.
    if result.duplicate and not (result.after_timeout or resumed):
        return "duplicate"
    return "sent"
