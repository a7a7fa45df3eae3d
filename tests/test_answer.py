"""The extractive answer engine and `vanban ask`, on an index of the bundled sample corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner


def ask(searcher, question: str):
    from search.answer import answer_question

    return answer_question(searcher, question)


def _check_quotes(searcher, answer) -> None:
    docs = {h.chunk.doc_id: searcher.document_of(h) for h in answer.hits}
    for c in answer.citations:
        doc = docs[c.doc_id]
        assert doc.text[c.start : c.end] == c.quote
        assert c.quote.strip() and len(c.quote) < 1200  # a sentence, not a whole document


@pytest.mark.parametrize(
    "question", ["sở nào chủ trì cụm công nghiệp?", "so nao chu tri cum cong nghiep"]
)
def test_agency_across_two_documents(searcher, question: str) -> None:
    a = ask(searcher, question)
    assert a.kind == "agency" and a.text == "Sở Công Thương"
    by_source = {Path(c.source).name[:3]: c for c in a.citations}
    assert len(by_source) == len(a.citations), "one citation per document"
    tien_giang, ben_tre = by_source["001"], by_source["004"]
    assert "2. Sở Công Thương chủ trì:" in tien_giang.section
    assert ben_tre.meta.number == "370/KH-UBND"
    assert any(" ".join(h.split()) == "6. Sở Công Thương" for h in ben_tre.section)
    _check_quotes(searcher, a)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Công văn 3646/SYT-VP do ai ký?", "Trương Văn Hùng"),
        ("Kế hoạch 370/KH-UBND ban hành ngày nào?", "19/01/2023"),
        ("Tiền Giang phấn đấu tăng trưởng GRDP năm 2024 bao nhiêu?", "7,0 - 7,5%"),
        # A news report: its issuer comes from the lead and is printed as "UBND tỉnh …".
        ("Kế hoạch 20 của Tiền Giang do cơ quan nào ban hành?", "Ủy ban nhân dân tỉnh Tiền Giang"),
    ],
)
def test_direct_answers(searcher, question: str, expected: str) -> None:
    from eval.datasets import AnswerSpec
    from eval.metrics import answer_correct

    a = ask(searcher, question)
    assert answer_correct(a.text, AnswerSpec(any=(expected,))), a.text
    assert a.citations and 0 < a.confidence <= 1
    assert any(expected.split()[0] in c.quote or c.meta.date for c in a.citations)
    _check_quotes(searcher, a)


@pytest.mark.parametrize(
    "question",
    [
        "Sở nào chủ trì phát triển điện hạt nhân?",
        "Tiền Giang đặt chỉ tiêu bao nhiêu MW điện mặt trời năm 2024?",
    ],
)
def test_off_corpus_questions_abstain(searcher, question: str) -> None:
    a = ask(searcher, question)
    assert a.abstained and a.text is None and not a.citations
    assert a.hits, "an abstention still returns the best passages"


def test_every_quote_is_verbatim_on_the_sample_questions(searcher) -> None:
    from eval.datasets import load_dataset

    for q in load_dataset("sample").split("dev")[:40]:
        _check_quotes(searcher, ask(searcher, q.question))


def test_ask_json_shape(sample_index) -> None:
    from vanban.cli import main

    r = CliRunner().invoke(
        main, ["ask", "Công văn 3646/SYT-VP do ai ký?", "--index", str(sample_index), "--json"]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) == {
        "question",
        "kind",
        "answer",
        "confidence",
        "abstained",
        "citations",
        "hits",
    }
    assert out["answer"] == "Trương Văn Hùng" and out["abstained"] is False
    c = out["citations"][0]
    assert set(c) == {
        "source",
        "doc_id",
        "number",
        "doc_type",
        "date",
        "issuer",
        "subject",
        "section",
        "quote",
        "start",
        "end",
    }
    assert c["number"] == "3646/SYT-VP"
    assert out["hits"] and {"rank", "chunk_id", "text", "scores", "ranks"} <= set(out["hits"][0])


def test_ask_batch_from_stdin(sample_index) -> None:
    from vanban.cli import main

    questions = (
        "Kế hoạch 370/KH-UBND ban hành ngày nào?\n\nSở nào chủ trì phát triển điện hạt nhân?\n"
    )
    r = CliRunner().invoke(main, ["ask", "--index", str(sample_index)], input=questions)
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["question"] for x in lines] == [
        "Kế hoạch 370/KH-UBND ban hành ngày nào?",
        "Sở nào chủ trì phát triển điện hạt nhân?",
    ]
    assert lines[0]["answer"] == "19/01/2023" and lines[1]["abstained"] is True


def test_ask_human_output(sample_index) -> None:
    from vanban.cli import main

    r = CliRunner().invoke(
        main, ["ask", "Sở nào chủ trì phát triển điện hạt nhân?", "--index", str(sample_index)]
    )
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == "Không tìm thấy câu trả lời chắc chắn."
