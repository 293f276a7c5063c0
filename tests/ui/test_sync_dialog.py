"""The sync dialog against a local OpenRosa server: a profile typed in, interviews sent,
questionnaires pulled, and the core's report shown line for line."""

from __future__ import annotations

import keyring
import pytest

# The sync tests' server, and their autouse in-memory credential store: nothing here
# touches the system's credential store.
from sync.conftest import memory_keyring  # noqa: F401 - an autouse fixture
from sync.openrosa_server import OpenRosaTestServer

from .conftest import click, finalized_interviews, install, report_text

HOUSEHOLD = (
    '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
    "<h:head><h:title>Household</h:title><model><instance>"
    '<data id="household" version="3"><q/><meta><instanceID/></meta></data>'
    '</instance><bind nodeset="/data/q" type="string"/></model></h:head>'
    '<h:body><input ref="/data/q"><label>Q</label></input></h:body></h:html>'
)


@pytest.fixture
def central():
    """A Central project that a web user reaches with a password (Basic auth)."""
    with OpenRosaTestServer(auth="basic", prefix="/v1/projects/1", lifetime=60) as server:
        server.add_form("household", HOUSEHOLD, version="3", name="Household")
        yield server


def sync_now(qtbot, dialog):
    dialog.report = None
    click(dialog.sync_button)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    return report_text(dialog)


def test_sync_sends_interviews_and_pulls_forms_through_the_dialog(
        qtbot, main_window, organization_form, central):
    install(qtbot, main_window, organization_form)
    sent = finalized_interviews(main_window.store, ["Casa Maya", "Red Honduras"])
    settings = main_window.settings
    settings.set("sync_timeout_seconds", 5)

    dialog = main_window.show_sync()
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.sync_button.isEnabled()  # no profile yet
    dialog.name.setText("office")
    dialog.kind.setCurrentIndex(dialog.kind.findData("central"))
    dialog.url.setText(central.url)
    dialog.user.setText("enumerator01")
    dialog.secret.setText("s3cret")
    save = next(b for b in dialog.buttons.buttons() if b.text() == "Save profile")
    click(save)
    assert "Profile office saved." in report_text(dialog)
    assert dialog.secret.text() == ""  # the password went to the credential store
    assert "s3cret" in keyring.get_keyring().secrets.values()
    for file in main_window.data_dir.root.rglob("*"):
        assert not file.is_file() or b"s3cret" not in file.read_bytes(), file

    text = sync_now(qtbot, dialog)
    assert set(central.submissions) == set(sent)
    assert "2 interviews sent" in text and "1 form downloaded" in text
    assert dialog.progress.value() == dialog.progress.maximum() > 0
    assert main_window.store.get_form("household").version == "3"
    # The list in the main window follows: the interviews are marked sent.
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    statuses = {getattr(r.status, "value", r.status)
                for r in main_window.store.list_interviews()}
    assert statuses == {"sent"}
    # Everything the core reports is shown, in the core's words (here the warning
    # about a password sent over http).
    assert "travels unencrypted" in text
    assert text.splitlines() == dialog.report.summary_lines()


def test_sync_shows_forms_gone_from_the_server_and_speaks_the_interface_language(
        qtbot, main_window, central):
    from fieldsurvey.sync import CredentialStore, ProfileStore, make_profile

    profile, _token = make_profile("office", "central", central.url, user="enumerator01")
    ProfileStore(main_window.data_dir.root).add(profile)
    CredentialStore(main_window.data_dir.root).set("office", "s3cret")
    dialog = main_window.show_sync()
    assert dialog.profile.currentData() == "office"
    sync_now(qtbot, dialog)
    del central.forms["household"]
    from fieldsurvey.i18n import set_language

    set_language("es")
    text = sync_now(qtbot, dialog)
    assert "household" in text and "ya no está en el servidor" in text, text
