"""Server profiles, secrets in the credential store (or the encrypted fallback), Central's
QR settings text, and the command line."""

from __future__ import annotations

import base64
import json
import zlib

import keyring
import pytest
from keyring.backends import fail

from fieldsurvey.errors import SyncError
from fieldsurvey.sync.central_qr import parse_qr_settings, split_central_url
from fieldsurvey.sync.credentials import PASSPHRASE_ENV, CredentialStore
from fieldsurvey.sync.profiles import make_profile

from .conftest import cli, instance_xml, xform

TOKEN = "Kx9f$RandomAppUserToken0123456789abcdefABCDEF"


def qr_text(settings: dict) -> str:
    return base64.b64encode(zlib.compress(json.dumps(settings).encode())).decode()


def central_qr(url="https://central.example.org", token=TOKEN, project=3):
    return qr_text({
        "general": {"server_url": f"{url}/v1/key/{token}/projects/{project}",
                    "form_update_mode": "match_exactly"},
        "project": {"name": "Diaspora study"},
        "admin": {},
    })


def test_central_qr_settings_text_is_decoded():
    qr = parse_qr_settings(central_qr())
    assert qr.kind == "central"
    assert qr.server_url == "https://central.example.org/v1/projects/3"
    assert qr.token == TOKEN and qr.project_name == "Diaspora study"


def test_kobo_qr_with_an_account():
    qr = parse_qr_settings(qr_text({"general": {"server_url": "https://kc.kobotoolbox.org",
                                                "username": "enumerator01", "password": "pw"}}))
    assert (qr.kind, qr.server_url, qr.username, qr.password) == (
        "kobo", "https://kc.kobotoolbox.org", "enumerator01", "pw")


@pytest.mark.parametrize("text", ["", "not base64 !!", base64.b64encode(b"plain").decode(),
                                  qr_text({"general": {}}), qr_text(["list"])])
def test_bad_qr_text_is_a_clear_error(text):
    with pytest.raises(SyncError) as info:
        parse_qr_settings(text)
    assert info.value.code == "sync-qr"


def test_central_url_keeps_its_token_apart():
    assert split_central_url("https://c.org/v1/key/abc/projects/7/") == (
        "https://c.org/v1/projects/7", "abc")
    profile, token = make_profile("c", "central", "https://c.org/v1/key/abc/projects/7")
    assert (profile.url, profile.auth, token) == ("https://c.org/v1/projects/7", "token", "abc")
    assert profile.openrosa_url(token) == "https://c.org/v1/key/abc/projects/7"
    with pytest.raises(SyncError):
        make_profile("c", "central", "https://c.org/somewhere")
    with pytest.raises(SyncError):
        make_profile("k", "kobo", "ftp://kobo.org", user="enumerator01")
    with pytest.raises(SyncError):
        make_profile("k", "kobo", "https://kc.kobotoolbox.org")  # no user


def test_secrets_go_to_the_system_store_not_the_files(data_dir, memory_keyring):
    store = CredentialStore(data_dir.root)
    assert store.set("office", "pa55word") == "keyring"
    assert store.get("office") == "pa55word"
    assert "pa55word" in memory_keyring.secrets.values()
    assert not (data_dir.root / "credentials.enc").exists()
    store.delete("office")
    assert store.get("office") is None


