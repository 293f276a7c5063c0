"""An OpenRosa 1.0 client: form list, manifest, form and media download, submission.

It speaks to ODK Central and KoboToolbox the way ODK Collect does: every request carries
``X-OpenRosa-Version: 1.0`` and a ``Date``; a submission starts with the HEAD handshake
(204 and ``X-OpenRosa-Accept-Content-Length``), then POSTs ``xml_submission_file`` with its
attachments, split into several POSTs under the server's size limit (``*isIncomplete*=yes``
on all but the last). One ``requests.Session`` is reused, so connections and the Digest
nonce are kept between requests.

Failures are raised as :class:`NetworkError` (the server cannot be reached: refused, name
not found, timeout, TLS) or :class:`ServerAnswerError` (the server answered, but not with
what OpenRosa promises). Addresses in messages and logs never carry a Central token.
"""

from __future__ import annotations

import email.utils
import logging
import re
import socket
import ssl
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.etree.ElementTree import Element, ParseError

import requests
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from urllib3.exceptions import InsecureRequestWarning, NameResolutionError

from fieldsurvey.errors import CancelledError, SyncError
from fieldsurvey.i18n.core import N_
from fieldsurvey.safe_names import MEDIA_FILE, check_name

log = logging.getLogger(__name__)

OPENROSA_VERSION = "1.0"
FORMLIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"
#: What OpenRosa lets a client assume when the server does not say (10 MB).
DEFAULT_MAX_BYTES = 10_000_000
#: Statuses worth asking again: the server is busy or briefly broken.
RETRY_STATUSES = frozenset({500, 502, 503, 504})
#: Never wait longer than this between two attempts, whatever Retry-After says.
MAX_BACKOFF_SECONDS = 60.0

_TOKEN_IN_PATH = re.compile(r"/key/[^/]+")


def redact_url(url: str) -> str:
    """The address without secrets: no user:password, no Central app-user token."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid address>"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    path = _TOKEN_IN_PATH.sub("/key/***", parts.path)
    return urlunsplit((parts.scheme, netloc, path, parts.query, ""))


class _RedactingFilter(logging.Filter):
    """urllib3 logs each request line with its path; a Central token must not reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except (TypeError, ValueError):
            return True
        if "/key/" in text:
            record.msg = _TOKEN_IN_PATH.sub("/key/***", text)
            record.args = ()
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactingFilter())


class PhrasedSyncError(SyncError):
    """A SyncError whose ``what`` parameter is itself a phrase marked with ``N_()``
    ("the form list"): it is translated together with the message, so that a translated
    message carries no English words."""

    #: Parameters holding phrases marked with N_.
    phrase_params: tuple[str, ...] = ("what",)

    def _render(self, translate) -> str:
        phrases = {key: translate(self.params[key]) for key in self.phrase_params
                   if isinstance(self.params.get(key), str)}
        if not phrases:
            return super()._render(translate)
        # A copy with the phrases translated: the error itself is left untouched, so
        # another thread rendering it at the same time sees it whole.
        shown = type(self).__new__(type(self))
        shown.__dict__.update(self.__dict__)
        shown.params = {**self.params, **phrases}
        return SyncError._render(shown, translate)


class NetworkError(PhrasedSyncError):
    """The server could not be reached, or did not answer in time."""

    code = "sync-network"
    #: How many attempts timed out (the server may have received the last one).
    timeouts: int = 0


class ServerAnswerError(PhrasedSyncError):
    """The server answered, but with a refusal or with something that is not OpenRosa."""

    code = "sync-answer"

    def __init__(self, *args, status_code: int | None = None, response_text: str = "", **kw):
        super().__init__(*args, **kw)
        self.status_code = status_code
        self.response_text = response_text


