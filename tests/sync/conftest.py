"""Fixtures of the sync tests: a local OpenRosa server, an in-memory credential store,
and a small store that keeps interviews in memory (the real store is used where it is
installed, see test_sync_store.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from defusedxml import ElementTree as SafeET
from keyring.backend import KeyringBackend

from fieldsurvey.errors import FormError
from fieldsurvey.sync.openrosa import ConnectionOptions

from .openrosa_server import OpenRosaTestServer

#: Fast options for tests: short timeout, quick back-off.
FAST = ConnectionOptions(timeout=2.0, retries=2, backoff=0.01)


class MemoryKeyring(KeyringBackend):
    """A credential store that lives in the test's memory only."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring():
    """Nothing in these tests touches the real operating-system credential store."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def server():
    with OpenRosaTestServer(lifetime=60) as srv:
        yield srv


def instance_xml(form_id: str = "household", *, instance_id: str | None = None,
                 deprecated_id: str | None = None, answer: str = "yes",
                 version: str = "1") -> str:
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    deprecated = f"<deprecatedID>{deprecated_id}</deprecatedID>" if deprecated_id else ""
    return (
        f'<data id="{form_id}" version="{version}" '
        f'xmlns:orx="http://openrosa.org/xforms"><q>{answer}</q>'
        f"<meta><instanceID>{instance_id}</instanceID>{deprecated}</meta></data>"
    )


def xform(form_id: str = "household", version: str = "1", title: str = "Household") -> str:
    return (
        '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
        f"<h:head><h:title>{title}</h:title><model><instance>"
        f'<data id="{form_id}" version="{version}"><q/><meta><instanceID/></meta></data>'
        '</instance><bind nodeset="/data/q" type="string"/></model></h:head>'
        '<h:body><input ref="/data/q"><label>Q</label></input></h:body></h:html>'
    )


@dataclass
class Record:
    instance_id: str
    form_id: str
    form_version: str
    xml: str
    status: str = "finalized"
    deleted: bool = False
    sent_at: datetime | None = None
    modified_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class Installed:
    form_id: str
    version: str | None
    xform: str
    media: dict[str, bytes]


class MemoryStore:
    """The part of the store contract the sync uses, in memory."""

    def __init__(self, media_root: Path) -> None:
        self.records: dict[str, Record] = {}
        self.files: dict[str, list[tuple[str, str, Path]]] = {}
        self.attempts: list[tuple] = []
        self.sent: dict[str, str] = {}
        self.forms: list[Installed] = []
        self.media_root = media_root

    def add(self, xml: str, *, attachments: list[Path] = (), status: str = "finalized") -> str:
        root = SafeET.fromstring(xml)
        instance_id = root.find("meta/instanceID").text
        self.records[instance_id] = Record(instance_id, root.get("id"), root.get("version"),
                                           xml, status)
        self.files[instance_id] = [(p.name, "sha", p) for p in attachments]
        return instance_id

    def list_interviews(self, *, status=None, order_by=None, descending=True, **_):
        if status is None:
            wanted = None
        else:
            many = status if isinstance(status, list | tuple | set) else [status]
            wanted = {str(getattr(s, "value", s)).lower() for s in many}
        rows = [r for r in self.records.values() if wanted is None or r.status in wanted]
        return sorted(rows, key=lambda r: r.modified_at, reverse=descending)

    def get_interview(self, instance_id):
        return self.records[instance_id]

    def attachments(self, instance_id):
        return list(self.files.get(instance_id, []))

    def mark_sent(self, instance_ids, *, profile):
        for instance_id in instance_ids:
            record = self.records[instance_id]
            record.status = "sent"
            record.sent_at = datetime.now(UTC)
            self.sent[instance_id] = profile

    def record_sync_attempt(self, instance_id, profile, url, status_code, response_text, ok):
        self.attempts.append((instance_id, profile, url, status_code, response_text, ok))

    def install_form(self, path):
        path = Path(path)
        try:
            root = SafeET.parse(path).getroot()
        except Exception as exc:
            raise FormError(detail=str(exc), path=str(path)) from None
        data = next(e for e in root.iter() if e.get("id"))
        media = {p.name: p.read_bytes() for p in path.parent.iterdir() if p != path}
        form = Installed(data.get("id"), data.get("version"), path.read_text(), media)
        self.forms.append(form)
        return type("InstallResult", (), {"form": form, "already_installed": False})()

    def list_forms(self, all_versions=False):
        return list(self.forms)

    def form_media_dir(self, form_id, version):
        return self.media_root / form_id / str(version)


@pytest.fixture
def store(tmp_path):
    return MemoryStore(tmp_path / "media")


def cli(args, stdin=""):
    """``fieldsurvey ARGS`` in-process with ``stdin``: (exit status, stdout, stderr)."""
    import io
    import sys

    from fieldsurvey.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        code = main(args)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()
