"""Test setup: headless Qt, a fresh data folder per test, no state shared between tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports Qt: no window system is needed for the tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
#: The shared reference material (conformance forms) that CI lays beside the checkout.
SHARED_DIR = Path(os.environ.get("FIELDSURVEY_SHARED_DIR", REPO_ROOT.parent / "shared"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own data folder and starts in English."""
    data = tmp_path / "fieldsurvey-data"
    monkeypatch.setenv("FIELDSURVEY_DATA_DIR", str(data))
    monkeypatch.setenv("LANGUAGE", "en")
    from fieldsurvey.i18n import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def data_dir(tmp_path):
    """The test's data folder, created."""
    from fieldsurvey.paths import DataDir

    return DataDir.resolve(os.environ["FIELDSURVEY_DATA_DIR"])


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need it skip cleanly without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip("the shared reference folder is not beside this checkout")
    return SHARED_DIR


@pytest.fixture
def bundled_forms() -> Path:
    return REPO_ROOT / "forms"


@pytest.fixture
def tiny_disk(tmp_path):
    """A 6 MB tmpfs to fill up (needs the right to mount; skipped otherwise)."""
    import shutil
    import subprocess

    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small filesystem needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)],
                          capture_output=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


@pytest.fixture
def fill_disk():
    """``fill_disk(folder)`` writes a file in ``folder`` until its disk is full; returns it
    (delete it to free the space again)."""

    def fill(folder: Path) -> Path:
        filler = folder / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 65536)
        except OSError:  # ENOSPC: the disk is full
            pass
        finally:
            os.close(fd)
        return filler

    return fill
