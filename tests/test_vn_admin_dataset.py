"""The vn-admin dataset: schema, coverage, and every gold quote checked against the real archive.

The corpus is the shared `corpus/vn-admin/docs` folder (1,154 documents), read in
place; without ../shared the whole module skips. Quotes are checked on the
canonical() text with every whitespace run collapsed to one space, because the
archive is hard-wrapped (headings and table cells are cut across lines).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from eval.datasets import KINDS, SPLITS, Dataset, load_dataset
from ingest.text import canonical
from vanban.paths import shared_dir

# Tags that mark a class of question the dataset promises to cover, with a minimum count.
REQUIRED_TAGS = {
    "appendix-table": 10,
    "no-diacritics": 5,
    "abbreviation": 5,
    "paraphrase": 5,
    "ocr": 5,
    "multi-doc": 2,
    "unanswerable": 8,
}


@pytest.fixture(scope="module")
def ds() -> Dataset:
    if shared_dir() is None:
        pytest.skip("../shared is absent (vn-admin corpus); set VANBAN_SHARED to run these tests")
    return load_dataset("vn-admin")


@cache
def joined(path: str) -> str:
    """canonical() text, casefolded, with hard wraps joined: every whitespace run is one space."""
    with open(path, encoding="utf-8") as fh:
        return re.sub(r"\s+", " ", canonical(fh.read())).casefold()


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", canonical(text)).strip().casefold()


def test_resolves_by_name_to_the_shared_corpus(ds):
    assert ds.name == "vn-admin"
    assert ds.corpus == (shared_dir() / "corpus/vn-admin/docs").resolve()
    # The whole archive is the corpus: the other documents are the distractors.
    assert sum(1 for _ in ds.corpus.glob("*.txt")) > 1000
    assert ds.thresholds["hybrid"]["recall@5_doc"] > 0


def test_size_documents_and_abstentions(ds):
    assert len(ds.questions) >= 70
    assert len({g.source for q in ds.questions for g in q.gold}) >= 35
    assert sum(q.answer.abstain for q in ds.questions) >= 8


@pytest.mark.parametrize("split", SPLITS)
def test_every_kind_in_each_split(ds, split):
    assert {q.kind for q in ds.split(split)} == set(KINDS)


def test_required_tags_are_covered(ds):
    tags = Counter(t for q in ds.questions for t in q.tags)
    short = {t: (tags[t], n) for t, n in REQUIRED_TAGS.items() if tags[t] < n}
    assert short == {}


def test_tags_agree_with_gold(ds):
    for q in ds.questions:
        assert ("multi-doc" in q.tags) == (len({g.source for g in q.gold}) > 1), q.id
        assert ("unanswerable" in q.tags) == q.answer.abstain, q.id


def test_gold_sources_exist(ds):
    missing = [
        (q.id, g.source) for q in ds.questions for g in q.gold if not ds.source_path(g).is_file()
    ]
    assert missing == []


def test_gold_sections_are_in_their_source(ds):
    missing = [
        (q.id, g.section)
        for q in ds.questions
        for g in q.gold
        if g.section is not None and norm(g.section) not in joined(str(ds.source_path(g)))
    ]
    assert missing == []


def test_answers_are_quoted_from_a_gold_source(ds):
    """The first `any` alternative, and one alternative of every `all` item, occur in a gold text."""
    missing = []
    for q in ds.questions:
        texts = [joined(str(ds.source_path(g))) for g in q.gold]
        wanted = [(q.answer.any[0],)] if q.answer.any else list(q.answer.all)
        for alts in wanted:
            if not any(norm(a) in t for a in alts for t in texts):
                missing.append((q.id, alts))
    assert missing == []


def test_questions_without_diacritics_are_ascii(ds):
    """A `no-diacritics` question must really be typed without Vietnamese marks."""
    marked = [q.id for q in ds.questions if "no-diacritics" in q.tags and not q.question.isascii()]
    assert marked == []
