"""Server profiles: which ODK Central project or KoboToolbox server to sync with.

Kept as JSON (``servers.json``) in the data folder. A profile holds no secret: the
password or app-user token lives in the credential store
(:mod:`fieldsurvey.sync.credentials`), and a Central address is stored without its token.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from fieldsurvey.errors import SyncError
from fieldsurvey.i18n.core import N_
from fieldsurvey.sync.central_qr import central_url_with_token, split_central_url
from fieldsurvey.sync.state import write_json_atomically

log = logging.getLogger(__name__)

PROFILES_FILE = "servers.json"
KINDS = ("central", "kobo")
AUTH_SCHEMES = ("digest", "basic", "token")


@dataclass(frozen=True)
class ServerProfile:
    """One server to sync with. ``auth``: "token" (Central app user), "digest" or "basic"."""

    name: str
    kind: str
    url: str
    user: str | None = None
    auth: str = "digest"
    project_name: str | None = None

    def openrosa_url(self, secret: str | None) -> str:
        """The address formList and submission are appended to (with the token, if any)."""
        if self.auth == "token":
            if not secret:
                raise missing_secret(self.name)
            return central_url_with_token(self.url, secret)
        return self.url

    def http_auth(self, secret: str | None) -> requests.auth.AuthBase | None:
        """The requests auth object for this profile (None with an app-user token)."""
        if self.auth == "token":
            return None
        if not self.user:
            return None
        if secret is None:
            raise missing_secret(self.name)
        if self.auth == "basic":
            return requests.auth.HTTPBasicAuth(self.user, secret)
        return requests.auth.HTTPDigestAuth(self.user, secret)


def missing_secret(name: str) -> SyncError:
    return SyncError(
        N_("No password or token is stored for the server profile {name}; add the profile "
           "again."),
        code="sync-no-secret",
        params={"name": name},
    )


def make_profile(name: str, kind: str, url: str, *, user: str | None = None,
                 auth: str | None = None, project_name: str | None = None
                 ) -> tuple[ServerProfile, str | None]:
    """Check and normalize a new profile; returns it and a token found in a Central URL."""
    name = (name or "").strip()
    if not name:
        raise SyncError(N_("A server profile needs a name."), code="sync-profile")
    if kind not in KINDS:
        raise SyncError(N_("Unknown server kind {kind}: use central or kobo."),
                        code="sync-profile", params={"kind": kind})
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise SyncError(
            N_("The server address {url} must start with https:// (or http://)."),
            code="sync-address", params={"url": url},
        )
    token = None
    if kind == "central":
        url, token = split_central_url(url)
        auth = auth or ("basic" if user else "token")
        if auth == "token":
            central_url_with_token(url, "check")  # raises when not a project address
    else:
        url = url.rstrip("/")
        auth = auth or "digest"
        if auth == "token":
            raise SyncError(N_("KoboToolbox uses a user name and password, not a token."),
                            code="sync-profile")
    if auth not in AUTH_SCHEMES:
        raise SyncError(N_("Unknown authentication {auth}: use digest or basic."),
                        code="sync-profile", params={"auth": auth})
    if auth in ("digest", "basic") and not user:
        raise SyncError(N_("The server profile {name} needs a user name."),
                        code="sync-profile", params={"name": name})
    profile = ServerProfile(name=name, kind=kind, url=url, user=user if auth != "token" else None,
                            auth=auth, project_name=project_name)
    return profile, token


class ProfileStore:
    """The profiles of one data folder."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / PROFILES_FILE

    def _load(self) -> dict[str, ServerProfile]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise SyncError(N_("The server profiles file {file} cannot be read."),
                            code="sync-profile", params={"file": str(self.path)},
                            detail=str(exc)) from None
        profiles = {}
        fields = set(ServerProfile.__dataclass_fields__)
        for item in raw.get("profiles", []) if isinstance(raw, dict) else []:
            if isinstance(item, dict) and {"name", "kind", "url"} <= item.keys():
                profile = ServerProfile(**{k: v for k, v in item.items() if k in fields})
                profiles[profile.name] = profile
        return profiles

    def _save(self, profiles: dict[str, ServerProfile]) -> None:
        payload = {"version": 1, "profiles": [asdict(p) for p in profiles.values()]}
        write_json_atomically(self.path, payload)

    def list(self) -> list[ServerProfile]:
        return sorted(self._load().values(), key=lambda p: p.name.casefold())

    def get(self, name: str) -> ServerProfile:
        profile = self._load().get(name)
        if profile is None:
            raise SyncError(N_("There is no server profile named {name}."),
                            code="sync-no-profile", params={"name": name})
        return profile

    def add(self, profile: ServerProfile) -> None:
        """Add or replace a profile of that name."""
        profiles = self._load()
        profiles[profile.name] = profile
        self._save(profiles)

    def remove(self, name: str) -> None:
        profiles = self._load()
        if profiles.pop(name, None) is None:
            raise SyncError(N_("There is no server profile named {name}."),
                            code="sync-no-profile", params={"name": name})
        self._save(profiles)
