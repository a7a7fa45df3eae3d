"""Dataset loader: name resolution, corpus paths, and errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.datasets import DatasetError, available_datasets, load_dataset, resolve_corpus
from vanban.paths import SAMPLES_DIR, shared_dir

GOOD = {
    "id": "q1",
    "question": "Ai ký Kế hoạch 370/KH-UBND?",
    "gold": [{"source": "004_393fa8954b947a4a.txt", "section": None}],
    "answer": {"any": ["Trần Ngọc Tam"]},
    "kind": "person",
    "tags": ["seed-004"],
    "split": "dev",
}


def make(tmp_path: Path, *records, corpus=str(SAMPLES_DIR), raw: str | None = None) -> Path:
    (tmp_path / "dataset.json").write_text(
        json.dumps({"name": "t", "corpus": corpus, "thresholds": {"bm25": {"recall@5_doc": 0.5}}}),
        encoding="utf-8",
    )
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (tmp_path / "questions.jsonl").write_text(
        raw if raw is not None else "\n".join(lines) + "\n", encoding="utf-8"
    )
    return tmp_path


def test_sample_by_name_and_by_path():
    assert "sample" in available_datasets()
    by_name = load_dataset("sample")
    assert by_name.corpus == SAMPLES_DIR.resolve()
    assert load_dataset(by_name.root).questions == by_name.questions
    assert by_name.thresholds["hybrid"]["recall@5_section"] > 0
    assert len(by_name.split("dev")) + len(by_name.split("test")) == len(by_name.questions)


def test_unknown_name_lists_known_datasets():
    with pytest.raises(DatasetError, match=r"unknown dataset 'nope'.*known: .*sample"):
        load_dataset("nope")


def test_minimal_dataset_loads(tmp_path):
    ds = load_dataset(make(tmp_path, GOOD, {**GOOD, "id": "q2", "split": "test"}))
    assert [q.id for q in ds.questions] == ["q1", "q2"]
    assert ds.source_path(ds.questions[0].gold[0]).is_file()
    assert ds.thresholds == {"bm25": {"recall@5_doc": 0.5}}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({**GOOD, "kind": "agencyy"}, r"questions.jsonl:2: q1: kind 'agencyy' is not one of"),
        ({**GOOD, "split": "train"}, r":2: q1: split 'train'"),
        ({**GOOD, "answer": {"any": []}}, r":2: q1: answer \"any\" must be .* non-empty list"),
        ({**GOOD, "answer": {"maybe": ["x"]}}, r":2: q1: answer \"maybe\""),
        ({**GOOD, "answer": {"abstain": True}}, r':2: q1: kind "none" and answer'),
        ({**GOOD, "kind": "none", "answer": {"abstain": True}}, r":2: q1: gold must be empty"),
        (
            {**GOOD, "gold": [{"source": "nope.txt", "section": None}]},
            r":2: gold source 'nope.txt'",
        ),
        ({**GOOD, "gold": [{"source": "x"}]}, r":2: q1: gold items are"),
        ({**GOOD, "extra": 1}, r":2: missing keys \[\], unknown keys \['extra'\]"),
        ({**GOOD, "id": "q0"}, r":2: duplicate id 'q0'"),
    ],
)
def test_bad_question_names_file_and_line(tmp_path, record, message):
    """Line 1 is a valid question "q0"; line 2 carries the fault."""
    with pytest.raises(DatasetError, match=message):
        load_dataset(make(tmp_path, {**GOOD, "id": "q0"}, record))


def test_broken_json_line(tmp_path):
    raw = json.dumps(GOOD, ensure_ascii=False) + "\n\n{not json\n"
    with pytest.raises(DatasetError, match=r"questions.jsonl:3: Expecting property name"):
        load_dataset(make(tmp_path, raw=raw))


def test_missing_corpus_and_questions(tmp_path):
    with pytest.raises(DatasetError, match=r"corpus folder .*does-not-exist does not exist"):
        load_dataset(make(tmp_path, GOOD, corpus="does-not-exist"))
    make(tmp_path, GOOD)
    (tmp_path / "questions.jsonl").unlink()
    with pytest.raises(DatasetError, match=r"questions.jsonl: missing"):
        load_dataset(tmp_path)


def test_corpus_paths(tmp_path, monkeypatch):
    assert resolve_corpus("../c", tmp_path / "ds") == (tmp_path / "c").resolve()
    assert resolve_corpus(str(tmp_path), Path("/elsewhere")) == tmp_path.resolve()
    monkeypatch.setenv("VANBAN_SHARED", str(tmp_path))
    assert resolve_corpus("${SHARED}/corpus/vn-admin", Path("/x")) == tmp_path / "corpus/vn-admin"
    monkeypatch.setenv("VANBAN_SHARED", str(tmp_path / "absent"))
    with pytest.raises(DatasetError, match="VANBAN_SHARED"):
        resolve_corpus("${SHARED}/corpus", tmp_path)


def test_real_shared_corpus_resolves():
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared is absent; set VANBAN_SHARED to run this test")
    assert resolve_corpus("${SHARED}/corpus/seeds", Path("/x")).is_dir()
