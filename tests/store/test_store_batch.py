"""``Store.batch``: many writes in one commit, all kept or none, a refused write alone
undone, and no backup of half a batch."""

from __future__ import annotations

import pytest

from fieldsurvey.errors import StoreError
from fieldsurvey.paths import DataDir

from .conftest import instance


def _ids_seen_elsewhere(data_dir: DataDir) -> list[str]:
    """What another program opening the folder would find (committed data only)."""
    import sqlite3

    conn = sqlite3.connect(data_dir.database)
    try:
        return [row[0] for row in conn.execute("SELECT instance_id FROM interviews ORDER BY 1")]
    finally:
        conn.close()


def test_a_batch_is_committed_as_a_whole_at_its_end(store):
    with store.batch():
        for n in range(3):
            store.create_interview("household", "1", instance(f"uuid:{n}"))
            store.finalize(f"uuid:{n}", instance(f"uuid:{n}", name=f"org {n}"))
        record = store.reopen("uuid:1")
        store.save_answer(record.instance_id, record.xml.replace("<age></age>", "<age>4</age>"))
        assert _ids_seen_elsewhere(store.data_dir) == []
        assert store.get_interview(record.instance_id).revision == 2
    assert len(_ids_seen_elsewhere(store.data_dir)) == 3
    assert store.list_backups() == []  # finalizing inside a batch backs nothing up


def test_a_refused_write_is_undone_alone_and_an_error_undoes_the_batch(store):
    with store.batch():
        store.create_interview("household", "1", instance("uuid:kept"))
        with pytest.raises(StoreError):
            store.create_interview("household", "1", instance("uuid:kept"))
        with pytest.raises(StoreError):
            store.finalize("uuid:missing", instance("uuid:missing"))
    assert _ids_seen_elsewhere(store.data_dir) == ["uuid:kept"]
    with pytest.raises(RuntimeError), store.batch():
        store.create_interview("household", "1", instance("uuid:lost"))
        raise RuntimeError("stopped half-way")
    assert _ids_seen_elsewhere(store.data_dir) == ["uuid:kept"]
    store.create_interview("household", "1", instance("uuid:after"))
    assert _ids_seen_elsewhere(store.data_dir) == ["uuid:after", "uuid:kept"]
