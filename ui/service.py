"""What the web chat does, without Gradio: answer, show sources, list documents and tasks, index uploads.

`ui.app` wires these methods to widgets; they take and return plain values so
they can be tested and reused (the benchmark calls them through the HTTP API).

>>> svc = ChatService(holder=None, users=None, allow_upload=False)
>>> svc.may_upload(None)
False
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from search.filters import Filters
from search.tasks_view import doc_label, filter_assignments, parse_day, table_rows, to_csv
from ui.auth import Users, may_upload
from ui.chat import Source, reply_html, sources_of
from ui.feedback import answer_record, append_feedback, feedback_line, feedback_path
from ui.source import document_html, section_html
from vanban.errors import IngestError, VanbanError

ALL_TYPES = "Tất cả"
DOC_HEADERS = ("Số", "Loại", "Ngày", "Cơ quan ban hành", "Trích yếu", "Nguồn", "Mã")
RESULT_HEADERS = ("Tệp", "Kết quả", "Chi tiết")
MAX_K = 50
TASK_ROWS = 2000


def _fold(s: str) -> str:
    from ingest.text import fold_diacritics

    return " ".join(fold_diacritics(s).split())


def make_filters(
    doc_type: str | None, place: str | None, since: str | None, until: str | None
) -> Filters | None:
    """Filters from the form; VanbanError (in Vietnamese) for a malformed or reversed date range."""
    since_iso, until_iso = parse_day(since), parse_day(until)
    if since_iso and until_iso and since_iso > until_iso:
        raise VanbanError(f"khoảng ngày ngược: 'từ ngày' {since_iso} sau 'đến ngày' {until_iso}")
    f = Filters(
        doc_type=None if not doc_type or doc_type == ALL_TYPES else doc_type,
        place=(place or "").strip() or None,
        since=since_iso,
        until=until_iso,
    )
    return None if f.is_empty() else f


class ChatService:
    def __init__(self, holder, users: Users | None, allow_upload: bool) -> None:
        self.holder = holder
        self.users = users
        self.allow_upload = allow_upload

    def may_upload(self, user: str | None) -> bool:
        return may_upload(self.users, user, self.allow_upload)

    def may_index_folder(self, user: str | None) -> bool:
        # A server path reads the server's disk: only a named admin may point at one.
        return self.users is not None and self.users.role(user) == "admin"

    # -- chat ---------------------------------------------------------------
    def ask(
        self, question: str, *, filters: Filters | None = None, mode: str = "hybrid", k: int = 10
    ) -> tuple[str, list[Source], dict[str, Any]]:
        """(reply HTML, openable sources, feedback record) for one question."""
        from search.answer import answer_question

        searcher = self.holder.get()  # one generation for the whole request
        k = max(1, min(int(k), MAX_K))
        answer = answer_question(searcher, question.strip(), k=k, filters=filters, mode=mode)
        docs = {h.chunk.doc_id: searcher.document_of(h) for h in answer.hits}
        return reply_html(answer, docs), sources_of(answer, docs), answer_record(answer)

    def _document(self, doc_id: str):
        searcher = self.holder.get()
        for i, m in enumerate(searcher.doc_metas):
            if m["doc_id"] == doc_id:
                return searcher.document(i)
        raise VanbanError(
            "văn bản này không còn trong chỉ mục (đã được lập chỉ mục lại); hãy hỏi lại"
        )

    def source(self, src: Source, terms: tuple[str, ...] = ()) -> tuple[str, str]:
        """(section HTML, whole-document HTML) for one source."""
        doc = self._document(src.doc_id)
        return section_html(doc, src.start, src.end, terms), document_html(doc, src.start, src.end)

    # -- documents and tasks ---------------------------------------------------
    def doc_types(self) -> list[str]:
        types = {m.get("doc_type") for m in self.holder.get().doc_metas}
        return [ALL_TYPES, *sorted(t for t in types if t)]

    def documents(self, query: str = "") -> list[list[str]]:
        from search.render import vn_date

        rows = []
        for m in self.holder.get().doc_metas:
            row = [
                m.get("number") or "",
                m.get("doc_type") or "",
                vn_date(m.get("date")) or "",
                m.get("issuer") or "",
                " ".join((m.get("subject") or "").split()),
                str(m.get("source", "")).rsplit("/", 1)[-1],
                m["doc_id"],
            ]
            rows.append(row)
        q = _fold(query or "")
        return [r for r in rows if _fold(" ".join(r)).find(q) >= 0] if q else rows

    def doc_choices(self) -> list[tuple[str, str]]:
        metas = self.holder.get().doc_metas
        return [
            (f"{doc_label(m)} — {str(m.get('source', '')).rsplit('/', 1)[-1]}", m["doc_id"])
            for m in metas
        ]

    def _labels(self) -> dict[str, str]:
        return {m["doc_id"]: doc_label(m) for m in self.holder.get().doc_metas}

    def doc_tasks(self, doc_id: str | None) -> list[list[str]]:
        if not doc_id:
            return []
        items = self.holder.get().assignments(doc_id)
        return table_rows(items, self._labels())

    def tasks(self, agency: str | None, due_before: str | None) -> list[list[str]]:
        """The Tasks tab's rows (at most TASK_ROWS: a big archive has tens of thousands; CSV has all)."""
        items = filter_assignments(
            self.holder.get().all_assignments(), agency=agency, due_before=parse_day(due_before)
        )
        return table_rows(items[:TASK_ROWS], self._labels())

    def tasks_csv(self, agency: str | None, due_before: str | None) -> str:
        items = filter_assignments(
            self.holder.get().all_assignments(), agency=agency, due_before=parse_day(due_before)
        )
        return to_csv(items, self._labels())

    # -- uploads and feedback ----------------------------------------------------
    def index_uploads(
        self, files: list[tuple[str, Path]], user: str | None, progress=None
    ) -> list[list[str]]:
        """Store and index uploaded files; one result row per file (RESULT_HEADERS)."""
        from ui.uploads import store_uploads, uploads_dir

        if not self.may_upload(user):
            raise VanbanError(self._upload_refusal())
        if not files:
            raise VanbanError("chưa chọn tệp nào để tải lên")
        folder = uploads_dir()
        try:
            stored = store_uploads(files, folder)
        except IngestError as e:
            raise VanbanError(f"{e.reason}") from None
        if progress:
            progress(0.3, desc="Đang lập chỉ mục…")
        accepted = [s for s in stored if s.path]
        report = self.holder.reindex([str(folder)]) if accepted else None
        rows = []
        for s in stored:
            if s.path is None:
                rows.append([s.name, "lỗi", s.reason])
            else:
                rows.append([s.name, *_outcome(report, s.path, s.status)])
        return rows

    def index_folder(self, folder: str, user: str | None) -> list[list[str]]:
        if not self.may_index_folder(user):
            raise VanbanError(
                "chỉ quản trị viên (đăng nhập bằng --auth-file) được lập chỉ mục thư mục trên máy chủ"
            )
        path = Path(folder.strip()).expanduser()
        if not folder.strip() or not path.is_dir():
            raise VanbanError(f"thư mục {folder!r} không tồn tại trên máy chủ")
        report = self.holder.reindex([str(path.resolve())])
        rows = [
            [p, *_outcome(report, p, "")]
            for p in [*report.added, *report.updated, *report.unchanged]
        ]
        rows += [[p, "lỗi", why] for p, why in report.failed]
        rows += [[p, "đã gỡ khỏi chỉ mục", "tệp không còn trong thư mục"] for p in report.removed]
        rows += [[p, "trùng", f"cùng nội dung với {other}"] for p, other in report.duplicates]
        return rows

    def _upload_refusal(self) -> str:
        if self.users is not None:
            return "chỉ quản trị viên được tải tệp lên và lập chỉ mục"
        return "máy chủ không cho phép tải tệp lên; khởi động với --allow-upload hoặc --auth-file"

    def feedback(
        self, record: dict[str, Any] | None, vote: str, comment: str, user: str | None
    ) -> str:
        if not record:
            raise VanbanError("chưa có câu trả lời nào để đánh giá")
        append_feedback(feedback_path(), feedback_line(record, vote, comment or "", user))
        return "Cảm ơn! Đã ghi nhận đánh giá của bạn."


def _outcome(report, path: str, status: str) -> list[str]:
    if report is None:
        return ["không đổi", status]
    if path in report.added or path in report.updated:
        return ["đã lập chỉ mục", ""]
    for p, why in report.failed:
        if p == path:
            return ["lỗi", why]
    for p, other in report.duplicates:
        if p == path:
            return ["trùng", f"cùng nội dung với {Path(other).name}, đã có trong chỉ mục"]
    if path in report.unchanged:
        return ["không đổi", status if status != "stored" else "đã có trong chỉ mục"]
    return ["không đổi", status]


def source_to_dict(s: Source) -> dict[str, Any]:
    return asdict(s)
