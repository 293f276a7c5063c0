"""``fieldsurvey profiles add|list|remove`` and ``fieldsurvey sync``.

A password or token is never taken from an argument (it would stay in the shell history
and the process list): it is read from standard input, or asked for without echo.
"""

from __future__ import annotations

import getpass
import sys

from fieldsurvey.errors import SyncError
from fieldsurvey.i18n import N_, _
from fieldsurvey.sync.central_qr import parse_qr_settings
from fieldsurvey.sync.credentials import PASSPHRASE_ENV, CredentialStore
from fieldsurvey.sync.openrosa import ConnectionOptions
from fieldsurvey.sync.profiles import AUTH_SCHEMES, KINDS, ProfileStore, make_profile


def register(subparsers) -> None:
    profiles = subparsers.add_parser("profiles", help=_("server profiles for sync"))
    commands = profiles.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)

    add = commands.add_parser(
        "add",
        help=_("add or replace a server profile; the password or token is read from "
               "standard input"),
    )
    add.add_argument("name", help=_("profile name"))
    add.add_argument("--kind", choices=KINDS, help=_("central (ODK Central) or kobo"))
    add.add_argument("--url", help=_("server address (Central: the project's address)"))
    add.add_argument("--user", help=_("user name (KoboToolbox, or a Central web user)"))
    add.add_argument("--auth", choices=[a for a in AUTH_SCHEMES if a != "token"],
                     help=_("HTTP authentication (default: digest)"))
    add.add_argument(
        "--qr-text", metavar="TEXT",
        help=_("the settings text of a configuration QR code; '-' reads it from standard "
               "input"),
    )
    add.add_argument("--json", action="store_true", help=_("print JSON"))
    add.set_defaults(handler=add_profile)

    listing = commands.add_parser("list", help=_("list the server profiles"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=list_profiles)

    remove = commands.add_parser("remove", help=_("remove a server profile and its secret"))
    remove.add_argument("name", help=_("profile name"))
    remove.set_defaults(handler=remove_profile)

    sync = subparsers.add_parser(
        "sync", help=_("send finalized interviews to a server and, if asked, download forms")
    )
    sync.add_argument("--profile", required=True, help=_("server profile name"))
    sync.add_argument("--pull-forms", action="store_true",
                      help=_("also download new forms and new versions"))
    sync.add_argument("--json", action="store_true", help=_("print JSON"))
    sync.set_defaults(handler=run_sync)


def _ask_passphrase() -> str | None:
    """The passphrase of the encrypted credentials file, asked only at a terminal."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(_("Passphrase of the encrypted credentials file: ")) or None


def _credentials(ctx) -> CredentialStore:
    return CredentialStore(ctx.data_dir.root, passphrase=_ask_passphrase)


def _read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        secret = getpass.getpass(prompt)
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise SyncError(N_("No password or token was given on standard input."),
                        code="sync-no-secret")
    return secret


def add_profile(args, ctx) -> int:
    kind, url, user, secret, project = args.kind, args.url, args.user, None, None
    if args.qr_text:
        text = sys.stdin.read() if args.qr_text == "-" else args.qr_text
        qr = parse_qr_settings(text)
        kind = kind or qr.kind
        url = qr.server_url if qr.token or not url else url
        user = user or qr.username
        secret = qr.token or qr.password
        project = qr.project_name
    if not kind or not url:
        raise SyncError(N_("Give --kind and --url, or --qr-text."), code="sync-profile")
    profile, token = make_profile(args.name, kind, url, user=user, auth=args.auth,
                                  project_name=project)
    secret = secret or token
    if secret is None:
        prompt = _("App user token: ") if profile.auth == "token" else _("Password: ")
        secret = _read_secret(prompt)
    credentials = _credentials(ctx)
    where = credentials.set(profile.name, secret)
    ProfileStore(ctx.data_dir.root).add(profile)
    if ctx.json_output:
        ctx.print_json({"profile": _profile_dict(profile), "secret_stored_in": where})
    elif where == "keyring":
        ctx.out(_("Profile {name} saved; its secret is in the system credential store.")
                .format(name=profile.name))
    else:
        ctx.out(_("Profile {name} saved. This computer has no credential store: the secret "
                  "is in the encrypted file {file}, protected by the passphrase of "
                  "{variable}.").format(name=profile.name, file=credentials.fallback.path,
                                        variable=PASSPHRASE_ENV))
    return 0


def _profile_dict(profile) -> dict:
    return {"name": profile.name, "kind": profile.kind, "url": profile.url,
            "user": profile.user, "auth": profile.auth, "project": profile.project_name}


def list_profiles(args, ctx) -> int:
    profiles = ProfileStore(ctx.data_dir.root).list()
    credentials = _credentials(ctx)
    if ctx.json_output:
        ctx.print_json({"profiles": [_profile_dict(p) for p in profiles],
                        "credential_store": credentials.describe()})
        return 0
    if not profiles:
        ctx.out(_("No server profiles. Add one with: fieldsurvey profiles add NAME --kind "
                  "central|kobo --url URL"))
    for profile in profiles:
        who = profile.user or _("app user token")
        ctx.out(f"{profile.name}\t{profile.kind}\t{profile.url}\t{who}")
    if credentials.uses_system_store:
        ctx.out(_("Secrets are kept in the system credential store ({backend}).").format(
            backend=type(credentials.keyring).__name__))
    else:
        ctx.out(_("Secrets are kept in the encrypted file {file}.").format(
            file=credentials.fallback.path))
    return 0


def remove_profile(args, ctx) -> int:
    ProfileStore(ctx.data_dir.root).remove(args.name)
    _credentials(ctx).delete(args.name)
    ctx.out(_("Profile {name} removed.").format(name=args.name))
    return 0


def run_sync(args, ctx) -> int:
    from fieldsurvey.store import open_store
    from fieldsurvey.sync.service import sync

    profile = ProfileStore(ctx.data_dir.root).get(args.profile)
    options = ConnectionOptions.from_settings(ctx.settings)
    credentials = _credentials(ctx)

    def progress(done: int, total: int, text: str) -> None:
        if not ctx.json_output and total and text:
            ctx.err(_("{done} of {total}: {item}").format(done=done + 1, total=total,
                                                          item=text))

    with open_store(ctx.data_dir) as store:
        report = sync(store, profile, pull_forms=args.pull_forms, progress=progress,
                      options=options, credentials=credentials, data_dir=ctx.data_dir)
    if ctx.json_output:
        ctx.print_json(report.as_dict())
    else:
        for line in report.summary_lines():
            ctx.out(line)
    return 0 if report.ok else 1
