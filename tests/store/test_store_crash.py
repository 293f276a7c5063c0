"""A process saving answers is killed (SIGKILL) at random moments, 50 times: the database
stays sound and holds every answer whose save had returned."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from fieldsurvey.paths import DataDir
from fieldsurvey.store import AuditEvent, open_store

from .conftest import instance

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX"),
]

KILLS = 50


def _save_until_killed(root: str, start: int, conn) -> None:
    """Child: save answers forever, acknowledging each one after save_answer returned."""
    store = open_store(DataDir(Path(root)), backup_on_start=False)
    n = start
    while True:
        store.save_answer(
            "uuid:crash",
            instance("uuid:crash", name=f"answer {n}", age=str(n)),
            event=AuditEvent.answer("/household/age", str(n - 1), str(n)),
        )
        conn.send(n)
        n += 1


def test_killed_while_saving_loses_no_acknowledged_answer(data_dir, xform_path):
    with open_store(data_dir) as store:
        store.install_form(xform_path)
        store.create_interview("household", "1", instance("uuid:crash"))
    # Fork, so the child starts with everything imported (the test stays fast).
    context = multiprocessing.get_context("fork")
    rng = random.Random(20240501)
    acknowledged: list[int] = []
    for _ in range(KILLS):
        receiver, sender = context.Pipe(duplex=False)
        start = (acknowledged[-1] + 1) if acknowledged else 1
        child = context.Process(target=_save_until_killed, args=(str(data_dir.root), start, sender))
        child.start()
        sender.close()
        deadline = time.monotonic() + rng.uniform(0.05, 0.3)
        while time.monotonic() < deadline or child_not_started(acknowledged, start):
            if receiver.poll(0.01):
                acknowledged.append(receiver.recv())
            if time.monotonic() > deadline + 5:
                break
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        while receiver.poll():  # acknowledgements written just before the kill
            try:
                acknowledged.append(receiver.recv())
            except EOFError:
                break
        receiver.close()

        with open_store(data_dir, backup_on_start=False) as store:
            assert store.check().ok
            record = store.get_interview("uuid:crash")
            last = acknowledged[-1]
            # The stored answer is the last acknowledged one, or the one being saved.
            assert f"<age>{last}</age>" in record.xml or f"<age>{last + 1}</age>" in record.xml
            saved = {int(e.new_value) for e in store.audit_events("uuid:crash") if e.node}
            assert set(acknowledged) <= saved
    assert len(acknowledged) > KILLS


def child_not_started(acknowledged: list[int], start: int) -> bool:
    """True until the child has acknowledged one save, so every round kills mid-saving."""
    return not acknowledged or acknowledged[-1] < start
