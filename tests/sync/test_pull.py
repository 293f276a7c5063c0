"""Pulling forms: the form list, new forms, new versions, changed media files."""

from __future__ import annotations

import pytest

from fieldsurvey.sync.openrosa import OpenRosaClient
from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.service import sync

from .conftest import FAST, xform


def pull(store, server):
    profile = ServerProfile("office", "kobo", server.url, user="enumerator01", auth="digest")
    return sync(store, profile, secret="s3cret", options=FAST, pull_forms=True)


def test_form_list_is_read_from_the_openrosa_document(server):
    server.add_form("household", xform(), version="3", name="Household survey",
                    media={"a.csv": b"x"})
    from requests.auth import HTTPDigestAuth

    with OpenRosaClient(server.url, auth=HTTPDigestAuth("enumerator01", "s3cret"), options=FAST) as c:
        (entry,) = c.form_list()
        assert (entry.form_id, entry.name, entry.version) == ("household", "Household survey",
                                                              "3")
        assert entry.hash.startswith("md5:") and entry.manifest_url
        (media,) = c.manifest(entry.manifest_url)
        assert media.filename == "a.csv" and media.download_url.endswith("/media/a.csv")


def test_new_forms_then_nothing_then_a_new_version(store, server):
    server.add_form("household", xform(version="1"), version="1")
    server.add_form("health", xform("health", title="Health"), version="1")
    first = pull(store, server)
    assert sorted(first.forms_pulled) == ["health (1)", "household (1)"]
    assert {(f.form_id, f.version) for f in store.forms} == {("household", "1"),
                                                             ("health", "1")}
    second = pull(store, server)
    assert second.forms_pulled == [] and second.forms_up_to_date == 2
    server.add_form("household", xform(version="2"), version="2")
    third = pull(store, server)
    assert third.forms_pulled == ["household (2)"] and third.forms_up_to_date == 1
    assert [f.version for f in store.forms if f.form_id == "household"] == ["1", "2"]


def test_media_files_come_with_the_form_and_changes_are_fetched(store, server):
    server.add_form("household", xform(), version="1",
                    media={"villages.csv": b"name\nA\n", "logo.png": b"\x89PNG"})
    pull(store, server)
    (form,) = store.forms
    assert form.media == {"villages.csv": b"name\nA\n", "logo.png": b"\x89PNG"}
    server.add_form("household", xform(), version="1",
                    media={"villages.csv": b"name\nA\nB\n", "logo.png": b"\x89PNG"})
    report = pull(store, server)
    assert report.forms_pulled == ["household (1)"]
    media_dir = store.form_media_dir("household", "1")
    assert (media_dir / "villages.csv").read_bytes() == b"name\nA\nB\n"
    assert len(store.forms) == 1  # the same version is not installed twice


@pytest.mark.parametrize("name", ["../../evil.csv", "..\\..\\evil.csv", "CON.csv"])
def test_a_media_file_name_that_could_escape_the_form_folder_is_refused_and_reported(
        store, server, tmp_path, name):
    server.add_form("household", xform(), version="1",
                    media={name: b"x", "villages.csv": b"name\nA\n"})
    server.add_form("health", xform("health", title="Health"), version="1")
    report = pull(store, server)
    assert not (tmp_path / "evil.csv").exists() and not (tmp_path.parent / "evil.csv").exists()
    # The form would not find its file under another name: it is not installed, and said why.
    assert [f.form_id for f in store.forms] == ["health"]
    (failure,) = report.form_failures
    assert failure.subject == "household"
    assert f"The media file {name!r} cannot be used" in failure.message
    assert any(repr(name) in line for line in report.summary_lines())


def test_forms_the_server_no_longer_lists_are_reported_and_kept(store, server, tmp_path):
    server.add_form("household", xform(), version="1")
    server.add_form("health", xform("health", title="Health"), version="1")
    pull(store, server)
    # A form installed from disk was never on the server: not reported.
    local = tmp_path / "from-disk" / "local.xml"
    local.parent.mkdir()
    local.write_text(xform("local", title="Local"))
    store.install_form(local)
    del server.forms["health"]
    report = pull(store, server)
    assert report.forms_gone == ["health"] and report.forms_up_to_date == 1
    assert report.ok  # a report, not a failure
    assert any("no longer on the server" in line and "health" in line
               for line in report.summary_lines())
    assert report.as_dict()["forms_no_longer_on_server"] == ["health"]
    assert {f.form_id for f in store.forms} == {"household", "health", "local"}
    # Back on the server: no longer reported.
    server.add_form("health", xform("health", title="Health"), version="1")
    assert pull(store, server).forms_gone == []