@dataclass(frozen=True)
class ConnectionOptions:
    """How to reach a server: timeouts, retries, proxy and certificates."""

    timeout: float = 30.0
    #: Attempts after the first for one request (a timeout, a refused connection, 5xx).
    retries: int = 3
    #: First wait between attempts in seconds; multiplied by ``backoff_factor`` after
    #: each failed attempt, never beyond ``max_backoff`` (nor a longer Retry-After).
    backoff: float = 1.0
    backoff_factor: float = 2.0
    max_backoff: float = MAX_BACKOFF_SECONDS
    #: Server failures in a row (5xx answers, requests that got no answer in time) after
    #: which the server is taken as failing: no more retries, and a sync stops its batch
    #: instead of trying every interview in turn. 0: never.
    failing_after: int = 3
    verify_tls: bool = True
    ca_bundle: str | None = None
    proxy: str | None = None

    def waits(self) -> list[float]:
        """The back-off schedule: seconds waited before each retry of one request."""
        waits, delay = [], max(0.0, self.backoff)
        for _attempt in range(max(0, self.retries)):
            waits.append(min(delay, self.max_backoff))
            delay *= self.backoff_factor
        return waits

    @property
    def verify(self) -> bool | str:
        if not self.verify_tls:
            return False
        return self.ca_bundle or True

    @classmethod
    def from_settings(cls, settings, **overrides) -> ConnectionOptions:
        """Options from the user's settings (``sync_timeout_seconds``, ``sync_proxy``...)."""
        values = dict(
            timeout=float(settings.get("sync_timeout_seconds") or 30),
            verify_tls=bool(settings.get("sync_verify_tls")),
            ca_bundle=settings.get("sync_ca_bundle") or None,
            proxy=settings.get("sync_proxy") or None,
        )
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class FormListEntry:
    """One form of the server's ``formList``."""

    form_id: str
    name: str
    version: str | None
    hash: str | None
    download_url: str
    manifest_url: str | None


@dataclass(frozen=True)
class MediaFile:
    """One file of a form's manifest."""

    filename: str
    hash: str | None
    download_url: str


@dataclass
class SubmissionResult:
    """What the server said to one interview's submission (all its POSTs)."""

    status_code: int
    message: str
    accepted: bool
    duplicate: bool
    response_text: str
    posts: int = 1
    #: An earlier attempt timed out; a duplicate answer then means that attempt arrived.
    after_timeout: bool = False
    parts_sent: list[str] = field(default_factory=list)


def openrosa_message(text: str) -> str | None:
    """The ``<message>`` of an OpenRosa response body, or None if the body is not one."""
    root = _parse_xml(text)
    if root is None:
        return None
    for element in root.iter():
        if _local(element.tag) == "message":
            return (element.text or "").strip()
    return None


def _parse_xml(text: str | bytes) -> Element | None:
    try:
        return SafeET.fromstring(text)
    except (ParseError, DefusedXmlException, ValueError):
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html") or "<body" in head


def _is_dns_failure(exc: BaseException) -> bool:
    """True when the host name could not be resolved (urllib3 nests the socket error)."""
    return _find_cause(exc, socket.gaierror | NameResolutionError) is not None


#: OpenSSL's verification results (X509_V_ERR_*) that each get their own message.
_CERT_EXPIRED = frozenset({9, 10})  # not yet valid, expired: often a wrong clock
_CERT_WRONG_NAME = frozenset({62, 64})  # host name or IP address mismatch


def _tls_error(exc: BaseException, params: dict, detail: str) -> NetworkError:
    """A message for what went wrong in the TLS handshake: a certificate that is not
    trusted, made for another name, expired, or no secure connection at all."""
    verification = _find_cause(exc, ssl.SSLCertVerificationError)
    if verification is None:
        message = N_(
            "A secure connection to the server {host} cannot be established. Check that "
            "the address is right (https:// or http://)."
        )
        return NetworkError(message, code="sync-tls", params=params, detail=detail)
    code_number = getattr(verification, "verify_code", None)
    if code_number in _CERT_EXPIRED:
        message = N_(
            "The certificate of the server {host} is not valid now: it has expired, or "
            "this computer's date and time are wrong."
        )
        code = "sync-tls-expired"
    elif code_number in _CERT_WRONG_NAME:
        message = N_(
            "The certificate of the server {host} was made for another name. Check the "
            "server address."
        )
        code = "sync-tls-name"
    else:
        message = N_(
            "The certificate of the server {host} is not trusted: no certificate "
            "authority known to this computer vouches for it. If your organization uses "
            "its own certificate authority, set its file in the sync settings."
        )
        code = "sync-tls-untrusted"
    return NetworkError(message, code=code, params=params,
                        detail=getattr(verification, "verify_message", None) or detail)


