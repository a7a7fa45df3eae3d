"""The Gradio page: chat with sources, filters, the documents and tasks tabs, uploads, feedback.

Layout and wiring only; the work is in `ui.service.ChatService`. Each event has
an `api_name` so `gradio_client` (tests, `scripts/bench_serve.py`) can call it:

>>> from gradio_client import Client                                   # doctest: +SKIP
>>> reply = Client("http://127.0.0.1:7860/").predict(
...     "sở nào chủ trì cụm công nghiệp?", [], "Tất cả", "", "", "", "hybrid", 10, api_name="/ask")
...                                                                    # doctest: +SKIP
"""

# No `from __future__ import annotations` here: gradio injects gr.Request, gr.Progress and
# event data by the *evaluated* annotations of handlers, and `gr` is imported late.

import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from ui.chat import Source, query_terms
from ui.html import safe_text
from ui.service import ALL_TYPES, DOC_HEADERS, RESULT_HEADERS, ChatService, make_filters
from vanban.errors import VanbanError

EXAMPLES = [
    "Sở nào chủ trì cụm công nghiệp?",
    "Kế hoạch 370/KH-UBND ban hành ngày nào?",
    "Mục tiêu giải ngân vốn đầu tư công của tỉnh Tây Ninh đến 30/6/2023 là bao nhiêu?",
    "Ai ký Thông báo 1737-TB/VPTU?",
]
CONCURRENCY = 4  # answers are CPU-bound; more threads than this only queue inside numpy/torch
QUEUE_SIZE = 64
TASK_WIDTHS = ["15%", "8%", "37%", "12%", "8%", "10%", "10%"]


def _no_analytics() -> None:
    # Read by gradio at import time: no usage pings, no version check from an offline server.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"


def _user(request) -> str | None:
    return getattr(request, "username", None) if request is not None else None


