"""Sync messages in the interface language: the phrases placed inside a message ("the
form list", "the submission") are translated with it, so a Spanish user reads Spanish
only."""

from __future__ import annotations

import pytest

from fieldsurvey.i18n import gettext, set_language
from fieldsurvey.sync.openrosa import OpenRosaClient, ServerAnswerError
from fieldsurvey.sync.profiles import ServerProfile
from fieldsurvey.sync.service import sync

from .conftest import FAST, instance_xml, xform


@pytest.fixture
def spanish():
    set_language("es")
    yield
    set_language("en")


def kobo(url):
    return ServerProfile("office", "kobo", url, user="enumerator01", auth="digest")


def test_the_phrase_inside_a_server_refusal_is_spanish(server, store, spanish):
    server.fail("403", on="formList")
    report = sync(store, kobo(server.url), secret="s3cret", options=FAST, pull_forms=True)
    message = report.error.translated()
    assert "la lista de cuestionarios" in message and "the form list" not in message
    assert "the form list" in report.error.english()  # logs stay in English

    store.add(instance_xml())
    server.fail("413")
    report = sync(store, kobo(server.url), secret="s3cret", options=FAST)
    (failure,) = report.failures
    assert gettext("the submission") in failure.message
    assert "the submission" not in failure.message


@pytest.mark.parametrize(("target", "english"), [
    ("form", "the form"),
    ("media", "a media file"),
])
def test_download_failures_name_what_failed_in_spanish(server, store, spanish, target,
                                                       english):
    server.add_form("household", xform(), version="1", media={"villages.csv": b"a"})
    server.fail("404", on=target)
    report = sync(store, kobo(server.url), secret="s3cret", options=FAST, pull_forms=True)
    (failure,) = report.form_failures
    assert gettext(english) != english  # the catalog has it
    assert gettext(english) in failure.message and f" {english} " not in failure.message


def test_a_media_list_that_is_not_xml_is_named_in_spanish(server, spanish):
    from requests.auth import HTTPDigestAuth

    server.fail("bad_formlist", on="manifest")
    with OpenRosaClient(server.url, auth=HTTPDigestAuth("enumerator01", "s3cret"), options=FAST) as c:
        with pytest.raises(ServerAnswerError) as info:
            c.manifest(server.url + "/forms/household/manifest")
    message = info.value.translated()
    assert gettext("the form's media list") in message and "media list" not in message
