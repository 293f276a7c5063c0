"""A local OpenRosa 1.0 server for the sync tests and the sync benchmark.

It follows the protocol as ODK Central and KoboToolbox do: the HEAD/POST ``submission``
handshake (204 with ``X-OpenRosa-Accept-Content-Length``), an RFC 7616 MD5 Digest challenge
(or Basic, or a Central-style app-user token in the path), 201 with an OpenRosa response
body, 409 (Central) or 202 "Duplicate submission" (Kobo) on a repeated instanceID,
``formList`` and ``manifest`` documents, form and media download. It can be told to fail in
each way the sync must survive (:meth:`OpenRosaTestServer.fail`).

It listens on 127.0.0.1 only, on a free port, and stops by itself after ``lifetime``
seconds even if a test forgets to stop it.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import re
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

REALM = "OpenRosa test server"
FORMLIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"

#: Faults the server can be told to produce.
FAULTS = frozenset(
    {"401", "403", "404", "413", "500", "503", "html", "timeout", "bad_formlist", "bad_form"}
)


@dataclass
class Submission:
    instance_id: str
    xml: bytes
    form_id: str | None
    deprecated_id: str | None
    attachments: dict[str, bytes] = field(default_factory=dict)
    complete: bool = False


@dataclass
class Fault:
    mode: str
    target: str  # "submission", "formList", "form", "manifest", "media" or "any"
    times: int | None  # None: for ever
    skip: int  # let this many matching requests through first
    delay: float


@dataclass
class _Form:
    form_id: str
    version: str | None
    name: str
    xml: bytes
    media: dict[str, bytes]


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _response_body(message: str) -> bytes:
    return (
        f'<OpenRosaResponse xmlns="{RESPONSE_NS}"><message nature="">{escape(message)}'
        "</message></OpenRosaResponse>"
    ).encode()


def _instance_ids(xml: bytes) -> tuple[str | None, str | None, str | None]:
    """(instanceID, deprecatedID, form id) of a submitted instance."""
    root = ET.fromstring(xml)
    instance_id = deprecated_id = None
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "instanceID":
            instance_id = (element.text or "").strip()
        elif tag == "deprecatedID":
            deprecated_id = (element.text or "").strip()
    return instance_id, deprecated_id, root.get("id")


class OpenRosaTestServer:
    """An OpenRosa server on 127.0.0.1 in a background thread.

    ``auth``: "digest", "basic" or None; ``token``: serve under
    ``/v1/key/<token>/projects/1/`` like Central (then no other auth is asked);
    ``prefix``: serve under this path without a token (a Central project for a web user,
    ``/v1/projects/1``, with Basic auth); ``duplicates``: "409" (Central) or "202" (Kobo);
    ``tls``: an ``ssl.SSLContext`` (server side) to serve https.
    """

    def __init__(
        self,
        *,
        users: dict[str, str] | None = None,
        auth: str | None = "digest",
        token: str | None = None,
        duplicates: str = "409",
        max_bytes: int = 10_000_000,
        lifetime: float = 120.0,
        prefix: str = "",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.users = dict(users if users is not None else {"enumerator01": "s3cret"})
        self.auth = auth
        self.token = token
        self.duplicates = duplicates
        self.max_bytes = max_bytes
        self.lifetime = lifetime
        self.path_prefix = prefix.rstrip("/")
        self.tls = tls
        self.forms: dict[str, _Form] = {}
        self.submissions: dict[str, Submission] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.posts = 0
        self.faults: list[Fault] = []
        self._nonces: set[str] = set()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    # -- life --------------------------------------------------------------------------
    def start(self) -> OpenRosaTestServer:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        if self.tls is not None:
            # The handshake happens in accept(); a client refusing the certificate only
            # ends its own connection (an OSError the server loop ignores).
            self._httpd.socket = self.tls.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenRosaTestServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def root_url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def prefix(self) -> str:
        return f"/v1/key/{self.token}/projects/1" if self.token else self.path_prefix

    @property
    def url(self) -> str:
        """The OpenRosa address a client is configured with."""
        return self.root_url + self.prefix

    # -- content -----------------------------------------------------------------------
    def add_form(self, form_id: str, xml: str | bytes, *, version: str | None = None,
                 name: str | None = None, media: dict[str, bytes] | None = None) -> None:
        data = xml.encode() if isinstance(xml, str) else xml
        self.forms[form_id] = _Form(form_id, version, name or form_id, data, dict(media or {}))

    def fail(self, mode: str, *, on: str = "submission", times: int | None = 1, skip: int = 0,
             delay: float = 1.0) -> None:
        """Make the next ``times`` requests to ``on`` (after ``skip`` good ones) fail."""
        assert mode in FAULTS, mode
        with self._lock:
            self.faults.append(Fault(mode, on, times, skip, delay))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def _take_fault(self, target: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.target not in (target, "any"):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    # -- digest ------------------------------------------------------------------------
    def new_nonce(self) -> str:
        nonce = secrets.token_hex(16)
        with self._lock:
            self._nonces.add(nonce)
        return nonce

    def check_auth(self, method: str, header: str | None) -> bool:
        if self.auth is None:
            return True
        if not header:
            return False
        scheme, _, rest = header.partition(" ")
        if self.auth == "basic" and scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(rest).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return False
            return self.users.get(user) == password
        if self.auth == "digest" and scheme.lower() == "digest":
            fields = dict(re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', rest) and [
                (k, a or b) for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]+))', rest)
            ])
            user = fields.get("username", "")
            if user not in self.users or fields.get("realm") != REALM:
                return False
            if fields.get("nonce") not in self._nonces:
                return False
            ha1 = _md5(f"{user}:{REALM}:{self.users[user]}")
            ha2 = _md5(f"{method}:{fields.get('uri', '')}")
            if fields.get("qop") == "auth":
                expected = _md5(
                    f"{ha1}:{fields['nonce']}:{fields.get('nc', '')}:"
                    f"{fields.get('cnonce', '')}:auth:{ha2}"
                )
            else:
                expected = _md5(f"{ha1}:{fields['nonce']}:{ha2}")
            return secrets.compare_digest(expected, fields.get("response", ""))
        return False

    # -- submissions -------------------------------------------------------------------
    def receive(self, xml: bytes, attachments: dict[str, bytes], incomplete: bool
                ) -> tuple[int, str]:
        instance_id, deprecated_id, form_id = _instance_ids(xml)
        if not instance_id:
            return 400, "The submission has no instanceID."
        with self._lock:
            self.posts += 1
            existing = self.submissions.get(instance_id)
            if existing is None:
                self.submissions[instance_id] = Submission(
                    instance_id, xml, form_id, deprecated_id, dict(attachments), not incomplete
                )
                return 201, "Form received successfully."
            if existing.xml == xml and (attachments or not existing.complete):
                # The same instance again with more files: the next part of a split POST.
                existing.attachments.update(attachments)
                existing.complete = existing.complete or not incomplete
                return 201, "Attachments received."
            if self.duplicates == "202":
                return 202, "Duplicate submission"
            return 409, "A submission already exists with this ID."


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_state: OpenRosaTestServer

    def log_message(self, format, *args):  # noqa: A002 - quiet test output
        return None

    # -- responses ---------------------------------------------------------------------
    def _send(self, status: int, body: bytes = b"", content_type: str = "text/xml",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("X-OpenRosa-Version", "1.0")
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        # Headers and body leave in one write: two small writes would meet the client's
        # delayed ACK (Nagle) and cost 40 ms per request.
        self._headers_buffer.append(b"\r\n")
        if body and self.command != "HEAD":
            self._headers_buffer.append(body)
        try:
            self.flush_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout fault)

    def _challenge(self) -> None:
        state = self.server_state
        if state.auth == "basic":
            header = f'Basic realm="{REALM}"'
        else:
            header = (
                f'Digest realm="{REALM}", qop="auth", nonce="{state.new_nonce()}", '
                f'opaque="{secrets.token_hex(8)}", algorithm=MD5'
            )
        self._send(401, _response_body("Authentication required."),
                   headers={"WWW-Authenticate": header})

    def _fault_response(self, fault: Fault) -> bool:
        """Answer with the fault; False when the fault lets the request go on (timeout)."""
        if fault.mode == "timeout":
            return False
        if fault.mode in ("html",):
            page = b"<!DOCTYPE html><html><body><h1>Sign in to the Wi-Fi</h1></body></html>"
            self._send(200, page, content_type="text/html")
            return True
        if fault.mode in ("bad_formlist", "bad_form"):
            self._send(200, b"<xforms><xform><formID>broken</formID>")
            return True
        status = int(fault.mode)
        headers = {"Retry-After": "0"} if status == 503 else None
        self._send(status, _response_body(f"Failure {status} as asked."), headers=headers)
        return True

    def _route(self) -> tuple[str, str] | None:
        """(target, rest of the path) below the server's prefix, or None."""
        state = self.server_state
        path = self.path.split("?", 1)[0]
        if state.prefix:
            if not path.startswith(state.prefix + "/"):
                return None
            path = path[len(state.prefix):]
        if path == "/formList":
            return "formList", ""
        if path == "/submission":
            return "submission", ""
        match = re.fullmatch(r"/forms/([^/]+)/(form\.xml|manifest|media/[^/]+)", path)
        if match:
            form_id, what = match.groups()
            if what == "form.xml":
                return "form", form_id
            if what == "manifest":
                return "manifest", form_id
            return "media", f"{form_id}/{unquote(what.split('/', 1)[1])}"
        return None

    def _handle(self) -> None:
        state = self.server_state
        state.requests.append((self.command, self.path, dict(self.headers)))
        body = b""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length)
        route = self._route()
        if route is None:
            self._send(404, _response_body("Not found."))
            return
        target, arg = route
        if not state.token and not state.check_auth(self.command, self.headers.get("Authorization")):
            self._challenge()
            return
        # Submission faults hit the POSTs; the HEAD handshake is left alone.
        fault = None if self.command == "HEAD" else state._take_fault(target)
        delay = 0.0
        if fault is not None:
            if self._fault_response(fault):
                return
            delay = fault.delay
        if target == "formList":
            self._send(200, self._form_list())
        elif target == "form":
            form = state.forms.get(arg)
            self._send(200, form.xml) if form else self._send(404, _response_body("No form."))
        elif target == "manifest":
            self._send(200, self._manifest(arg))
        elif target == "media":
            form_id, name = arg.split("/", 1)
            form = state.forms.get(form_id)
            data = form.media.get(name) if form else None
            if data is None:
                self._send(404, _response_body("No such file."))
            else:
                self._send(200, data, content_type="application/octet-stream")
        else:
            self._submission(body, delay)

    def _submission(self, body: bytes, delay: float) -> None:
        state = self.server_state
        limit = {"X-OpenRosa-Accept-Content-Length": str(state.max_bytes)}
        if self.command == "HEAD" or (self.command == "POST" and not body):
            self._send(204, headers=limit)
            return
        if self.command != "POST":
            self._send(405, _response_body("Use POST."))
            return
        if len(body) > state.max_bytes:
            self._send(413, _response_body("Too large."))
            return
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode() + body
        )
        xml = None
        attachments: dict[str, bytes] = {}
        incomplete = False
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if name == "xml_submission_file":
                xml = payload
            elif name == "*isIncomplete*":
                incomplete = payload.strip() == b"yes"
            elif name:
                attachments[part.get_filename() or name] = payload
        if xml is None:
            self._send(400, _response_body("No xml_submission_file."))
            return
        status, text = state.receive(xml, attachments, incomplete)
        if delay:
            # Received and stored, but the answer comes too late: the client times out.
            time.sleep(delay)
        self._send(status, _response_body(text), headers=limit)

    def _form_list(self) -> bytes:
        state = self.server_state
        items = []
        for form in state.forms.values():
            base = f"{state.url}/forms/{form.form_id}"
            version = f"<version>{escape(form.version)}</version>" if form.version else ""
            manifest = f"<manifestUrl>{base}/manifest</manifestUrl>" if form.media else ""
            items.append(
                f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(form.name)}</name>"
                f"{version}<hash>md5:{hashlib.md5(form.xml).hexdigest()}</hash>"
                f"<downloadUrl>{base}/form.xml</downloadUrl>{manifest}</xform>"
            )
        return f'<xforms xmlns="{FORMLIST_NS}">{"".join(items)}</xforms>'.encode()

    def _manifest(self, form_id: str) -> bytes:
        state = self.server_state
        form = state.forms.get(form_id)
        files = []
        for name, data in (form.media if form else {}).items():
            files.append(
                f"<mediaFile><filename>{escape(name)}</filename>"
                f"<hash>md5:{hashlib.md5(data).hexdigest()}</hash>"
                f"<downloadUrl>{state.url}/forms/{form_id}/media/{quote(name, safe='')}</downloadUrl>"
                "</mediaFile>"
            )
        return f'<manifest xmlns="{MANIFEST_NS}">{"".join(files)}</manifest>'.encode()

    do_GET = do_POST = do_HEAD = _handle