def build_app(service: ChatService):
    """The `gr.Blocks` app (not launched)."""
    _no_analytics()
    import gradio as gr

    from search.tasks_view import HEADERS as TASK_HEADERS

    def fail(e: Exception):
        return gr.Error(str(e), print_exception=False)

    with gr.Blocks(title="vanban — Hỏi đáp văn bản", analytics_enabled=False) as demo:
        view_state = gr.State({"terms": [], "sources": []})
        record_state = gr.State(None)
        records_state = gr.State({})
        gr.Markdown("## vanban — Hỏi đáp văn bản chỉ đạo, điều hành")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat"), gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="Hội thoại",
                        elem_id="vb-chat",
                        height=560,
                        buttons=["copy", "copy_all"],
                        sanitize_html=True,
                        latex_delimiters=[],
                        placeholder="Đặt câu hỏi về các văn bản đã lập chỉ mục.",
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            placeholder="Ví dụ: sở nào chủ trì cụm công nghiệp?",
                            show_label=False,
                            scale=5,
                            elem_id="vb-question",
                        )
                        send = gr.Button("Hỏi", variant="primary", scale=1, elem_id="vb-send")
                    gr.Examples([[e] for e in EXAMPLES], inputs=[question], label="Câu hỏi mẫu")
                    with gr.Row():
                        comment = gr.Textbox(
                            label="Đánh giá câu trả lời cuối — góp ý (không bắt buộc)", scale=4
                        )
                        with gr.Column(scale=1, min_width=130):
                            up = gr.Button("Đúng", size="sm", elem_id="vb-up")
                            down = gr.Button("Chưa đúng", size="sm", elem_id="vb-down")
                    fb_status = gr.Markdown(elem_id="vb-fb-status")
                with gr.Column(scale=2):
                    with gr.Accordion("Bộ lọc", open=False):
                        doc_type = gr.Dropdown(
                            [ALL_TYPES, *service.doc_types()[1:]],
                            value=ALL_TYPES,
                            label="Loại văn bản",
                        )
                        place = gr.Textbox(
                            label="Cơ quan ban hành hoặc tỉnh", placeholder="Bến Tre"
                        )
                        with gr.Row():
                            since = gr.Textbox(label="Từ ngày", placeholder="YYYY-MM-DD")
                            until = gr.Textbox(label="Đến ngày", placeholder="YYYY-MM-DD")
                        with gr.Accordion("Nâng cao", open=False):
                            mode = gr.Radio(
                                ["hybrid", "bm25", "dense"], value="hybrid", label="Cách tìm"
                            )
                            k = gr.Slider(1, 50, value=10, step=1, label="Số đoạn văn đọc (k)")
                    source_pick = gr.Dropdown(
                        choices=[],
                        label="Nguồn trích dẫn",
                        elem_id="vb-source-pick",
                        interactive=True,
                    )
                    section_view = gr.HTML(elem_id="vb-section")
                    with gr.Accordion("Toàn văn văn bản", open=False, elem_id="vb-fulltext"):
                        full_view = gr.HTML(elem_id="vb-full")
            with gr.Tab("Văn bản", id="docs"):
                doc_query = gr.Textbox(
                    label="Lọc danh sách", placeholder="số, loại, cơ quan, trích yếu…"
                )
                docs_df = gr.Dataframe(
                    value=service.documents(),
                    headers=list(DOC_HEADERS),
                    interactive=False,
                    wrap=True,
                    max_height=420,
                    column_widths=["11%", "8%", "8%", "17%", "34%", "13%", "9%"],
                    elem_id="vb-docs",
                )
                doc_pick = gr.Dropdown(
                    service.doc_choices(),
                    value=None,
                    label="Nhiệm vụ giao trong văn bản",
                    elem_id="vb-doc-pick",
                )
                doc_tasks_df = gr.Dataframe(
                    headers=list(TASK_HEADERS),
                    interactive=False,
                    wrap=True,
                    max_height=360,
                    column_widths=TASK_WIDTHS,
                    elem_id="vb-doc-tasks",
                )
                with gr.Group(visible=False) as upload_box:
                    gr.Markdown("### Thêm văn bản vào chỉ mục")
                    files = gr.File(
                        file_count="multiple",
                        label="Tệp PDF, TXT, DOCX, HTML hoặc ảnh (tối đa 20 tệp, 50 MB mỗi tệp)",
                        elem_id="vb-files",
                    )
                    upload_btn = gr.Button(
                        "Lập chỉ mục các tệp đã chọn", variant="primary", elem_id="vb-upload"
                    )
                    with gr.Row(visible=False) as folder_row:
                        folder = gr.Textbox(label="Thư mục trên máy chủ (quản trị viên)", scale=4)
                        folder_btn = gr.Button("Lập chỉ mục thư mục", scale=1)
                    results = gr.Dataframe(
                        headers=list(RESULT_HEADERS),
                        interactive=False,
                        wrap=True,
                        elem_id="vb-results",
                    )
            with gr.Tab("Nhiệm vụ", id="tasks"):
                with gr.Row():
                    agency = gr.Textbox(label="Cơ quan", placeholder="Sở Công Thương", scale=3)
                    due = gr.Textbox(label="Hạn trước ngày", placeholder="YYYY-MM-DD", scale=2)
                    tasks_btn = gr.Button("Lọc", variant="primary", scale=1)
                tasks_df = gr.Dataframe(
                    value=service.tasks(None, None),
                    headers=list(TASK_HEADERS),
                    column_widths=TASK_WIDTHS,
                    elem_id="vb-tasks",
                    interactive=False,
                    wrap=True,
                    max_height=560,
                )
                with gr.Row():
                    export_btn = gr.Button("Xuất CSV", scale=1)
                    export_file = gr.File(label="Tệp CSV", interactive=False, scale=3, height=90)

        # -- chat -----------------------------------------------------------
        def on_ask(q, history, dtype, plc, frm, to, md, kk, request: gr.Request):
            if not (q or "").strip():
                raise gr.Error("Hãy nhập câu hỏi.", print_exception=False)
            try:
                filters = make_filters(dtype, plc, frm, to)
                html, sources, record = service.ask(q, filters=filters, mode=md, k=int(kk))
            except VanbanError as e:
                raise fail(e) from None
            history = [*(history or []), {"role": "user", "content": safe_text(q.strip())}]
            history.append({"role": "assistant", "content": html})
            terms = list(query_terms(q))
            labels = [s.label for s in sources]
            sec, full = service.source(sources[0], tuple(terms)) if sources else ("", "")
            state = {"terms": terms, "sources": [asdict(s) for s in sources]}
            return (
                history,
                "",
                gr.Dropdown(choices=labels, value=labels[0] if labels else None),
                sec,
                full,
                state,
                record,
                {str(len(history) - 1): record},
            )

        ask_io = dict(
            fn=on_ask,
            inputs=[question, chatbot, doc_type, place, since, until, mode, k],
            outputs=[
                chatbot,
                question,
                source_pick,
                section_view,
                full_view,
                view_state,
                record_state,
                records_state,
            ],
        )
        send.click(**ask_io, api_name="ask")
        question.submit(**ask_io, api_visibility="private")

        def on_pick(label, state):
            for s in (state or {}).get("sources", []):
                if s["label"] == label:
                    try:
                        return service.source(Source(**s), tuple(state.get("terms", ())))
                    except VanbanError as e:
                        raise fail(e) from None
            return "", ""

        source_pick.input(
            on_pick, [source_pick, view_state], [section_view, full_view], api_name="source"
        )

        def on_vote(vote):
            def handler(record, text, request: gr.Request):
                try:
                    return service.feedback(record, vote, text, _user(request)), ""
                except VanbanError as e:
                    raise fail(e) from None

            return handler

        up.click(
            on_vote("up"), [record_state, comment], [fb_status, comment], api_name="feedback_up"
        )
        down.click(
            on_vote("down"), [record_state, comment], [fb_status, comment], api_name="feedback_down"
        )

        def on_like(records, data: gr.LikeData, request: gr.Request):
            idx = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            record = (records or {}).get(str(idx))
            if record is None:
                return "Chỉ đánh giá được câu trả lời mới nhất."
            return service.feedback(record, "up" if data.liked else "down", "", _user(request))

        chatbot.like(on_like, [records_state], [fb_status])

        # -- documents, uploads, tasks ------------------------------------------------
        doc_query.change(service.documents, doc_query, docs_df, api_name="documents")

        def on_doc_select(evt: gr.SelectData):
            row = evt.row_value or []
            return row[-1] if row else None

        docs_df.select(on_doc_select, None, doc_pick)
        doc_pick.change(service.doc_tasks, doc_pick, doc_tasks_df, api_name="doc_tasks")

        def refreshed(q=""):
            return (
                service.documents(q),
                gr.Dropdown(choices=service.doc_choices(), value=None),
                gr.Dropdown(choices=service.doc_types()),
            )

        def on_upload(paths, q, request: gr.Request, progress=gr.Progress()):  # noqa: B008 - gradio's idiom
            progress(0.05, desc="Đang kiểm tra tệp…")
            items = [(Path(p).name, Path(p)) for p in (paths or [])]
            try:
                rows = service.index_uploads(items, _user(request), progress)
            except VanbanError as e:
                raise fail(e) from None
            return (rows, *refreshed(q), None)

        upload_btn.click(
            on_upload,
            [files, doc_query],
            [results, docs_df, doc_pick, doc_type, files],
            api_name="upload",
        )

        def on_folder(path, q, request: gr.Request, progress=gr.Progress()):  # noqa: B008
            progress(0.05, desc="Đang lập chỉ mục thư mục…")
            try:
                rows = service.index_folder(path or "", _user(request))
            except VanbanError as e:
                raise fail(e) from None
            return (rows, *refreshed(q))

        folder_btn.click(
            on_folder,
            [folder, doc_query],
            [results, docs_df, doc_pick, doc_type],
            api_name="index_folder",
        )

        def on_tasks(ag, before):
            try:
                return service.tasks(ag, before)
            except VanbanError as e:
                raise fail(e) from None

        tasks_btn.click(on_tasks, [agency, due], tasks_df, api_name="tasks")

        def on_export(ag, before):
            try:
                text = service.tasks_csv(ag, before)
            except VanbanError as e:
                raise fail(e) from None
            out = Path(tempfile.mkdtemp(prefix="vanban-export-")) / "nhiem-vu.csv"
            out.write_text(text, encoding="utf-8-sig")  # the BOM makes Excel read UTF-8
            return str(out)

        export_btn.click(on_export, [agency, due], export_file, api_name="export_tasks")

        def on_load(request: gr.Request):
            user = _user(request)
            return (
                *refreshed(),
                service.tasks(None, None),
                gr.Group(visible=service.may_upload(user)),
                gr.Row(visible=service.may_index_folder(user)),
            )

        demo.load(
            on_load,
            None,
            [docs_df, doc_pick, doc_type, tasks_df, upload_box, folder_row],
            api_visibility="private",
        )
    return demo


def launch_app(
    service: ChatService, *, host: str = "127.0.0.1", port: int = 7860, block: bool = True
):
    """Queue and launch the app; returns the `gr.Blocks` (useful with `block=False`)."""
    from ui.theme import CSS, theme
    from ui.uploads import MAX_FILE_BYTES

    demo = build_app(service)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=service.users.check if service.users is not None else None,
        auth_message="Đăng nhập vanban" if service.users is not None else None,
        share=False,
        inbrowser=False,
        show_error=True,
        ssr_mode=False,
        footer_links=[],
        max_file_size=MAX_FILE_BYTES,
        theme=theme(),
        css=CSS,
        prevent_thread_lock=not block,
        quiet=True,
    )
    return demo
