"""Passwords and app-user tokens: in the operating system's credential store, never in
the database, the settings or the logs.

The credential store is reached through ``keyring`` (Windows Credential Manager, macOS
Keychain, Secret Service on Linux desktops). Where there is none (a headless Linux server,
where keyring only offers its "fail" backend), secrets go to ``credentials.enc`` in the
data folder instead: a Fernet-encrypted file (AES-128-CBC with HMAC-SHA256) whose key is
derived with scrypt from a passphrase. The passphrase comes from the environment variable
``FIELDSURVEY_KEYRING_PASSPHRASE`` or is asked for; it is never stored. Plain text is never
used. See docs/sync.md.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import keyring
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.errors import KeyringError, PasswordDeleteError

from fieldsurvey.errors import SyncError
from fieldsurvey.i18n.core import N_
from fieldsurvey.sync.state import write_json_atomically

log = logging.getLogger(__name__)

SERVICE = "FieldSurvey"
PASSPHRASE_ENV = "FIELDSURVEY_KEYRING_PASSPHRASE"
FALLBACK_FILE = "credentials.enc"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}


def system_keyring_usable(backend: keyring.backend.KeyringBackend | None = None) -> bool:
    """True when keyring has a real credential store (not its "fail" or "null" backends)."""
    backend = backend or keyring.get_keyring()
    module = type(backend).__module__
    if module.endswith((".fail", ".null")):
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a third-party backend whose priority raises: do not trust it
        return False


class EncryptedFile:
    """The fallback: a JSON map {profile: secret}, Fernet-encrypted with a scrypt key."""

    def __init__(self, path: Path, passphrase: Callable[[], str | None]) -> None:
        self.path = Path(path)
        self._passphrase = passphrase
        self._key: bytes | None = None
        self._salt: bytes | None = None

    def _derive(self, salt: bytes) -> bytes:
        if self._key is not None and self._salt == salt:
            return self._key
        phrase = os.environ.get(PASSPHRASE_ENV) or self._passphrase()
        if not phrase:
            raise SyncError(
                N_("This computer has no credential store. Set the environment variable "
                   "{variable} to a passphrase that protects the encrypted credentials "
                   "file {file}."),
                code="sync-no-keyring",
                params={"variable": PASSPHRASE_ENV, "file": str(self.path)},
            )
        kdf = Scrypt(salt=salt, length=32, **_SCRYPT)
        self._key = base64.urlsafe_b64encode(kdf.derive(phrase.encode("utf-8")))
        self._salt = salt
        return self._key

    def _read(self) -> tuple[bytes, dict[str, str]]:
        try:
            envelope = json.loads(self.path.read_text(encoding="utf-8"))
            salt = base64.b64decode(envelope["salt"])
            token = envelope["data"].encode("ascii")
        except FileNotFoundError:
            return secrets.token_bytes(16), {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SyncError(
                N_("The encrypted credentials file {file} is damaged."),
                code="sync-credentials-damaged",
                params={"file": str(self.path)},
                detail=str(exc),
            ) from None
        try:
            data = json.loads(Fernet(self._derive(salt)).decrypt(token))
        except InvalidToken:
            self._key = None
            raise SyncError(
                N_("The passphrase does not open the encrypted credentials file {file}."),
                code="sync-bad-passphrase",
                params={"file": str(self.path)},
            ) from None
        return salt, dict(data)

    def _write(self, salt: bytes, data: dict[str, str]) -> None:
        token = Fernet(self._derive(salt)).encrypt(json.dumps(data).encode("utf-8"))
        envelope = {
            "format": "fieldsurvey-credentials",
            "version": 1,
            "cipher": "fernet",
            "kdf": {"name": "scrypt", **_SCRYPT},
            "salt": base64.b64encode(salt).decode("ascii"),
            "data": token.decode("ascii"),
        }
        write_json_atomically(self.path, envelope, private=True)

    def get(self, name: str) -> str | None:
        if not self.path.exists():
            return None
        return self._read()[1].get(name)

    def set(self, name: str, secret: str) -> None:
        salt, data = self._read()
        data[name] = secret
        self._write(salt, data)

    def delete(self, name: str) -> None:
        if not self.path.exists():
            return
        salt, data = self._read()
        if data.pop(name, None) is not None:
            self._write(salt, data)


class CredentialStore:
    """Secrets of the server profiles of one data folder, keyed by profile name."""

    def __init__(self, folder: Path, *, passphrase: Callable[[], str | None] | None = None,
                 backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.folder = Path(folder)
        self._backend = backend
        self.fallback = EncryptedFile(self.folder / FALLBACK_FILE, passphrase or (lambda: None))

    @property
    def keyring(self) -> keyring.backend.KeyringBackend:
        return self._backend or keyring.get_keyring()

    @property
    def uses_system_store(self) -> bool:
        return system_keyring_usable(self.keyring)

    def describe(self) -> str:
        """Where secrets go, for `profiles list` and the documentation."""
        if self.uses_system_store:
            return f"keyring ({type(self.keyring).__module__}.{type(self.keyring).__name__})"
        return f"encrypted file ({self.fallback.path})"

    def _account(self, profile: str) -> str:
        # One data folder's profiles must not collide with another's of the same name.
        return f"{profile}@{self.folder}"

    def get(self, profile: str) -> str | None:
        if self.uses_system_store:
            try:
                secret = self.keyring.get_password(SERVICE, self._account(profile))
            except KeyringError as exc:
                log.warning("credential store unavailable (%s); trying the encrypted file", exc)
            else:
                if secret is not None:
                    return secret
        return self.fallback.get(profile)

    def set(self, profile: str, secret: str) -> str:
        """Store a secret; returns where it went ("keyring" or "encrypted-file")."""
        if self.uses_system_store:
            try:
                self.keyring.set_password(SERVICE, self._account(profile), secret)
                if self.fallback.path.exists():
                    self.fallback.delete(profile)
                return "keyring"
            except KeyringError as exc:
                log.warning("credential store refused the secret (%s); using the encrypted "
                            "file", exc)
        self.fallback.set(profile, secret)
        return "encrypted-file"

    def delete(self, profile: str) -> None:
        if self.uses_system_store:
            try:
                self.keyring.delete_password(SERVICE, self._account(profile))
            except (PasswordDeleteError, KeyringError):
                pass
        if self.fallback.path.exists():
            self.fallback.delete(profile)
