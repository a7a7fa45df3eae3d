"""The web chat's pure parts: escaping and highlighting, upload names and types, auth, tasks, feedback."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.tasks_view import agency_matcher, filter_assignments, parse_day, table_rows, to_csv
from ui.auth import may_upload, parse_auth
from ui.feedback import append_feedback, feedback_line
from ui.html import find_folded, highlight, safe_text, term_spans
from ui.uploads import check_file, sanitize_name, store_uploads
from vanban.errors import IngestError, VanbanError
from vanban.paths import PROJECT_ROOT, SAMPLES_DIR
from vanban.types import Assignment

_OUR_TAGS = re.compile(r'</?mark(?: class="(?:ans|term|quote)")?>|<br>')


def _visible(markup: str) -> str:
    """What a browser shows: our tags dropped, entities decoded."""
    return html.unescape(_OUR_TAGS.sub("", markup.replace("<br>", "\n")))


# -- escaping and highlighting ---------------------------------------------------------


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_safe_text_leaves_no_markup_and_round_trips(text: str) -> None:
    out = safe_text(text, newlines="\n")
    assert not set(re.sub(r"&#\d+;", "", out)) & set("<>&#*_[]()`|~$!\\\"'")
    assert html.unescape(out) == text


@given(st.text(alphabet="ab <>&*_[]()Sởcôngđ\n", max_size=80), st.data())
@settings(max_examples=300, deadline=None)
def test_highlight_keeps_the_text_and_adds_only_our_tags(text: str, data) -> None:
    s = data.draw(st.integers(0, len(text)))
    e = data.draw(st.integers(s, len(text)))
    out = highlight(text, marks=[(s, e, "ans")], terms=("so", "cong"))
    tags = re.findall(r"<[^>]*>", out)
    assert all(_OUR_TAGS.fullmatch(t) for t in tags), tags
    assert _visible(out) == text
    if s < e:
        assert f'<mark class="ans">{safe_text(text[s:e])}</mark>' in out


def test_markdown_and_html_tricks_are_inert() -> None:
    doc = "<script>window.__xss=1</script> <img src=x onerror=alert(1)> [a](javascript:x) **b** $x$ # h\n1. l"
    out = highlight(doc, terms=("script",))
    assert "<script" not in out and "<img" not in out and "](" not in out and "**" not in out
    assert '<mark class="term">script</mark>' in out  # terms match inside escaped text
    assert _visible(out) == doc


def test_terms_and_answer_match_without_accents_or_case() -> None:
    text = "Giao SỞ CÔNG THƯƠNG chủ trì quản lý cụm công nghiệp"
    cum = text.index("cụm")
    assert term_spans(text, ["cum"]) == [(cum, cum + 3)]
    assert find_folded(text, "Sở Công Thương") == (5, 19)
    assert find_folded(text, "Sở Y tế") is None
    out = highlight(text, marks=[(5, 19, "ans")], terms=("cong", "cum"))
    # the answer span wins over the term inside it; the later "công" is still a term
    assert out.count('<mark class="ans">') == 1 and out.count('<mark class="term">') == 2


# -- uploads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("/abs/path/Kế hoạch 370.pdf", "Kế hoạch 370.pdf"),
        ("Ke\u0302\u0301 hoa\u0323ch.txt", "Kế hoạch.txt"),  # decomposed input comes out NFC
        ("a<b>:c|d?.txt", "a_b__c_d_.txt"),
        (".hidden", "hidden"),
        ("..", "tep-tai-len"),
        ("", "tep-tai-len"),
        ("x\x00y\n.txt", "x_y_.txt"),
    ],
)
def test_sanitize_name(raw: str, safe: str) -> None:
    assert sanitize_name(raw) == safe


def test_sanitize_name_keeps_the_extension_of_long_names() -> None:
    out = sanitize_name("đ" * 400 + ".docx")
    assert out.endswith(".docx") and len(out) <= 150


def test_types_are_checked_by_content_not_name(tmp_path: Path) -> None:
    png = tmp_path / "scan.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert check_file(png, "scan.txt") == "image"
    exe = tmp_path / "report.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\0" * 64)
    with pytest.raises(IngestError, match=r"report\.pdf: unsupported file type"):
        check_file(exe, "report.pdf")
    text = SAMPLES_DIR / "004_393fa8954b947a4a.txt"
    assert check_file(text, "kh.txt") == "text"
    with pytest.raises(IngestError, match="over the 0 MB limit"):
        check_file(text, "kh.txt", max_bytes=1000)


def test_store_uploads_never_overwrites_and_refuses_bad_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    a, b, bad = src / "a", src / "b", src / "bad"
    a.write_text("Văn bản thứ nhất.", encoding="utf-8")
    b.write_text("Văn bản thứ hai.", encoding="utf-8")
    bad.write_bytes(b"\x7fELF\x02\x01")
    up = tmp_path / "uploads"
    first = store_uploads([("../tb.txt", a), ("tb.txt", b), ("tb.txt", a), ("x.pdf", bad)], up)
    assert [s.status for s in first] == [
        "stored",
        "stored",
        "same file already uploaded",
        "refused",
    ]
    assert Path(first[0].path).name == "tb.txt" and Path(first[1].path).name == "tb (2).txt"
    assert first[2].path == first[0].path
    assert "executable" in first[3].reason and first[3].path is None
    assert (up / "tb.txt").read_text(encoding="utf-8") == "Văn bản thứ nhất."
    assert sorted(p.name for p in up.iterdir()) == ["tb (2).txt", "tb.txt"]  # no temp files left
    with pytest.raises(IngestError, match="at most 2 files"):
        store_uploads([("a", a)] * 3, up, max_files=2)


# -- auth -----------------------------------------------------------------------------------


def test_auth_file_parsing_and_roles() -> None:
    users = parse_auth("# comment\n\nan:mật:khẩu:admin\n binh : pw :USER\n")
    assert users.check("an", "mật:khẩu") and not users.check("an", "mật")
    assert not users.check("nobody", "x")
    assert users.role("an") == "admin" and users.role("binh") == "user"
    assert may_upload(users, "an", False) and not may_upload(users, "binh", True)
    assert not may_upload(users, None, True)
    assert not may_upload(None, None, False) and may_upload(None, None, True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("an:pw", r"auth:1: expected `user:password:role`"),
        ("an:pw:root", r"role 'root' is not one of admin, user"),
        ("an:pw:admin\nan:x:user", r"auth:2: user 'an' is listed twice"),
        ("# only comments\n", r"no users"),
        (":pw:admin", r"expected"),
    ],
)
def test_auth_file_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(VanbanError, match=message):
        parse_auth(text, "auth")


# -- tasks ------------------------------------------------------------------------------------


def _a(agency: str, key: str, deadline: str | None, doc: str = "d1", start: int = 0) -> Assignment:
    return Assignment(agency, key, "chủ trì", f"việc của {agency}", deadline and f"trước {deadline}",
                      deadline, doc, ("I. NHIỆM VỤ",), "q", start, start + 1)  # fmt: skip


TASKS = [
    _a("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "2024-06-30"),
    _a("Sở Công thương", "Sở Công Thương", None, start=5),
    _a("Sở Công Thương tỉnh Bến Tre", "Sở Công Thương", "2023-12-31", doc="d2"),
    _a("UBND các huyện", "Ủy ban nhân dân cấp huyện", "2024-01-31"),
]


def test_tasks_filter_by_agency_and_deadline() -> None:
    by_key = [a.agency_key for a in filter_assignments(TASKS, agency="Sở Kế hoạch và Đầu tư")]
    assert by_key == ["Sở Kế hoạch và Đầu tư"]
    assert (
        len(filter_assignments(TASKS, agency="Sở KH&ĐT")) == 1
    )  # canonical key of an abbreviation
    cong = filter_assignments(TASKS, agency="cong thuong")
    assert [a.deadline for a in cong] == ["2023-12-31", None]  # dated first, undated last
    due = filter_assignments(TASKS, due_before="2024-01-31")
    assert {a.agency_key for a in due} == {"Sở Công Thương", "Ủy ban nhân dân cấp huyện"}
    assert filter_assignments(TASKS, agency="Sở Y tế") == []
    assert not agency_matcher("huyện")(TASKS[0]) and agency_matcher("huyện")(TASKS[3])


def test_tasks_csv_round_trips() -> None:
    text = to_csv(TASKS, {"d1": "Kế hoạch 1/KH-UBND"})
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4 and rows[0]["agency_key"] == "Sở Kế hoạch và Đầu tư"
    assert rows[0]["document"] == "Kế hoạch 1/KH-UBND" and rows[2]["document"] == "d2"
    assert rows[1]["deadline"] == "" and rows[0]["section"] == "I. NHIỆM VỤ"
    assert table_rows(TASKS[:1], {})[0][4] == "30/06/2024"


@pytest.mark.parametrize("bad", ["2023-02-30", "19/13/2023", "hôm qua", "2023/01/19"])
def test_dates_typed_by_users_are_validated(bad: str) -> None:
    with pytest.raises(VanbanError, match="YYYY-MM-DD"):
        parse_day(bad)


# -- feedback ---------------------------------------------------------------------------------


def test_feedback_lines_from_threads_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "fb" / "feedback.jsonl"
    record = {"question": "Sở nào chủ trì?", "answer": "Sở Công Thương " * 200, "citations": []}

    def vote(i: int) -> None:
        for _ in range(20):
            append_feedback(path, feedback_line(record, "up" if i % 2 else "down", f"góp ý {i}"))

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 160 and {x["vote"] for x in lines} == {"up", "down"}
    assert all(x["answer"] == record["answer"] and x["time"] for x in lines)
    with pytest.raises(ValueError, match="vote must be one of"):
        feedback_line(record, "meh")


def test_feedback_to_questions_keeps_upvoted_answers(tmp_path: Path) -> None:
    fb = tmp_path / "feedback.jsonl"
    cite = {
        "source": "/x/004_393fa8954b947a4a.txt",
        "section": ["6. Sở Công Thương"],
        "number": "370/KH-UBND",
    }
    lines = [
        {"question": "Sở nào chủ trì cụm công nghiệp?", "answer": "Sở Công Thương", "kind": "agency", "citations": [cite], "vote": "up", "comment": ""},
        {"question": "Sở nào chủ trì cụm công nghiệp?", "answer": "Sở Công Thương", "kind": "agency", "citations": [cite], "vote": "up", "comment": ""},
        {"question": "Câu sai?", "answer": "X", "kind": "open", "citations": [cite], "vote": "down", "comment": "sai"},
        {"question": "Không có trích dẫn?", "answer": None, "kind": "open", "citations": [], "vote": "up", "comment": ""},
    ]  # fmt: skip
    fb.write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
    )
    out = tmp_path / "questions.jsonl"
    script = PROJECT_ROOT / "scripts" / "feedback_to_questions.py"
    subprocess.run([sys.executable, str(script), str(fb), "-o", str(out)], check=True)
    qs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(qs) == 1  # duplicates merged, 👎 and answerless lines dropped
    q = qs[0]
    assert q["question"] == "Sở nào chủ trì cụm công nghiệp?" and q["answer"] == {
        "any": ["Sở Công Thương"]
    }
    assert q["gold"] == [{"source": "004_393fa8954b947a4a.txt", "section": "6. Sở Công Thương"}]
    assert q["kind"] == "agency" and "feedback" in q["tags"] and q["id"].startswith("fb-")


def test_importing_ui_and_the_cli_stays_light() -> None:
    code = (
        "import sys, ui, ui.app, ui.service, ui.chat, vanban.cli; "
        "print(sorted(m for m in ('gradio', 'torch', 'faiss') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