def test_without_a_credential_store_the_fallback_is_encrypted(data_dir, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    store = CredentialStore(data_dir.root)
    assert not store.uses_system_store
    with pytest.raises(SyncError) as info:
        store.set("office", "pa55word")
    assert PASSPHRASE_ENV in info.value.translated()
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse")
    assert store.set("office", "pa55word") == "encrypted-file"
    raw = (data_dir.root / "credentials.enc").read_bytes()
    assert b"pa55word" not in raw and b"office" not in raw
    assert CredentialStore(data_dir.root).get("office") == "pa55word"
    monkeypatch.setenv(PASSPHRASE_ENV, "wrong horse")
    with pytest.raises(SyncError) as info:
        CredentialStore(data_dir.root).get("office")
    assert info.value.code == "sync-bad-passphrase"


def test_cli_profiles_add_list_remove(data_dir, memory_keyring):
    code, out, _err = cli(["profiles", "add", "kobo", "--kind", "kobo", "--url",
                           "https://kc.example.org/", "--user", "enumerator01"], stdin="pa55word\n")
    assert code == 0, _err
    code, out, _err = cli(["profiles", "add", "central", "--qr-text", "-"], stdin=central_qr())
    assert code == 0, _err
    code, out, _err = cli(["profiles", "list", "--json"])
    listed = json.loads(out)["profiles"]
    assert [(p["name"], p["kind"], p["url"]) for p in listed] == [
        ("central", "central", "https://central.example.org/v1/projects/3"),
        ("kobo", "kobo", "https://kc.example.org"),
    ]
    saved = (data_dir.root / "servers.json").read_text()
    assert TOKEN not in saved and "pa55word" not in saved
    assert set(memory_keyring.secrets.values()) == {"pa55word", TOKEN}
    code, out, _err = cli(["profiles", "remove", "kobo"])
    assert code == 0
    assert set(memory_keyring.secrets.values()) == {TOKEN}
    code, _out, err = cli(["profiles", "remove", "kobo"])
    assert code == 1 and "no server profile named kobo" in err


def test_cli_refuses_an_empty_secret(data_dir):
    code, _out, err = cli(["profiles", "add", "k", "--kind", "kobo", "--url",
                           "https://kc.example.org", "--user", "enumerator01"], stdin="")
    assert code == 1 and "standard input" in err
    assert not (data_dir.root / "servers.json").exists()


def test_cli_sync_sends_and_pulls(data_dir, server):
    server.add_form("household", xform(), version="1")
    code, _out, err = cli(["profiles", "add", "office", "--kind", "kobo", "--url", server.url,
                           "--user", "enumerator01"], stdin="s3cret\n")
    assert code == 0, err
    code, out, err = cli(["sync", "--profile", "office", "--pull-forms", "--json"])
    assert code == 0, err
    result = json.loads(out)
    assert (result["forms_pulled"], result["sent"], result["failed"]) == (1, 0, 0)

    from fieldsurvey.store import open_store

    with open_store(data_dir) as store:
        xml = instance_xml()
        record = store.create_interview("household", "1", xml)
        store.finalize(record.instance_id, xml)
    code, out, err = cli(["sync", "--profile", "office"])
    assert code == 0, err
    assert "1 interview sent" in out and "0 interviews failed" in out
    assert record.instance_id in server.submissions


def test_cli_sync_reports_a_failure_with_exit_1(data_dir, server):
    cli(["profiles", "add", "office", "--kind", "kobo", "--url", server.url, "--user", "enumerator01"],
        stdin="wrong\n")
    server.add_form("household", xform(), version="1")
    code, out, _err = cli(["sync", "--profile", "office", "--pull-forms", "--json"])
    assert code == 1
    assert json.loads(out)["error"]["code"] == "sync-unauthorized"


def test_cli_sync_with_failed_interviews_gives_an_error_object(data_dir, server):
    from fieldsurvey.store import open_store

    server.add_form("household", xform(), version="1")
    cli(["profiles", "add", "office", "--kind", "kobo", "--url", server.url, "--user", "enumerator01"],
        stdin="s3cret\n")
    assert cli(["sync", "--profile", "office", "--pull-forms"])[0] == 0
    with open_store(data_dir) as store:
        for answer in ("refused", "accepted"):
            xml = instance_xml(answer=answer)
            record = store.create_interview("household", "1", xml)
            store.finalize(record.instance_id, xml)
    server.fail("403", times=1)  # the first interview only: the batch goes on
    code, out, _err = cli(["sync", "--profile", "office", "--json"])
    assert code == 1
    result = json.loads(out)
    assert (result["ok"], result["sent"], result["failed"]) == (False, 1, 1)
    assert result["error"]["code"] == "sync-incomplete"
    assert "Interviews failed: 1" in result["error"]["message"]
    assert result["failures"][0]["code"] == "sync-forbidden"


def test_cli_central_web_user_with_basic_auth(data_dir, memory_keyring):
    """A Central web user (e-mail and password) instead of an app user: Central accepts
    Basic authentication on a project's OpenRosa endpoints (no token in the path)."""
    from .openrosa_server import OpenRosaTestServer

    email = "enumerator01@example.org"
    with OpenRosaTestServer(auth="basic", users={email: "Central-pa55"},
                            prefix="/v1/projects/4", lifetime=60) as central:
        central.add_form("household", xform(), version="1")
        code, _out, err = cli(["profiles", "add", "central-web", "--kind", "central",
                               "--url", central.url, "--user", email, "--auth", "basic"],
                              stdin="Central-pa55\n")
        assert code == 0, err
        code, out, _err = cli(["profiles", "list", "--json"])
        [listed] = json.loads(out)["profiles"]
        assert (listed["url"], listed["user"], listed["auth"]) == (
            central.url, email, "basic")
        assert "Central-pa55" not in (data_dir.root / "servers.json").read_text()

        code, out, err = cli(["sync", "--profile", "central-web", "--pull-forms", "--json"])
        assert code == 0, err
        assert json.loads(out)["forms_pulled"] == 1
        from fieldsurvey.store import open_store

        with open_store(data_dir) as store:
            xml = instance_xml()
            record = store.create_interview("household", "1", xml)
            store.finalize(record.instance_id, xml)
        code, out, err = cli(["sync", "--profile", "central-web", "--json"])
        assert code == 0, err
        result = json.loads(out)
        assert result["sent"] == 1 and record.instance_id in central.submissions
        # Plain http in this test: the report warns that the password is not encrypted.
        assert [w["code"] for w in result["warnings"]] == ["sync-plain-password"]
        authorizations = {h.get("Authorization", "").split(" ")[0]
                          for _m, _p, h in central.requests if h.get("Authorization")}
        assert authorizations == {"Basic"}

        # A wrong password is a refused account, nothing is sent.
        memory_keyring.secrets = {k: "wrong" for k in memory_keyring.secrets}
        code, out, _err = cli(["sync", "--profile", "central-web", "--pull-forms", "--json"])
        assert code == 1 and json.loads(out)["error"]["code"] == "sync-unauthorized"


def test_cli_sync_with_nothing_to_send_fails_when_the_server_is_down(data_dir, monkeypatch):
    from fieldsurvey.sync.openrosa import ConnectionOptions

    from .conftest import FAST
    from .openrosa_server import OpenRosaTestServer

    monkeypatch.setattr(ConnectionOptions, "from_settings",
                        classmethod(lambda cls, settings, **kw: FAST))
    with OpenRosaTestServer(lifetime=60) as down:
        url = down.url
    cli(["profiles", "add", "office", "--kind", "kobo", "--url", url, "--user", "enumerator01"],
        stdin="s3cret\n")
    code, out, _err = cli(["sync", "--profile", "office"])
    assert code == 1
    assert "cannot be reached" in out
