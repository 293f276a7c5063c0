"""One sync with one server profile: send what is finalized, then (if asked) pull forms.

With nothing to send and no forms to pull, the server is contacted all the same (the
submission handshake): a field user who syncs wants to know that the server works.

    report = sync(store, profile, pull_forms=True, progress=progress, cancel=cancel)

Interviews go first, so that data leaves the laptop even when a form download fails.
The result is a :class:`SyncReport`; a failure that stops the sync early (no network,
refused account, server down) is in ``report.error`` rather than raised, so the counts of
what was done before it are never lost. Cancelling returns the report with
``cancelled=True``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from fieldsurvey.errors import CancelledError, FieldSurveyError, SyncError
from fieldsurvey.i18n.core import N_
from fieldsurvey.paths import DataDir
from fieldsurvey.sync.credentials import CredentialStore
from fieldsurvey.sync.openrosa import ConnectionOptions, OpenRosaClient
from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.pull import pull_forms as pull_forms_from
from fieldsurvey.sync.push import SyncStore, push_interviews
from fieldsurvey.sync.report import SyncReport
from fieldsurvey.sync.state import SyncState

log = logging.getLogger(__name__)

__all__ = ["connection_warnings", "make_client", "sync"]


def _folder(store: SyncStore, data_dir: DataDir | Path | None) -> Path:
    if data_dir is not None:
        return Path(getattr(data_dir, "root", data_dir))
    store_dir = getattr(store, "data_dir", None)
    if store_dir is not None:
        return Path(getattr(store_dir, "root", store_dir))
    return DataDir.resolve().root


def make_client(profile: ServerProfile, secret: str | None, *,
                options: ConnectionOptions | None = None,
                cancel: Callable[[], bool] | None = None) -> OpenRosaClient:
    """An OpenRosa client for a profile and its secret."""
    return OpenRosaClient(
        profile.openrosa_url(secret),
        auth=profile.http_auth(secret),
        options=options,
        cancel=cancel,
    )


def connection_warnings(profile: ServerProfile, client: OpenRosaClient) -> list[SyncError]:
    """What about this connection deserves the user's attention, though it works."""
    found = []
    https = client.base_url.lower().startswith("https://")
    if https and not client.options.verify_tls:
        found.append(SyncError(
            N_("Certificate verification is switched off for {host}: the connection is "
               "encrypted, but nothing proves that it is your server. Switch it back on "
               "in the sync settings."),
            code="sync-tls-off", params={"host": client.host}))
    if not https and profile.auth == "basic":
        found.append(SyncError(
            N_("The password for {host} travels unencrypted (the address starts with "
               "http://). Use the https:// address of the server."),
            code="sync-plain-password", params={"host": client.host}))
    for warning in found:
        log.warning("%s", warning.english())
    return found


def _check_server(client: OpenRosaClient, report: SyncReport) -> None:
    """Nothing to send and no forms asked for: still ask the server, with the OpenRosa
    submission handshake (HEAD), so that a server that is down, or an account it
    refuses, is noticed now rather than on the day there is something to send."""
    client.submission_limit()
    report.server_answered = client.host


def sync(
    store: SyncStore,
    profile: ServerProfile,
    *,
    pull_forms: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    options: ConnectionOptions | None = None,
    secret: str | None = None,
    credentials: CredentialStore | None = None,
    data_dir: DataDir | Path | None = None,
) -> SyncReport:
    """Send every finalized (or exported), unsent interview to ``profile``'s server; pull
    forms if asked. With nothing to send and no forms to pull, the server is still asked
    whether it answers (a failure is the report's ``error``).

    ``secret`` (password or token) is read from ``credentials`` (the data folder's
    credential store by default) when not given. ``options``: timeouts, retries, proxy,
    CA bundle, TLS verification (defaults from the user's settings are the caller's
    choice; see ``ConnectionOptions.from_settings``).
    """
    started = time.monotonic()
    folder = _folder(store, data_dir)
    report = SyncReport(profile=profile.name)
    cancel = cancel or (lambda: False)
    if secret is None and (profile.auth == "token" or profile.user):
        credentials = credentials or CredentialStore(folder)
        secret = credentials.get(profile.name)
    state = SyncState.for_profile(folder, profile.name)
    try:
        client = make_client(profile, secret, options=options, cancel=cancel)
    except SyncError as exc:
        report.error = exc
        report.seconds = time.monotonic() - started
        return report
    report.warnings.extend(connection_warnings(profile, client))
    with client:
        try:
            push_interviews(store, client, profile.name, report, state=state,
                            progress=progress, cancel=cancel)
            if pull_forms and not report.error and not report.cancelled:
                pull_forms_from(store, client, report, state=state, progress=progress,
                                cancel=cancel)
            elif not pull_forms and report.to_send == 0:
                _check_server(client, report)
        except CancelledError:
            report.cancelled = True
        except FieldSurveyError as exc:  # a refusal, or the store failing to record
            report.error = exc
    report.seconds = time.monotonic() - started
    log.info("sync with %s: %s", profile.name, report.as_dict())
    return report
