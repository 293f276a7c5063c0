"""Every fault the sync must survive: a clear message, no interview lost, duplicated on
the server, or marked sent by mistake."""

from __future__ import annotations

import socket

import pytest

from fieldsurvey.sync.openrosa import ConnectionOptions
from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.service import sync

from .conftest import FAST, instance_xml, xform


def kobo(url: str) -> ServerProfile:
    return ServerProfile("office", "kobo", url, user="enumerator01", auth="digest")


def run(store, url, **kw):
    kw.setdefault("options", FAST)
    return sync(store, kobo(url), secret="s3cret", **kw)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_nothing_sent(store, ids):
    assert all(i not in store.sent for i in ids)
    assert all(store.records[i].status == "finalized" for i in ids)


def test_no_network_connection_refused(store):
    ids = [store.add(instance_xml()) for _ in range(2)]
    report = run(store, f"http://127.0.0.1:{closed_port()}")
    assert report.error.code == "sync-unreachable"
    assert "cannot be reached" in report.error.translated()
    assert report.remaining == 2 and report.sent == 0
    assert_nothing_sent(store, ids)


def test_dns_failure_names_the_host(store):
    ids = [store.add(instance_xml())]
    options = ConnectionOptions(timeout=5, retries=0)
    report = run(store, "http://fieldsurvey-no-such-host.invalid", options=options)
    assert report.error.code == "sync-dns"
    assert "fieldsurvey-no-such-host.invalid" in report.error.translated()
    assert_nothing_sent(store, ids)


@pytest.mark.parametrize(
    ("status", "code", "words"),
    [
        ("403", "sync-forbidden", "no permission"),
        ("404", "sync-not-found", "has no"),
        ("413", "sync-too-large", "too large"),
        ("500", "sync-server-failed", "Try again later"),
    ],
)
def test_a_refused_submission_fails_alone_and_the_batch_goes_on(store, server, status, code,
                                                                words):
    first, second = store.add(instance_xml()), store.add(instance_xml())
    # A 500 is tried again (FAST: 2 retries), so it must last through all 3 attempts.
    server.fail(status, times=3 if status == "500" else 1)
    report = run(store, server.url)
    assert report.failed == 1 and report.sent == 1
    failure = report.failures[0]
    assert failure.subject == first and failure.error.code == code
    assert words in failure.message
    assert first not in store.sent and second in store.sent
    assert first not in server.submissions
    assert [a[3] for a in store.attempts if a[0] == first] == [int(status)]


def test_a_passing_500_is_retried_and_sent(store, server):
    instance_id = store.add(instance_xml())
    server.fail("500", times=1)
    report = run(store, server.url)
    assert report.sent == 1 and instance_id in server.submissions


def test_server_unavailable_503_stops_the_batch(store, server):
    ids = [store.add(instance_xml()) for _ in range(3)]
    server.fail("503", times=None)
    report = run(store, server.url)
    assert report.error.code == "sync-server-failing"
    assert report.error.cause.code == "sync-server-failed"
    assert report.remaining == 3
    assert server.submissions == {}
    assert_nothing_sent(store, ids)


def test_an_html_page_instead_of_openrosa_is_not_taken_for_an_acknowledgement(store, server):
    ids = [store.add(instance_xml()) for _ in range(2)]
    server.fail("html", times=None)
    report = run(store, server.url)
    assert report.error.code == "sync-html"
    assert "web page" in report.error.translated()
    assert_nothing_sent(store, ids)


def test_a_timeout_in_the_middle_of_a_batch_loses_and_duplicates_nothing(store, server):
    ids = [store.add(instance_xml()) for _ in range(4)]
    # The third submission is stored by the server, but its answer never arrives in time.
    server.fail("timeout", skip=2, times=1, delay=1.0)
    options = ConnectionOptions(timeout=0.3, retries=0, backoff=0.01)
    report = run(store, server.url, options=options)
    assert report.error.code == "sync-timeout"
    assert "did not answer within 0.3 seconds" in report.error.translated()
    assert report.sent == 2 and report.remaining == 2
    assert ids[2] not in store.sent  # not acknowledged: not marked sent
    # The next sync resumes: the server says it has the third, the fourth is sent.
    resumed = run(store, server.url)
    assert resumed.to_send == 2 and resumed.ok
    assert set(store.sent) == set(ids)
    assert set(server.submissions) == set(ids)
    assert server.posts == 5  # one per interview, plus the repeat of the timed-out one


def test_a_timeout_then_retry_counts_as_sent(store, server):
    instance_id = store.add(instance_xml())
    server.fail("timeout", times=1, delay=1.0)
    report = run(store, server.url, options=ConnectionOptions(timeout=0.3, retries=1,
                                                              backoff=0.01))
    assert (report.sent, report.already_on_server) == (1, 0)
    assert list(server.submissions) == [instance_id]


