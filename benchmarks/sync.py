"""Sync benchmark: push 2,000 finalized interviews to the local OpenRosa test server.

Beside it, the same submission bodies are posted with a bare ``requests`` Session (the
same Digest authentication, no store, no bookkeeping) to a second, empty server: the
floor the sync is measured against. Target: the sync within 1.5x of that floor.

Prints ``figure: value unit (target: ...) ok|MISS`` lines; always exits 0.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
from requests.auth import HTTPDigestAuth

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fieldsurvey.paths import DataDir  # noqa: E402
from fieldsurvey.store import InterviewStatus, open_store  # noqa: E402
from fieldsurvey.sync.openrosa import ConnectionOptions  # noqa: E402
from fieldsurvey.sync.profiles import ServerProfile  # noqa: E402
from fieldsurvey.sync.service import sync  # noqa: E402

INTERVIEWS = int(os.environ.get("FIELDSURVEY_BENCH_INTERVIEWS", "2000"))
TARGET_RATIO = 1.5
FORM_ID = "bench"


def _load_server_module():
    path = ROOT / "tests" / "sync" / "openrosa_server.py"
    spec = importlib.util.spec_from_file_location("fieldsurvey_bench_openrosa_server", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


XFORM = (
    '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
    f"<h:head><h:title>Bench</h:title><model><instance>"
    f'<data id="{FORM_ID}" version="1"><name/><age/><meta><instanceID/></meta></data>'
    '</instance><bind nodeset="/data/name" type="string"/>'
    '<bind nodeset="/data/age" type="int"/></model></h:head>'
    '<h:body><input ref="/data/name"><label>Name</label></input>'
    '<input ref="/data/age"><label>Age</label></input></h:body></h:html>'
)


def instance(index: int) -> str:
    return (
        f'<data id="{FORM_ID}" version="1"><name>Organization {index}</name>'
        f"<age>{index % 90}</age><meta><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        "</meta></data>"
    )


def fill_store(store, tmp: Path) -> list[str]:
    form_path = tmp / "bench.xml"
    form_path.write_text(XFORM, encoding="utf-8")
    store.install_form(form_path)
    bodies = []
    with store.transaction() as session:
        for index in range(INTERVIEWS):
            xml = instance(index)
            store.import_revision(session, xml, status=InterviewStatus.FINALIZED,
                                  form_id=FORM_ID, form_version="1")
            bodies.append(xml)
    return bodies


def raw_post(server_url: str, bodies: list[str]) -> float:
    session = requests.Session()
    session.auth = HTTPDigestAuth("enumerator01", "s3cret")
    session.headers["X-OpenRosa-Version"] = "1.0"
    url = server_url + "/submission"
    started = time.perf_counter()
    session.head(url, timeout=30)
    for xml in bodies:
        files = {"xml_submission_file": ("submission.xml", xml.encode(), "text/xml")}
        response = session.post(url, files=files, timeout=30)
        assert response.status_code == 201, response.status_code
    elapsed = time.perf_counter() - started
    session.close()
    return elapsed


def _load_average() -> str:
    """The machine's load: the ratio means little on a machine busy with other work."""
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except (AttributeError, OSError):  # not on Windows
        return "unknown"


def figure(name: str, value: float, unit: str, target: str, ok: bool) -> None:
    shown = f"{value:d}" if isinstance(value, int) else f"{value:.3g}"
    print(f"{name}: {shown} {unit} (target: {target}) {'ok' if ok else 'MISS'}")


def main() -> int:
    server_module = _load_server_module()
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-bench-") as tmp:
        tmp_path = Path(tmp)
        data_dir = DataDir.resolve(tmp_path / "data")
        store = open_store(data_dir, backup_on_start=False)
        try:
            bodies = fill_store(store, tmp_path)
            with server_module.OpenRosaTestServer(lifetime=600) as raw_server:
                raw_before = raw_post(raw_server.url, bodies)
            with server_module.OpenRosaTestServer(lifetime=600) as server:
                profile = ServerProfile("bench", "kobo", server.url, user="enumerator01", auth="digest")
                started = time.perf_counter()
                report = sync(store, profile, secret="s3cret", data_dir=data_dir,
                              options=ConnectionOptions(timeout=30, retries=1, backoff=0.1))
                sync_seconds = time.perf_counter() - started
                received = len(server.submissions)
            marked = store.counts_by_status().get("sent", 0)
            # The raw posting again, after: the machine's load drifts, the mean is fairer.
            with server_module.OpenRosaTestServer(lifetime=600) as raw_server:
                raw_after = raw_post(raw_server.url, bodies)
            raw_seconds = (raw_before + raw_after) / 2
        finally:
            store.close()
    sent_ok = report.sent == INTERVIEWS and received == INTERVIEWS and marked == INTERVIEWS
    figure("sync interviews sent", report.sent, "interviews",
           f"{INTERVIEWS} on the server and marked sent", sent_ok)
    figure("sync push throughput", INTERVIEWS / sync_seconds, "interviews/s",
           "reported", True)
    figure("raw requests posting throughput", INTERVIEWS / raw_seconds, "interviews/s",
           "reference", True)
    print(f"# raw posting before the sync {raw_before:.2f} s, after {raw_after:.2f} s; "
          f"sync {sync_seconds:.2f} s; load average {_load_average()}")
    ratio = sync_seconds / raw_seconds
    figure("sync time / raw posting time", ratio, "x", f"<= {TARGET_RATIO}",
           ratio <= TARGET_RATIO)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
