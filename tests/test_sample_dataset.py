"""The bundled sample dataset: schema, coverage, and every gold quote checked against the seeds."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from eval.datasets import KINDS, SPLITS, load_dataset
from eval.metrics import normalise_answer
from ingest.text import canonical

DS = load_dataset("sample")
SEEDS = [f"seed-{i:03d}" for i in range(5)]


@cache
def joined(source: str) -> str:
    """canonical() text with hard wraps joined: every whitespace run becomes one space."""
    return re.sub(r"\s+", " ", canonical(DS.corpus.joinpath(source).read_text(encoding="utf-8")))


@cache
def answer_text(source: str) -> str:
    return f" {normalise_answer(DS.corpus.joinpath(source).read_text(encoding='utf-8'))} "


def test_corpus_is_the_five_seeds():
    assert sorted(p.name[:4] for p in DS.corpus.glob("*.txt")) == [f"00{i}_" for i in range(5)]


def test_size_and_abstentions():
    assert len(DS.questions) >= 80
    assert sum(q.answer.abstain for q in DS.questions) >= 10


@pytest.mark.parametrize("split", SPLITS)
def test_every_kind_and_seed_in_each_split(split):
    questions = DS.split(split)
    assert {q.kind for q in questions} == set(KINDS)
    tags = Counter(t for q in questions for t in q.tags)
    assert all(tags[s] >= 3 for s in SEEDS), tags
    for tag in ("no-diacritics", "abbreviation", "paraphrase", "heading-answer", "multi-doc"):
        assert tags[tag] >= 2, tag


def test_seed_tags_match_gold_sources():
    for q in DS.questions:
        seeds = {f"seed-{g.source[:3]}" for g in q.gold}
        assert seeds <= set(q.tags), q.id
        assert ("multi-doc" in q.tags) == (len({g.source for g in q.gold}) > 1), q.id


def test_gold_sections_are_headings_of_their_source():
    missing = [
        (q.id, g.section)
        for q in DS.questions
        for g in q.gold
        if g.section is not None and canonical(g.section) not in joined(g.source)
    ]
    assert missing == []


def test_answers_are_quoted_from_a_gold_source():
    """The first `any` alternative, and one alternative of every `all` item, occur in a gold text."""
    missing = []
    for q in DS.questions:
        texts = [answer_text(g.source) for g in q.gold]
        wanted = [q.answer.any[0]] if q.answer.any else [alts for alts in q.answer.all]
        for item in wanted:
            alts = (item,) if isinstance(item, str) else item
            if not any(f" {normalise_answer(a)} " in t for a in alts for t in texts):
                missing.append((q.id, item))
    assert missing == []


def test_heading_answers_sit_in_the_gold_heading():
    for q in DS.questions:
        if "heading-answer" in q.tags:
            heads = [normalise_answer(g.section or "") for g in q.gold]
            assert any(normalise_answer(q.answer.any[0]) in h for h in heads), q.id
