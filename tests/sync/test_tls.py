"""https: certificates verified by default, an organization's own authority trusted
through the settings, and verification switched off only on purpose (and said so)."""

from __future__ import annotations

import pytest

from fieldsurvey.settings import Settings
from fieldsurvey.sync.openrosa import ConnectionOptions
from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.service import sync

from .certificates import make_tls_files
from .conftest import instance_xml
from .openrosa_server import OpenRosaTestServer


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_server(tls_files):
    with OpenRosaTestServer(tls=tls_files.server_context(), lifetime=60) as srv:
        yield srv


def kobo(url: str) -> ServerProfile:
    return ServerProfile("office", "kobo", url, user="enumerator01", auth="digest")


def options_from(data_dir, **values) -> ConnectionOptions:
    """Options as the CLI and the application build them: from the user's settings."""
    settings = Settings(data_dir.settings_file)
    for key, value in values.items():
        settings.set(key, value)
    return ConnectionOptions.from_settings(settings, retries=1, backoff=0.01, timeout=5)


def test_an_unknown_authority_is_refused_by_default_and_nothing_is_sent(
        store, https_server, data_dir):
    ids = [store.add(instance_xml()) for _ in range(2)]
    report = sync(store, kobo(https_server.url), secret="s3cret",
                  options=options_from(data_dir))
    assert report.error is not None and report.error.code == "sync-tls-untrusted"
    message = report.error.translated()
    assert "not trusted" in message and f"127.0.0.1:{https_server.port}" in message
    assert report.sent == 0 and report.remaining == 2 and not report.ok
    assert not store.sent and all(store.records[i].status == "finalized" for i in ids)
    assert not https_server.submissions
    # Nothing to retry: a certificate does not become trusted by asking again.
    assert [a[3] for a in store.attempts] == [None]


def test_the_organization_authority_from_the_settings_is_trusted(store, https_server,
                                                                  tls_files, data_dir):
    instance_id = store.add(instance_xml())
    report = sync(store, kobo(https_server.url), secret="s3cret",
                  options=options_from(data_dir, sync_ca_bundle=str(tls_files.ca)))
    assert report.ok and report.sent == 1, report.summary_lines()
    assert store.sent == {instance_id: "office"} and instance_id in https_server.submissions
    assert report.warnings == []


def test_verification_switched_off_works_and_the_report_says_so(store, https_server,
                                                                 data_dir, recwarn):
    store.add(instance_xml())
    report = sync(store, kobo(https_server.url), secret="s3cret",
                  options=options_from(data_dir, sync_verify_tls=False))
    assert report.ok and report.sent == 1
    assert [w.code for w in report.warnings] == ["sync-tls-off"]
    lines = report.summary_lines()
    assert any("Certificate verification is switched off" in line
               and f"127.0.0.1:{https_server.port}" in line for line in lines)
    assert report.as_dict()["warnings"][0]["code"] == "sync-tls-off"
    # Said once in the report, not by urllib3 on every request.
    assert not [w for w in recwarn if "Unverified HTTPS" in str(w.message)]


def test_a_certificate_for_another_name_is_named_as_such(store, tmp_path, data_dir):
    files = make_tls_files(tmp_path / "other", names=("survey.example.org",))
    store.add(instance_xml())
    with OpenRosaTestServer(tls=files.server_context(), lifetime=60) as srv:
        report = sync(store, kobo(srv.url), secret="s3cret",
                      options=options_from(data_dir, sync_ca_bundle=str(files.ca)))
    assert report.error.code == "sync-tls-name" and not store.sent
