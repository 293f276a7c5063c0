"""Sync with ODK Central and KoboToolbox over OpenRosa 1.0 (Qt-free core).

    from fieldsurvey.sync import sync, ProfileStore, CredentialStore
    profile = ProfileStore(data_dir.root).get("office")
    report = sync(store, profile, pull_forms=True, progress=progress, cancel=cancel)
"""

from fieldsurvey.sync.central_qr import QrSettings, parse_qr_settings
from fieldsurvey.sync.credentials import CredentialStore
from fieldsurvey.sync.openrosa import ConnectionOptions, OpenRosaClient
from fieldsurvey.sync.profiles import ProfileStore, ServerProfile, make_profile
from fieldsurvey.sync.report import Failure, SyncReport
from fieldsurvey.sync.service import sync

__all__ = [
    "ConnectionOptions",
    "CredentialStore",
    "Failure",
    "OpenRosaClient",
    "ProfileStore",
    "QrSettings",
    "ServerProfile",
    "SyncReport",
    "make_profile",
    "parse_qr_settings",
    "sync",
]
