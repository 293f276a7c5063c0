"""Sending finalized interviews: the protocol, the counts, and every fault on the way."""

from __future__ import annotations

import pytest

from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.service import sync

from .conftest import FAST, instance_xml
from .openrosa_server import OpenRosaTestServer

KOBO = dict(kind="kobo", user="enumerator01", auth="digest")


def profile_for(server, **kw) -> ServerProfile:
    values = {"name": "office", "url": server.url, **KOBO, **kw}
    return ServerProfile(**values)


def run(store, server, *, secret="s3cret", options=FAST, **kw):
    return sync(store, profile_for(server), secret=secret, options=options, **kw)


def test_finalized_interviews_are_sent_once_and_marked_sent(store, server):
    ids = [store.add(instance_xml()) for _ in range(3)]
    draft = store.add(instance_xml(), status="draft")
    report = run(store, server)
    assert (report.sent, report.already_on_server, report.failed) == (3, 0, 0)
    assert report.ok
    assert set(server.submissions) == set(ids)
    assert draft not in server.submissions
    assert set(store.sent) == set(ids)
    assert [a[5] for a in store.attempts] == [True, True, True]
    # Each request spoke OpenRosa 1.0 with a Date; the handshake came first.
    methods = [(m, p) for m, p, _h in server.requests if "submission" in p]
    assert methods[0][0] == "HEAD"
    for _method, _path, headers in server.requests:
        assert headers["X-OpenRosa-Version"] == "1.0"
        assert "Date" in headers
    # A second sync has nothing left to send.
    again = run(store, server)
    assert (again.to_send, again.sent) == (0, 0)


def test_digest_is_answered_and_the_connection_reused(store, server):
    for _ in range(5):
        store.add(instance_xml())
    run(store, server)
    challenged = [h for _m, _p, h in server.requests if "Authorization" not in h]
    # One challenge for the whole batch: the nonce is reused, not renegotiated per POST.
    assert len(challenged) == 1


def test_wrong_password_stops_the_batch_and_sends_nothing(store, server):
    ids = [store.add(instance_xml()) for _ in range(2)]
    report = run(store, server, secret="wrong")
    assert report.error is not None and report.error.code == "sync-unauthorized"
    assert "user name and password" in report.error.translated()
    assert server.submissions == {} and store.sent == {}
    assert report.remaining == len(ids)


def test_basic_auth_profile(store):
    with OpenRosaTestServer(auth="basic", lifetime=30) as srv:
        store.add(instance_xml())
        report = sync(store, profile_for(srv, auth="basic"), secret="s3cret", options=FAST)
        assert report.sent == 1 and len(srv.submissions) == 1


def test_central_token_profile_never_leaks_the_token(store, caplog):
    caplog.set_level("DEBUG")
    with OpenRosaTestServer(auth=None, token="TOPSECRETTOKEN", lifetime=30) as srv:
        instance_id = store.add(instance_xml())
        profile = ServerProfile("central", "central", f"{srv.root_url}/v1/projects/1",
                                auth="token")
        report = sync(store, profile, secret="TOPSECRETTOKEN", options=FAST)
        assert report.sent == 1 and instance_id in srv.submissions
    assert "TOPSECRETTOKEN" not in caplog.text
    assert all("TOPSECRETTOKEN" not in str(a) for a in store.attempts)


@pytest.mark.parametrize("style", ["409", "202"])
def test_a_duplicate_answer_counts_as_already_on_the_server(store, style):
    with OpenRosaTestServer(duplicates=style, lifetime=30) as srv:
        xml = instance_xml()
        srv.receive(xml.encode(), {}, False)  # already there, e.g. sent by a lost run
        instance_id = store.add(xml)
        report = sync(store, profile_for(srv), secret="s3cret", options=FAST)
        assert (report.sent, report.already_on_server, report.failed) == (0, 1, 0)
        assert instance_id in store.sent
        assert len(srv.submissions) == 1


def test_a_correction_is_a_new_submission_with_deprecated_id(store, server):
    first = store.add(instance_xml(answer="old"))
    run(store, server)
    corrected = store.add(instance_xml(answer="new", deprecated_id=first))
    report = run(store, server)
    assert report.sent == 1
    assert server.submissions[corrected].deprecated_id == first
    assert len(server.submissions) == 2


def test_attachments_are_split_under_the_server_limit(store, tmp_path):
    photos = []
    for index in range(4):
        path = tmp_path / f"photo{index}.jpg"
        path.write_bytes(bytes([index]) * 30_000)
        photos.append(path)
    with OpenRosaTestServer(max_bytes=70_000, lifetime=30) as srv:
        instance_id = store.add(instance_xml(), attachments=photos)
        report = sync(store, profile_for(srv), secret="s3cret", options=FAST)
        assert report.sent == 1
        received = srv.submissions[instance_id]
        assert received.complete
        assert sorted(received.attachments) == [p.name for p in photos]
        assert received.attachments["photo2.jpg"] == photos[2].read_bytes()
        assert srv.posts == 2  # two photos per POST under 70 kB


def test_a_missing_attachment_is_reported_and_the_interview_kept(store, server, tmp_path):
    gone = tmp_path / "gone.jpg"
    instance_id = store.add(instance_xml(), attachments=[gone])
    other = store.add(instance_xml())
    report = run(store, server)
    assert report.sent == 1 and report.failed == 1
    assert report.failures[0].subject == instance_id
    assert "gone.jpg" in report.failures[0].message
    assert instance_id not in store.sent and other in store.sent


def test_exported_interviews_not_yet_sent_are_sent(store, server):
    exported = store.add(instance_xml(), status="exported")
    sent_before = store.add(instance_xml(), status="sent")
    store.records[sent_before].sent_at = store.records[sent_before].modified_at
    gone = store.add(instance_xml(), status="exported")
    store.records[gone].deleted = True
    report = run(store, server)
    assert report.ok and report.sent == 1
    assert set(server.submissions) == {exported}


def test_with_nothing_to_send_the_server_is_still_asked(store, server):
    report = run(store, server)
    assert report.ok and report.to_send == 0
    assert [m for m, p, _h in server.requests if p.endswith("/submission")][-1:] == ["HEAD"]
    assert f"Nothing to send; the server 127.0.0.1:{server.port} answers." in (
        report.summary_lines())


def test_with_nothing_to_send_a_server_that_is_down_is_an_error(store):
    with OpenRosaTestServer(lifetime=60) as down:
        url = down.url
    report = sync(store, ServerProfile("office", url=url, **KOBO), secret="s3cret",
                  options=FAST)
    assert not report.ok
    assert report.error.code == "sync-unreachable"
    assert report.server_answered is None
    assert not any("Nothing to send" in line for line in report.summary_lines())


def test_with_nothing_to_send_a_refused_account_is_an_error(store, server):
    report = run(store, server, secret="wrong")
    assert report.error is not None and report.error.code == "sync-unauthorized"
