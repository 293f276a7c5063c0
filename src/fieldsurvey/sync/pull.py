"""Download new forms, new versions and changed media files from the server.

Each form is written with its media files into a temporary folder and installed with
``store.install_form(path)``: the same path as a form opened from disk, so a downloaded
form is checked exactly like any other. A form that does not parse is reported and not
installed; the other forms go on.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from defusedxml import ElementTree as SafeET

from fieldsurvey.errors import CancelledError, FieldSurveyError, FormError, SyncError
from fieldsurvey.i18n.core import N_
from fieldsurvey.safe_names import MEDIA_FILE, path_inside, safe_label
from fieldsurvey.sync.openrosa import FormListEntry, MediaFile, OpenRosaClient
from fieldsurvey.sync.push import SyncStore
from fieldsurvey.sync.report import Failure, SyncReport
from fieldsurvey.sync.state import SyncState

log = logging.getLogger(__name__)


def _installed_versions(store: SyncStore) -> set[tuple[str, str | None]]:
    return {(f.form_id, f.version or None) for f in store.list_forms(all_versions=True)}


def pull_forms(
    store: SyncStore,
    client: OpenRosaClient,
    report: SyncReport,
    *,
    state: SyncState,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> SyncReport:
    """Install what the server's form list has that this laptop lacks.

    A form list that cannot be read stops the pull (raised); a form that fails is
    recorded in ``report.form_failures``.
    """
    cancel = cancel or (lambda: False)
    entries = client.form_list()
    installed = _installed_versions(store)
    for index, entry in enumerate(entries):
        if cancel():
            raise CancelledError()
        if progress is not None:
            progress(index, len(entries), entry.name)
        try:
            if _pull_one(store, client, entry, installed, state):
                label = f"{entry.form_id} ({entry.version})" if entry.version else entry.form_id
                report.forms_pulled.append(label)
            else:
                report.forms_up_to_date += 1
        except CancelledError:
            raise
        except FieldSurveyError as exc:
            log.info("form %s not pulled: %s", entry.form_id, exc.english())
            report.form_failures.append(Failure(entry.form_id, exc))
    report.forms_gone.extend(_no_longer_listed(store, entries, state))
    if progress is not None:
        progress(len(entries), len(entries), "")
    return report


def _no_longer_listed(store: SyncStore, entries: list[FormListEntry],
                      state: SyncState) -> list[str]:
    """Installed forms once pulled from this server that its list no longer has.

    Only forms this profile pulled count: a bundled form, or one opened from disk, was
    never on the server. Nothing is removed: interviews of such a form may still be
    waiting to be sent, and the server's list may shrink only for this account.
    """
    listed = {entry.form_id for entry in entries}
    installed = {form_id for form_id, _version in _installed_versions(store)}
    return sorted(form_id for form_id in state.pulled_form_ids()
                  if form_id not in listed and form_id in installed)


def _pull_one(store: SyncStore, client: OpenRosaClient, entry: FormListEntry,
              installed: set[tuple[str, str | None]], state: SyncState) -> bool:
    """Download and install one form if needed; True when something was installed."""
    known = state.form_hashes(entry.form_id)
    have_version = (entry.form_id, entry.version) in installed
    media = client.manifest(entry.manifest_url) if entry.manifest_url else []
    media_hashes = {m.filename: m.hash for m in media}
    same_form = have_version and (not known or known.get("hash") == entry.hash)
    if same_form and (not media or known.get("media") == media_hashes):
        return False
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-pull-") as tmp:
        folder = Path(tmp)
        form_path = folder / f"{safe_label(entry.form_id, 'form')}.xml"
        client.download(entry.download_url, form_path, N_("the form"))
        _check_form_xml(form_path, entry, client.host)
        for item in media:
            _download_media(client, item, folder)
        if not same_form:
            try:
                store.install_form(form_path)
            except FormError as exc:
                raise FormError(
                    N_("The form {form} downloaded from {host} cannot be used."),
                    code="sync-bad-form",
                    params={"form": entry.form_id, "host": client.host},
                    detail=exc.translated(),
                ) from exc
        # Every file of the manifest belongs to the form, referenced in its XForm or not
        # (e.g. a CSV read by pulldata), and a changed file replaces the old one.
        _place_media(store, entry, media, folder)
    state.set_form_hashes(entry.form_id, version=entry.version, hash=entry.hash,
                          media=media_hashes)
    installed.add((entry.form_id, entry.version))
    return True


def _check_form_xml(path: Path, entry: FormListEntry, host: str) -> None:
    """A download that is not XML (a login page, a cut file) is refused before install."""
    try:
        SafeET.parse(path)
    except Exception as exc:  # defusedxml raises ParseError and its own refusals
        raise SyncError(
            N_("The form {form} downloaded from {host} is not a valid XForm; it was not "
               "installed."),
            code="sync-bad-form",
            params={"form": entry.form_id, "host": host},
            detail=str(exc),
        ) from None


def _download_media(client: OpenRosaClient, item: MediaFile, folder: Path) -> None:
    client.download(item.download_url,
                    path_inside(folder, item.filename, MEDIA_FILE, error=SyncError),
                    N_("a media file"))


def _place_media(store: SyncStore, entry: FormListEntry, media: list[MediaFile],
                folder: Path) -> None:
    """Put the downloaded media files in the form version's media folder."""
    if not media:
        return
    target = Path(store.form_media_dir(entry.form_id, entry.version))
    target.mkdir(parents=True, exist_ok=True)
    for item in media:
        shutil.copyfile(folder / item.filename,
                        path_inside(target, item.filename, MEDIA_FILE, error=SyncError))
