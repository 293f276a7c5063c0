"""Read the settings text of a configuration QR code (ODK Central app user, Kobo).

The QR code carries ODK Collect's settings as JSON, compressed with zlib and encoded in
base64. Central's app-user code holds ``general.server_url`` =
``https://host/v1/key/<token>/projects/<id>`` and ``project.name``; a Kobo code may hold
``general.server_url``, ``username`` and ``password``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from fieldsurvey.errors import SyncError
from fieldsurvey.i18n.core import N_

_CENTRAL_KEY = re.compile(r"^(?P<before>.*?/v1)/key/(?P<token>[^/]+)(?P<after>/projects/\d+)/?$")


@dataclass(frozen=True)
class QrSettings:
    """What a configuration code says about the server (secrets kept apart)."""

    server_url: str  # without the token
    token: str | None
    username: str | None
    password: str | None
    project_name: str | None

    @property
    def kind(self) -> str:
        return "central" if self.token or "/v1/projects/" in self.server_url else "kobo"


def split_central_url(url: str) -> tuple[str, str | None]:
    """``https://h/v1/key/TOKEN/projects/1`` -> (``https://h/v1/projects/1``, ``TOKEN``)."""
    parts = urlsplit(url.strip())
    match = _CENTRAL_KEY.match(parts.path)
    if not match:
        return url.strip().rstrip("/"), None
    path = match["before"] + match["after"]
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")), match["token"]


def central_url_with_token(url: str, token: str) -> str:
    """Put an app-user token back into a Central project address for the requests."""
    parts = urlsplit(url.rstrip("/"))
    match = re.match(r"^(?P<before>.*?/v1)(?P<after>/projects/\d+)$", parts.path)
    if not match:
        raise SyncError(
            N_("The address {url} is not an ODK Central project address "
               "(https://server/v1/projects/NUMBER)."),
            code="sync-address",
            params={"url": url},
        )
    path = f"{match['before']}/key/{token}{match['after']}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def decode_settings(text: str) -> dict:
    """The settings JSON of a QR code's text (base64 of zlib-compressed JSON)."""
    cleaned = "".join(text.split())
    if not cleaned:
        raise _bad_code()
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=False)
        data = json.loads(zlib.decompress(raw).decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise _bad_code() from None
    if not isinstance(data, dict):
        raise _bad_code()
    return data


def _bad_code() -> SyncError:
    return SyncError(
        N_("This is not the settings text of an ODK Central or KoboToolbox configuration "
           "QR code."),
        code="sync-qr",
    )


def parse_qr_settings(text: str) -> QrSettings:
    """The server address, token or account carried by a configuration QR code."""
    data = decode_settings(text)
    general = data.get("general") if isinstance(data.get("general"), dict) else {}
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    server_url = general.get("server_url")
    if not isinstance(server_url, str) or not server_url.startswith(("http://", "https://")):
        raise SyncError(
            N_("The configuration QR code has no server address."), code="sync-qr"
        )
    url, token = split_central_url(server_url)
    return QrSettings(
        server_url=url,
        token=token,
        username=general.get("username") or None,
        password=general.get("password") or None,
        project_name=project.get("name") or None,
    )