def test_an_interrupted_split_submission_resumes_with_the_remaining_files(store, tmp_path):
    from .openrosa_server import OpenRosaTestServer

    photos = []
    for index in range(3):
        path = tmp_path / f"p{index}.jpg"
        path.write_bytes(b"x" * 40_000)
        photos.append(path)
    with OpenRosaTestServer(max_bytes=50_000, lifetime=30) as srv:
        instance_id = store.add(instance_xml(), attachments=photos)
        srv.fail("500", skip=1, times=3)  # the second POST fails through every retry
        first = run(store, srv.url)
        assert first.failed == 1 and instance_id not in store.sent
        assert sorted(srv.submissions[instance_id].attachments) == ["p0.jpg"]
        posts_before = srv.posts
        second = run(store, srv.url)
        assert second.sent == 1 and instance_id in store.sent
        assert sorted(srv.submissions[instance_id].attachments) == ["p0.jpg", "p1.jpg", "p2.jpg"]
        assert srv.posts - posts_before == 2  # p0 was not sent again


def test_cancel_stops_between_interviews_and_keeps_the_rest(store, server):
    ids = [store.add(instance_xml()) for _ in range(5)]
    seen = []

    def progress(done, total, text):
        seen.append(done)

    report = run(store, server.url, progress=progress, cancel=lambda: len(seen) > 2)
    assert report.cancelled and report.sent == 2 and report.remaining == 3
    assert len(store.sent) == 2 and len(server.submissions) == 2
    assert not report.ok
    assert set(ids) - set(store.sent)


def test_form_list_that_is_not_xml(store, server):
    server.add_form("household", xform())
    server.fail("bad_formlist", on="formList")
    report = run(store, server.url, pull_forms=True)
    assert report.error.code == "sync-bad-xml"
    assert "not valid XML" in report.error.translated()
    assert store.forms == []


def test_form_list_answered_by_a_login_page(store, server):
    server.fail("html", on="formList")
    report = run(store, server.url, pull_forms=True)
    assert report.error.code == "sync-html"


def test_form_download_that_does_not_parse_is_not_installed(store, server):
    server.add_form("broken", xform("broken"), version="1")
    server.add_form("good", xform("good"), version="1")
    server.fail("bad_form", on="form", times=1)
    report = run(store, server.url, pull_forms=True)
    assert [f.subject for f in report.form_failures] == ["broken"]
    assert "not a valid XForm" in report.form_failures[0].message
    assert [f.form_id for f in store.forms] == ["good"]
    # Next time it is downloaded again (nothing was remembered about it).
    again = run(store, server.url, pull_forms=True)
    assert again.forms_pulled == ["broken (1)"] and again.forms_up_to_date == 1


def test_formlist_401_and_404(store, server):
    server.fail("401", on="formList")
    assert run(store, server.url, pull_forms=True).error.code == "sync-unauthorized"
    server.fail("404", on="formList")
    assert run(store, server.url, pull_forms=True).error.code == "sync-not-found"


def test_network_settings_reach_the_connection(server, data_dir):
    from fieldsurvey.settings import Settings
    from fieldsurvey.sync.openrosa import OpenRosaClient, ServerAnswerError

    assert OpenRosaClient("https://h.example").session.verify is True  # on by default
    settings = Settings(data_dir.settings_file)
    settings.set("sync_ca_bundle", "/etc/org-ca.pem")
    settings.set("sync_timeout_seconds", 7)
    options = ConnectionOptions.from_settings(settings)
    assert options.timeout == 7
    assert OpenRosaClient("https://h.example", options=options).session.verify == (
        "/etc/org-ca.pem")
    # Through a proxy: the request for an unresolvable host arrives at the proxy.
    options = ConnectionOptions(proxy=server.root_url, retries=0, timeout=2)
    with OpenRosaClient("http://fieldsurvey-proxy-test.invalid", options=options) as client:
        with pytest.raises(ServerAnswerError):
            client.form_list()
    assert server.requests[-1][1].startswith("http://fieldsurvey-proxy-test.invalid/formList")


def test_the_environment_proxy_and_no_proxy_are_honoured(server, monkeypatch):
    from fieldsurvey.sync.openrosa import OpenRosaClient, ServerAnswerError

    monkeypatch.setenv("HTTP_PROXY", server.root_url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with OpenRosaClient("http://fieldsurvey-proxy-test.invalid",
                        options=ConnectionOptions(retries=0, timeout=2)) as client:
        with pytest.raises(ServerAnswerError):
            client.form_list()
        with pytest.raises(ServerAnswerError):
            client.form_list()  # the second request uses what was read for the host
    proxied = [path for _method, path, _headers in server.requests]
    assert proxied[-2:] == ["http://fieldsurvey-proxy-test.invalid/formList"] * 2
    # A host listed in NO_PROXY is reached directly.
    with OpenRosaClient(server.url, auth=None, options=FAST) as client:
        client.request("GET", client.url("formList"))
    assert server.requests[-1][1] == "/formList"
