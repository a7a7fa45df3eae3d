"""The web chat for real: reply formatting on a real index, `vanban tasks`, a live `vanban serve`
driven through `gradio_client`, and the same server in a headless Chromium (Playwright).

One index (the sample corpus plus a hostile document) is built for the module; one
server runs on a free loopback port with --allow-upload. Screenshots go to
artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

from ui.probe import free_port, wait_until_serving
from vanban.paths import PROJECT_ROOT, SAMPLES_DIR

QUESTION = "sở nào chủ trì cụm công nghiệp?"
XSS_DOC = """ỦY BAN NHÂN DÂN TỈNH KIỂM THỬ
Số: 99/TB-UBND
THÔNG BÁO
Về việc kiểm thử hiển thị an toàn trang hỏi đáp

1. Trung tâm Chuyển đổi số chủ trì kiểm thử hiển thị an toàn <script>window.__xss=1</script> \
với ảnh <img src=x onerror="window.__xss=2"> và liên kết [bấm vào đây](javascript:window.__xss=3) \
cùng **chữ đậm** và ![ảnh](http://example.com/x.png) trước ngày 31/12/2025.

2. Văn phòng UBND tỉnh phối hợp theo dõi việc kiểm thử hiển thị an toàn.
"""
XSS_QUESTION = "Ai chủ trì kiểm thử hiển thị an toàn?"
API_DOC = """ỦY BAN NHÂN DÂN TỈNH BẾN TRE
Số: 15/KH-UBND
KẾ HOẠCH
Tổ chức Lễ hội Dừa lần thứ VI năm 2025

1. Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức Lễ hội Dừa lần thứ VI, hoàn thành trước ngày 30/4/2025.
2. Sở Tài chính phối hợp bố trí kinh phí tổ chức Lễ hội Dừa.
"""
BROWSER_DOC = """SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH TIỀN GIANG
Số: 21/KH-SGDĐT
KẾ HOẠCH
Tổ chức Hội thi Tin học trẻ năm 2025

1. Phòng Giáo dục và Đào tạo các huyện chủ trì tổ chức vòng sơ khảo Hội thi Tin học trẻ tại trường học.
2. Trung tâm Tin học tỉnh phối hợp chấm thi vòng chung kết Hội thi Tin học trẻ.
"""
SHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")


def _text(markup: str) -> str:
    """What a reader sees in reply HTML: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.fixture(scope="module")
def ui_index(tmp_path_factory) -> Path:
    """The sample corpus plus a hostile document, indexed with the real encoder."""
    from index.builder import update_index

    root = tmp_path_factory.mktemp("ui")
    extra = root / "extra"
    extra.mkdir()
    (extra / "thong-bao-kiem-thu.txt").write_text(XSS_DOC, encoding="utf-8")
    report = update_index(root / "index", [str(SAMPLES_DIR), str(extra)], progress=False)
    if report.failed:
        pytest.fail(f"sample corpus did not index cleanly: {report.failed}")
    return root / "index"


@pytest.fixture(scope="module")
def searcher(ui_index):
    from search.searcher import Searcher

    return Searcher.load(ui_index)


# -- in-process: replies and the source panel ---------------------------------------------------


def _ask(searcher, question: str, **kw):
    from search.answer import answer_question
    from ui.chat import reply_html, sources_of

    answer = answer_question(searcher, question, **kw)
    docs = {h.chunk.doc_id: searcher.document_of(h) for h in answer.hits}
    return answer, reply_html(answer, docs), sources_of(answer, docs)


def test_reply_shows_bold_answer_confidence_citations_and_marks(searcher) -> None:
    answer, reply, sources = _ask(searcher, QUESTION)
    assert reply.startswith('<p class="vb-answer"><strong>Sở Công Thương</strong>')
    assert "độ tin cậy" in reply and '<mark class="term">' in reply
    assert sources[0].label.startswith("[1] ") and len(sources) >= len(answer.citations)
    assert [int(s.label[1 : s.label.index("]")]) for s in sources] == list(
        range(1, len(sources) + 1)
    )
    for s in sources:
        assert _text(s.label.split("] ", 1)[1].replace("\n", " ")) in _text(reply).replace(
            "\n", " "
        )


def test_abstention_says_so_and_still_shows_passages(searcher) -> None:
    answer, reply, sources = _ask(searcher, "Nhà máy điện hạt nhân Ninh Thuận khởi công năm nào?")
    assert answer.abstained
    assert "Không tìm thấy câu trả lời chắc chắn…" in _text(reply)
    assert sources and "Đoạn văn liên quan" in reply


def test_source_panel_shows_the_section_around_the_quote(searcher) -> None:
    from ui.source import enclosing_section, section_html

    _, _, sources = _ask(searcher, QUESTION)
    src = sources[0]
    doc = next(
        searcher.document(i) for i, m in enumerate(searcher.doc_metas) if m["doc_id"] == src.doc_id
    )
    sec = enclosing_section(doc, src.start, src.end)
    assert sec is not None and sec.start <= src.start and src.end <= sec.end
    panel = section_html(doc, src.start, src.end)
    quote = re.search(r'<mark class="quote">(.*?)</mark>', panel, re.S)
    assert quote and html.unescape(quote.group(1)) == doc.text[src.start : src.end]


def test_hostile_document_is_shown_as_text(searcher) -> None:
    from ui.source import document_html, section_html

    _, reply, _ = _ask(searcher, XSS_QUESTION)
    assert "Trung tâm Chuyển đổi số" in reply
    for markup in (
        reply,
        *(section_html(searcher.document(i), 0, 10) for i in range(len(searcher.doc_metas))),
    ):
        assert "<script" not in markup and "<img" not in markup and "](" not in markup
    doc = next(
        searcher.document(i) for i, m in enumerate(searcher.doc_metas) if "kiem-thu" in m["source"]
    )
    full = document_html(doc)
    assert "<script" not in full and "<script>window.__xss=1</script>" in _text(full)
    assert "<script>window.__xss=1</script>" in _text(reply)


# -- vanban tasks ------------------------------------------------------------------------------------


def test_tasks_cli_filters_and_exports(ui_index) -> None:
    from vanban.cli import main

    runner = CliRunner()
    out = runner.invoke(
        main, ["tasks", "--index", str(ui_index), "--agency", "Sở Công Thương", "--csv"]
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert rows and {r["agency_key"] for r in rows} == {"Sở Công Thương"}
    assert any("370/KH-UBND" in r["document"] for r in rows)
    out = runner.invoke(
        main, ["tasks", "--index", str(ui_index), "--due-before", "2025-12-31", "--json"]
    )
    items = [json.loads(x) for x in out.stdout.splitlines()]
    assert items and all(x["deadline"] and x["deadline"] <= "2025-12-31" for x in items)
    assert any(
        x["agency_key"] == "Trung tâm Chuyển đổi số" for x in items
    )  # the 31/12/2025 deadline
    bad = runner.invoke(main, ["tasks", "--index", str(ui_index), "--due-before", "31/02/2025"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_uploads_are_refused_without_permission(tmp_path) -> None:
    from ui.auth import parse_auth
    from ui.service import ChatService
    from vanban.errors import VanbanError

    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(VanbanError, match="--allow-upload"):
        ChatService(None, None, allow_upload=False).index_uploads([("a.txt", f)], None)
    users = parse_auth("an:pw:admin\nbinh:pw:user\n")
    with pytest.raises(VanbanError, match="quản trị viên"):
        ChatService(None, users, allow_upload=True).index_uploads([("a.txt", f)], "binh")
    with pytest.raises(VanbanError, match="quản trị viên"):
        ChatService(None, None, allow_upload=True).index_folder(str(tmp_path), None)


# -- a live server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(ui_index, tmp_path_factory):
    """`vanban serve --allow-upload` on a free loopback port; yields (url, VANBAN_HOME)."""
    home = tmp_path_factory.mktemp("home")
    port = free_port()
    log = open(home / "serve.log", "w")  # noqa: SIM115 - closed at teardown
    env = dict(os.environ, VANBAN_HOME=str(home), GRADIO_TEMP_DIR=str(home / "gradio-tmp"))
    cmd = [
        str(Path(sys.executable).with_name("vanban")),  # the installed console script
        "serve",
        "--index",
        str(ui_index),
        "--port",
        str(port),
        "--allow-upload",
    ]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            wait_until_serving(url, proc, timeout=120)
        except RuntimeError as e:
            pytest.fail(f"{e}: {(home / 'serve.log').read_text()[-3000:]}")
        yield url, home
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server[0], verbose=False)


ALL = "Tất cả"


def _api_ask(
    client, question: str, doc_type: str = ALL, place: str = "", since: str = "", until: str = ""
):
    history, _, pick, section, _full = client.predict(
        question, [], doc_type, place, since, until, "hybrid", 10, api_name="/ask"
    )
    reply = history[-1]["content"][0]["text"]
    labels = [c[0] for c in pick["choices"]]
    return _text(reply), labels, _text(section)


def test_api_answers_with_citations(client) -> None:
    reply, labels, section = _api_ask(client, QUESTION)
    assert "Sở Công Thương" in reply.split("(")[0]
    assert any("370/KH-UBND" in lab for lab in labels), labels
    assert "Sở Công Thương" in section or "cụm công nghiệp" in section


def test_api_filters_restrict_the_documents(client, searcher) -> None:
    _, labels, _ = _api_ask(client, QUESTION, doc_type="Kế hoạch", place="Bến Tre")
    assert labels and all("370/KH-UBND" in lab for lab in labels), labels
    _, labels, _ = _api_ask(client, "nhiệm vụ giải ngân vốn đầu tư công", doc_type="Thông báo")
    types = {m["doc_type"] for m in searcher.doc_metas if m["doc_type"]}
    assert labels and all(lab.split(" ", 1)[1].startswith("Thông báo") for lab in labels), (
        labels,
        types,
    )
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        _api_ask(client, QUESTION, since="19/13/2023")


def test_api_documents_tasks_export_and_feedback(client, server) -> None:
    docs = client.predict("370", api_name="/documents")
    assert [r[0] for r in docs["data"]] == ["370/KH-UBND"]
    tasks = client.predict("Sở Công Thương", "", api_name="/tasks")
    assert tasks["data"] and {r[0] for r in tasks["data"]} == {"Sở Công Thương"}
    path = client.predict("Sở Công Thương", "", api_name="/export_tasks")
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(tasks["data"])
    _api_ask(client, QUESTION)  # the client keeps its session: the vote is about this answer
    status, _ = client.predict("Đúng, có trích dẫn", api_name="/feedback_up")
    assert "Cảm ơn" in status
    lines = (server[1] / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    assert (
        last["vote"] == "up" and last["question"] == QUESTION and last["answer"] == "Sở Công Thương"
    )
    assert last["comment"] == "Đúng, có trích dẫn" and last["citations"]


def test_api_upload_then_find_it(client, server, tmp_path) -> None:
    from gradio_client import handle_file

    f = tmp_path / "KH 15 Lễ hội Dừa.txt"
    f.write_text(API_DOC, encoding="utf-8")
    bad = tmp_path / "virus.pdf"
    bad.write_bytes(b"MZ\x90\x00rest")
    results, docs, *_ = client.predict(
        [handle_file(str(f)), handle_file(str(bad))], "", api_name="/upload"
    )
    outcome = {r[0]: (r[1], r[2]) for r in results["data"]}
    assert outcome["KH 15 Lễ hội Dừa.txt"][0] == "đã lập chỉ mục", outcome
    assert outcome["virus.pdf"][0] == "lỗi" and "executable" in outcome["virus.pdf"][1]
    assert any(r[0] == "15/KH-UBND" for r in docs["data"])
    stored = list((server[1] / "uploads").iterdir())
    assert [p.name for p in stored] == ["KH 15 Lễ hội Dừa.txt"]
    reply, labels, _ = _api_ask(client, "Sở nào chủ trì tổ chức Lễ hội Dừa lần thứ VI?")
    assert "Sở Văn hóa, Thể thao và Du lịch" in reply.split("(")[0], reply
    assert any("15/KH-UBND" in lab for lab in labels)


# -- a real browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing; install it with scripts/setup.sh --dev")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(server[1] / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            locale="vi-VN",
            viewport={"width": 1400, "height": 1000},
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        )  # fmt: skip
        pg = ctx.new_page()
        pg.on("request", lambda r: requests.append(r.url))
        pg.set_default_timeout(90_000)
        pg.goto(server[0])
        pg.locator("#vb-question textarea").wait_for()
        pg.requests = requests  # type: ignore[attr-defined]
        yield pg
        ctx.close()


def _browser_ask(page, question: str, expect: str) -> str:
    before = page.locator("#vb-chat [data-testid='bot']").count()
    page.locator("#vb-question textarea").fill(question)
    page.locator("#vb-send").click()
    page.locator("#vb-chat [data-testid='bot']").nth(before).wait_for()
    bot = page.locator("#vb-chat [data-testid='bot']").nth(before)
    page.wait_for_function(
        "([el, t]) => el.innerText.includes(t)", arg=[bot.element_handle(), expect], timeout=90_000
    )
    # show the question and the answer's first lines, not the last passage
    page.locator("#vb-chat [data-testid='user']").nth(before).evaluate(
        "el => el.scrollIntoView({block: 'start'})"
    )
    return bot.inner_text()


def _wait_text(page, selector: str, text: str, timeout: float = 90_000) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)",
        arg=[selector, text],
        timeout=timeout,
    )


def _pick_source(page, containing: str) -> None:
    page.locator("#vb-source-pick input").click()
    page.get_by_role("option").filter(has_text=containing).first.click()
    page.wait_for_function(
        "(t) => document.querySelector('#vb-section').innerText.includes(t)",
        arg=containing.split(" ")[0],
    )


def test_browser_chat_source_and_upload(page, tmp_path) -> None:
    text = _browser_ask(page, QUESTION, "Sở Công Thương")
    assert "độ tin cậy" in text and "370/KH-UBND" in text
    page.screenshot(path=str(SHOTS / "01_answer.png"), full_page=True)
    _pick_source(page, "370/KH-UBND")
    section = page.locator("#vb-section").inner_text()
    assert "Sở Công" in section and "370/KH-UBND" in section
    page.get_by_text("Toàn văn văn bản").click()
    page.locator("#vb-full").get_by_text("KẾ HOẠCH", exact=False).first.wait_for()
    page.screenshot(path=str(SHOTS / "02_source_panel.png"), full_page=True)

    f = tmp_path / "Hội thi Tin học trẻ.txt"
    f.write_text(BROWSER_DOC, encoding="utf-8")
    page.get_by_role("tab", name="Văn bản").click()
    page.locator("#vb-files input[type=file]").set_input_files(str(f))
    page.locator("#vb-upload").click()
    _wait_text(page, "#vb-results", "đã lập chỉ mục", timeout=120_000)
    assert page.locator("#vb-docs").get_by_text("21/KH-SGDĐT").count() >= 1
    page.screenshot(path=str(SHOTS / "03_upload.png"), full_page=True)
    page.get_by_role("tab", name="Hỏi đáp").click()
    text = _browser_ask(page, "Ai chủ trì tổ chức vòng sơ khảo Hội thi Tin học trẻ?", "Tin học trẻ")
    assert "21/KH-SGDĐT" in text
    page.screenshot(path=str(SHOTS / "04_uploaded_answer.png"), full_page=True)


def test_browser_tasks_tab(page) -> None:
    page.get_by_role("tab", name="Nhiệm vụ").click()
    page.get_by_role("textbox", name="Cơ quan").fill("Sở Công Thương")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_function(
        "() => { const t = document.querySelector('#vb-tasks').innerText;"
        " return t.includes('Sở Công Thương') && !t.includes('Sở Tài chính'); }"
    )
    page.screenshot(path=str(SHOTS / "05_tasks.png"), full_page=True)
    page.get_by_role("tab", name="Hỏi đáp").click()


def test_browser_hostile_document_stays_text(page) -> None:
    text = _browser_ask(page, XSS_QUESTION, "Trung tâm Chuyển đổi số")
    assert "<script>window.__xss=1</script>" in text
    assert "[bấm vào đây](javascript:window.__xss=3)" in text
    _pick_source(page, "99/TB-UBND")
    assert "<script>window.__xss=1</script>" in page.locator("#vb-section").inner_text()
    page.get_by_text("Toàn văn văn bản").click()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert page.locator("#vb-chat img[src='x'], #vb-section img, #vb-full img").count() == 0
    page.screenshot(path=str(SHOTS / "06_hostile_document.png"), full_page=True)


def test_browser_made_no_request_off_this_machine(page) -> None:
    hosts = {urlparse(u).hostname for u in page.requests if not u.startswith(("data:", "blob:"))}
    assert page.requests and hosts <= {"127.0.0.1", "localhost"}, sorted(hosts)