def _find_cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of ``kind`` in ``exc``'s chain (urllib3 nests the real one)."""
    stack: list[BaseException | None] = [exc]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, kind):
            return current
        stack.extend((current.__cause__, current.__context__, getattr(current, "reason", None)))
        stack.extend(a for a in current.args if isinstance(a, BaseException))
    return None


class OpenRosaClient:
    """Talks OpenRosa 1.0 to one server address (a Kobo server or a Central project).

    ``base_url`` is the address forms are listed and submitted under: ``formList`` and
    ``submission`` are appended to it. ``auth`` is a requests auth object (Digest or
    Basic) or None (a Central app-user token is part of ``base_url``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: requests.auth.AuthBase | None = None,
        options: ConnectionOptions | None = None,
        cancel: Callable[[], bool] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.options = options or ConnectionOptions()
        self._cancel = cancel or (lambda: False)
        self._sleep = sleep
        self.session = requests.Session()
        self.session.auth = auth
        self.session.verify = self.options.verify
        self.session.headers.update(
            {"X-OpenRosa-Version": OPENROSA_VERSION, "Accept-Encoding": "gzip, deflate"}
        )
        # What the environment says (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE) is read
        # once per host rather than on every request: requests re-reads the whole
        # environment each time, a tenth of the client's time in a long batch.
        self._environment: dict[str, dict] | None = None
        if self.options.proxy:
            self.session.proxies = {"http": self.options.proxy, "https": self.options.proxy}
            # An explicit proxy wins over the environment's.
            self.session.trust_env = False
        elif self.session.trust_env:
            self._environment = {}
            self.session.trust_env = False
        self._max_bytes: int | None = None
        #: Server failures in a row, over every request of this client (see
        #: ``ConnectionOptions.failing_after``); any other answer resets it.
        self.failures_in_a_row = 0

    # -- plumbing ----------------------------------------------------------------------
    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> OpenRosaClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def url(self, relative: str) -> str:
        return urljoin(self.base_url, relative)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc.rsplit("@", 1)[-1]

    def _environment_for(self, url: str) -> dict:
        """The proxies and CA bundle the environment gives for ``url``'s host."""
        key = urlsplit(url).netloc
        found = self._environment.get(key)
        if found is None:
            probe = requests.Session()
            try:
                merged = probe.merge_environment_settings(url, {}, None, self.options.verify,
                                                          None)
            finally:
                probe.close()
            found = {"proxies": merged["proxies"], "verify": merged["verify"]}
            self._environment[key] = found
        return found

    @contextmanager
    def _quiet_if_unverified(self) -> Iterator[None]:
        """Verification switched off on purpose: the sync report says so once, instead
        of urllib3 warning on every request."""
        if self.options.verify_tls:
            yield
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureRequestWarning)
            yield

    @property
    def server_failing(self) -> bool:
        """True once the server failed ``options.failing_after`` requests in a row."""
        limit = self.options.failing_after
        return limit > 0 and self.failures_in_a_row >= limit

    def _check_cancel(self) -> None:
        if self._cancel():
            raise CancelledError()

    def _wait(self, seconds: float) -> None:
        """Sleep in short slices so that cancel is honoured during a back-off."""
        deadline = time.monotonic() + seconds
        while True:
            self._check_cancel()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._sleep(min(left, 0.2))

    def request(self, method: str, url: str, *, retry: bool = True, **kwargs):
        """One HTTP request with retries and back-off; returns the final response.

        Connection failures, timeouts and 500/502/503/504 are tried again up to
        ``options.retries`` times, waiting ``options.waits()`` in between, unless the
        server is failing (:attr:`server_failing`): then the failure is returned or
        raised at once. Answers that retrying cannot change (401, 404...) are returned at
        once for the caller to judge. The response carries ``fieldsurvey_timeouts``: how
        many attempts timed out before it.
        """
        waits = self.options.waits() if retry else []
        attempts = 1 + len(waits)
        timeouts = 0
        make_kwargs = kwargs.pop("make_kwargs", None)
        for attempt in range(1, attempts + 1):
            self._check_cancel()
            call_kwargs = dict(kwargs)
            if make_kwargs is not None:
                # Multipart bodies are rebuilt for each attempt (files are read again).
                call_kwargs.update(make_kwargs())
            headers = dict(call_kwargs.pop("headers", None) or {})
            headers["Date"] = email.utils.formatdate(usegmt=True)
            if self._environment is not None:
                call_kwargs.update(self._environment_for(url))
            try:
                with self._quiet_if_unverified():
                    response = self.session.request(
                        method, url, headers=headers, timeout=self.options.timeout,
                        **call_kwargs
                    )
            except requests.exceptions.RequestException as exc:
                error = self._network_error(exc, url)
                if isinstance(exc, requests.exceptions.Timeout):
                    # The server took the request and did not answer: a server failure.
                    timeouts += 1
                    self.failures_in_a_row += 1
                else:  # not reached at all: another story than a failing server
                    self.failures_in_a_row = 0
                retryable = not isinstance(
                    exc, requests.exceptions.SSLError | requests.exceptions.InvalidURL
                )
                if attempt >= attempts or not retryable or self.server_failing:
                    error.timeouts = timeouts
                    raise error from None
                log.info("%s %s failed (%s); attempt %d of %d", method, redact_url(url),
                         error.english(), attempt, attempts)
                self._wait(waits[attempt - 1])
                continue
            if response.status_code not in RETRY_STATUSES:
                self.failures_in_a_row = 0
            else:
                self.failures_in_a_row += 1
                if attempt < attempts and not self.server_failing:
                    wait = self._retry_after(response, waits[attempt - 1])
                    log.info("%s %s answered %d; attempt %d of %d", method, redact_url(url),
                             response.status_code, attempt, attempts)
                    response.close()
                    self._wait(wait)
                    continue
            response.fieldsurvey_timeouts = timeouts
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry_after(self, response, delay: float) -> float:
        """The server's Retry-After when it gives seconds (capped), else the schedule's."""
        value = response.headers.get("Retry-After", "")
        if value.isdigit():
            return min(float(value), self.options.max_backoff)
        return delay

    def _network_error(self, exc: requests.exceptions.RequestException, url: str) -> NetworkError:
        host = urlsplit(url).netloc.rsplit("@", 1)[-1]
        params = {"host": host, "seconds": f"{self.options.timeout:g}"}
        detail = _TOKEN_IN_PATH.sub("/key/***", str(exc))
        if isinstance(exc, requests.exceptions.SSLError):
            return _tls_error(exc, params, detail)
        if isinstance(exc, requests.exceptions.ProxyError):
            message = N_("The proxy cannot be reached on the way to {host}. Check the proxy setting.")
            return NetworkError(message, code="sync-proxy", params=params, detail=detail)
        if isinstance(exc, requests.exceptions.Timeout):
            message = N_("The server {host} did not answer within {seconds} seconds.")
            return NetworkError(message, code="sync-timeout", params=params)
        if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
            message = N_("The server address {host} is not valid.")
            return NetworkError(message, code="sync-address", params=params, detail=detail)
        if _is_dns_failure(exc):
            message = N_(
                "The server name {host} cannot be found. Check the address and that this "
                "computer is connected to the network."
            )
            return NetworkError(message, code="sync-dns", params=params)
        message = N_(
            "The server {host} cannot be reached (no network, or the connection was refused)."
        )
        return NetworkError(message, code="sync-unreachable", params=params)

    def _answer_error(self, response, what: str) -> ServerAnswerError:
        """A clear error for an answer that is not what OpenRosa promises."""
        status = response.status_code
        text = response.text if response.content else ""
        params = {"host": self.host, "status": status, "what": what,
                  "url": redact_url(response.url or "")}
        server_message = openrosa_message(text) if text else None
        detail = server_message or None
        if status == 401:
            message = N_(
                "The server {host} refused the account: check the user name and password, "
                "or the app user token."
            )
            code = "sync-unauthorized"
        elif status == 403:
            message = N_("The account has no permission for {what} on {host}.")
            code = "sync-forbidden"
        elif status == 404:
            message = N_("The server {host} has no {what} at {url}. Check the server address.")
            code = "sync-not-found"
        elif status == 413:
            message = N_("The server {host} refused {what}: it is too large.")
            code = "sync-too-large"
        elif status >= 500:
            message = N_(
                "The server {host} failed ({status}) while answering {what}. Try again later."
            )
            code = "sync-server-failed"
        elif text and _looks_like_html(text):
            message = N_(
                "The server {host} answered {what} with a web page instead of OpenRosa data. "
                "A network login page may be in the way, or the address is wrong."
            )
            code = "sync-html"
            detail = None
        elif 300 <= status < 400:
            message = N_(
                "The server {host} redirected {what} elsewhere; check the address "
                "(https instead of http?)."
            )
            code = "sync-redirect"
        else:
            message = N_("The server {host} answered {what} with an unexpected status {status}.")
            code = "sync-unexpected"
        return ServerAnswerError(
            message, code=code, params=params, detail=detail, status_code=status,
            response_text=text[:2000],
        )

    def _get_xml(self, url: str, what: str) -> Element:
        response = self.request("GET", url)
        if response.status_code != 200:
            raise self._answer_error(response, what)
        content_type = response.headers.get("Content-Type", "").lower()
        if "html" in content_type or _looks_like_html(response.text):
            raise self._answer_error_html(response, what)
        root = _parse_xml(response.content)
        if root is None:
            raise ServerAnswerError(
                N_("The {what} sent by {host} is not valid XML."),
                code="sync-bad-xml",
                params={"what": what, "host": self.host},
                status_code=response.status_code,
                response_text=response.text[:2000],
            )
        return root

    def _answer_error_html(self, response, what: str) -> ServerAnswerError:
        return ServerAnswerError(
            N_(
                "The server {host} answered {what} with a web page instead of OpenRosa data. "
                "A network login page may be in the way, or the address is wrong."
            ),
            code="sync-html",
            params={"host": self.host, "what": what},
            status_code=response.status_code,
            response_text=response.text[:2000],
        )

    # -- forms -------------------------------------------------------------------------
    def form_list(self) -> list[FormListEntry]:
        """The server's ``formList``: the forms this account may fill."""
        what = N_("the form list")
        root = self._get_xml(self.url("formList"), what)
        if _local(root.tag) != "xforms":
            raise ServerAnswerError(
                N_("The form list sent by {host} is not an OpenRosa form list."),
                code="sync-bad-xml",
                params={"host": self.host},
            )
        entries = []
        for element in root:
            if _local(element.tag) != "xform":
                continue
            form_id = _child_text(element, "formID")
            download_url = _child_text(element, "downloadUrl")
            if not form_id or not download_url:
                log.warning("form list entry without formID or downloadUrl skipped")
                continue
            entries.append(
                FormListEntry(
                    form_id=form_id,
                    name=_child_text(element, "name") or form_id,
                    version=_child_text(element, "version"),
                    hash=_child_text(element, "hash"),
                    download_url=download_url,
                    manifest_url=_child_text(element, "manifestUrl"),
                )
            )
        return entries

    def manifest(self, url: str) -> list[MediaFile]:
        """The media files of one form, from its manifest."""
        root = self._get_xml(url, N_("the form's media list"))
        files = []
        for element in root:
            if _local(element.tag) != "mediaFile":
                continue
            filename = _child_text(element, "filename")
            download_url = _child_text(element, "downloadUrl")
            if not filename or not download_url:
                continue
            # The form names its media files as the server lists them: a name that could
            # choose where we write is refused, not rewritten (the form would not find it).
            check_name(filename, MEDIA_FILE, error=SyncError)
            files.append(MediaFile(filename, _child_text(element, "hash"), download_url))
        return files

    def download(self, url: str, dest: Path, what: str) -> Path:
        """Download one file to ``dest`` (written beside it first, then renamed)."""
        response = self.request("GET", url, stream=True)
        try:
            if response.status_code != 200:
                raise self._answer_error(response, what)
            dest.parent.mkdir(parents=True, exist_ok=True)
            partial = dest.with_name(dest.name + ".part")
            with open(partial, "wb") as fh:
                for chunk in response.iter_content(chunk_size=256 * 1024):
                    self._check_cancel()
                    fh.write(chunk)
            partial.replace(dest)
            return dest
        except requests.exceptions.RequestException as exc:
            raise self._network_error(exc, url) from None
        finally:
            response.close()

    # -- submission --------------------------------------------------------------------
    def submission_url(self) -> str:
        return self.url("submission")

    def submission_limit(self) -> int:
        """The HEAD handshake: the largest POST the server accepts (asked once)."""
        if self._max_bytes is None:
            response = self.request("HEAD", self.submission_url(), allow_redirects=False)
            if response.status_code not in (200, 204):
                raise self._answer_error(response, N_("the submission handshake"))
            value = response.headers.get("X-OpenRosa-Accept-Content-Length", "")
            self._max_bytes = int(value) if value.isdigit() and int(value) > 0 else (
                DEFAULT_MAX_BYTES
            )
        return self._max_bytes

    @staticmethod
    def split_parts(
        xml_size: int, attachments: Sequence[tuple[str, Path]], limit: int
    ) -> list[list[tuple[str, Path]]]:
        """Group attachments so that each POST (the XML plus its group) stays under ``limit``.

        A file larger than the limit on its own goes alone; the server decides.
        Always at least one group (possibly empty: the XML alone).
        """
        # The multipart framing adds a few hundred bytes per part.
        overhead = 512
        groups: list[list[tuple[str, Path]]] = []
        current: list[tuple[str, Path]] = []
        size = xml_size + overhead
        for name, path in attachments:
            file_size = Path(path).stat().st_size + overhead
            if current and size + file_size > limit:
                groups.append(current)
                current, size = [], xml_size + overhead
            current.append((name, path))
            size += file_size
        groups.append(current)
        return groups

    def submit(
        self,
        xml: bytes,
        attachments: Sequence[tuple[str, Path]] = (),
        *,
        skip_parts: frozenset[str] = frozenset(),
        on_part: Callable[[list[str]], None] | None = None,
    ) -> SubmissionResult:
        """Submit one interview (its XML and attachments), in as many POSTs as needed.

        ``skip_parts`` names attachments already acknowledged by an earlier, interrupted
        run; ``on_part`` is told the names of each acknowledged group. Raises
        NetworkError/ServerAnswerError when a POST is not acknowledged.
        """
        limit = self.submission_limit()
        todo = [(name, path) for name, path in attachments if name not in skip_parts]
        groups = self.split_parts(len(xml), todo, limit)
        first: SubmissionResult | None = None
        url = self.submission_url()
        sent: list[str] = []
        for index, group in enumerate(groups):
            last = index == len(groups) - 1
            response = self._post(url, xml, group, incomplete=not last)
            result = self._judge(response)
            if not (result.accepted or result.duplicate):
                raise self._answer_error(response, N_("the submission"))
            sent.extend(name for name, _path in group)
            if on_part is not None and group:
                on_part([name for name, _path in group])
            if first is None:
                first = result
        assert first is not None
        first.posts = len(groups)
        first.parts_sent = sent
        return first

    def _post(self, url: str, xml: bytes, group: list[tuple[str, Path]], *, incomplete: bool):
        def make_kwargs():
            files: list[tuple[str, tuple]] = [
                ("xml_submission_file", ("submission.xml", xml, "text/xml"))
            ]
            for name, path in group:
                files.append((name, (name, Path(path).read_bytes(), _mime_type(name))))
            data = {"*isIncomplete*": "yes"} if incomplete else None
            return {"files": files, "data": data}

        return self.request("POST", url, make_kwargs=make_kwargs, allow_redirects=False)

    @staticmethod
    def _judge(response) -> SubmissionResult:
        text = response.text if response.content else ""
        message = openrosa_message(text) if text else None
        status = response.status_code
        duplicate = status == 409 or (status == 202 and "duplicate" in (message or "").lower())
        accepted = status in (201, 202) and not duplicate
        return SubmissionResult(
            status_code=status,
            message=message or "",
            accepted=accepted,
            duplicate=duplicate,
            response_text=text[:2000],
            after_timeout=getattr(response, "fieldsurvey_timeouts", 0) > 0,
        )


_MIME_TYPES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".amr": "audio/amr", ".wav": "audio/wav",
    ".mp4": "video/mp4", ".3gp": "video/3gpp", ".csv": "text/csv", ".xml": "text/xml",
    ".csv.gz": "application/gzip", ".pdf": "application/pdf",
}


def _mime_type(name: str) -> str:
    lower = name.lower()
    for suffix, mime in _MIME_TYPES.items():
        if lower.endswith(suffix):
            return mime
    return "application/octet-stream"
