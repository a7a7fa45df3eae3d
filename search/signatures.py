"""Who holds a title, read from the signature blocks: "Chủ tịch UBND tỉnh Bình Phước là ai?"

A signature block prints the title under which the signer signs, and for whom: "TM. ỦY
BAN NHÂN DÂN / CHỦ TỊCH / … / Trần Tuệ Hiền" is signed by the chairman himself, while
"KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Võ Đức Trọng" is signed by a vice-chairman for him. So a
title is answered only by a block whose own title is exactly the asked one, in a document
of the body the question names.

>>> text = "TM. ỦY BAN NHÂN DÂN\\nCHỦ TỊCH\\nNơi nhận:\\n- Như trên;\\n- Lưu: VT.\\nTrần Ngọc Tam"
>>> [(s.title, s.printed, s.name) for s in signature_blocks(text)]
[('chu tich', 'TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH', 'Trần Ngọc Tam')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ingest.closing import signer_after
from ingest.header_lines import (
    ROLE_TITLES,
    SIGN_PREFIX,
    fold_keep,
    is_role_line,
    is_upper_line,
    person_name,
    split_lines,
)
from ingest.text import fold_diacritics
from search.candidates import find_person_names
from search.evidence import coverage
from search.question import QuestionInfo, focus_terms, folded_words
from vanban.types import Citation, Document, Hit

# Longest first, so "phó chủ tịch" is not read as "chủ tịch".
_TITLES = sorted({f"pho {t}" for t in ROLE_TITLES} | set(ROLE_TITLES), key=len, reverse=True)
_TITLE_RE = "|".join(_TITLES)
# "Chủ tịch UBND tỉnh X là ai", "Ai là Giám đốc Sở Y tế", "Giám đốc Sở Y tế tên (là) gì".
# "người đứng đầu" asks for the head of the body, whatever the head's title.
HEAD = "nguoi dung dau"
_ASKED_RE = f"{HEAD}|{_TITLE_RE}"
_HOLDER_QUESTIONS = (
    re.compile(
        rf"^(?:ai la |ai dang la |ai hien la )?(?P<title>{_ASKED_RE}) (?P<body>.+?)"
        r" (?:la ai|ten la gi|ten gi|la ong nao|la ba nao|la nguoi nao)$"
    ),
    re.compile(rf"^(?:ai la|ai dang la|ai hien la) (?P<title>{_ASKED_RE}) (?P<body>.+)$"),
)
# "Ông Trần Ngọc Tam giữ chức vụ gì?": the title a named person signs under.
_TITLE_ASKED = re.compile(r"\b(?:chuc vu|chuc danh)\b.*\b(?:gi|nao)\b")


class Signature(NamedTuple):
    title: str  # folded: "pho chu tich"
    printed: str  # the title lines as printed: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    name: str
    start: int  # first line of the block
    name_start: int
    name_end: int


def signature_blocks(text: str) -> list[Signature]:
    """Every signature block of `text`: the title signed under and the name below it.

    A block signed for someone ("KT. CHỦ TỊCH" with no title line of its own) has the
    title "kt. chu tich", which no question's title equals.
    """
    lines = split_lines(text)
    out: list[Signature] = []
    i = 0
    while i < len(lines):
        if not is_role_line(lines[i].text):
            i += 1
            continue
        run = [i]
        j = i + 1
        # "TM. / ỦY BAN NHÂN DÂN / CHỦ TỊCH": the body signed for sits between the titles.
        while j < len(lines) and len(run) < 5:
            t = lines[j].text.strip()
            if t and not (is_role_line(t) or (is_upper_line(t) and not person_name(t))):
                break
            if t:
                run.append(j)
            j += 1
        printed = " / ".join(" ".join(re.findall(r"[\w.,]+", lines[r].text)) for r in run)
        run = [k for k in run if is_role_line(lines[k].text)]
        found = signer_after(lines, run[-1])
        if found:
            k, name = found
            line = lines[k]
            at = fold_diacritics(line.text).rfind(fold_diacritics(name.split()[0]))
            start = line.start + max(at, 0)
            title = " ".join(re.findall(r"[\w.]+", fold_keep(lines[run[-1]].text)))
            out.append(Signature(title, printed, name, lines[i].start, start, line.end))
            j = max(j, k + 1)
        i = j
    return out


def asked_title(question_words: str) -> tuple[str, str] | None:
    """(title, body words) a question asks the holder of, from its folded words.

    >>> asked_title("chu tich ubnd tinh binh phuoc la ai")
    ('chu tich', 'ubnd tinh binh phuoc')
    >>> asked_title("ai la pho giam doc so y te tay ninh")
    ('pho giam doc', 'so y te tay ninh')
    >>> asked_title("ai ky ke hoach 370") is None
    True
    """
    for pattern in _HOLDER_QUESTIONS:
        m = pattern.search(question_words)
        if m:
            return m.group("title"), m.group("body")
    return None


def is_prefixed(title: str) -> bool:
    """A title signed for someone else ("kt. chu tich", "tm. uy ban nhan dan")."""
    return bool(re.match(SIGN_PREFIX, title))


def _read_docs(hits: Sequence[Hit], docs: dict[str, Document]) -> list[Document]:
    """The first few retrieved documents, best first, each once."""
    return [docs[d] for d in list(dict.fromkeys(h.chunk.doc_id for h in hits))[:5]]


def _cite(doc: Document, a: int, b: int) -> Citation:
    section = next((s.path for s in doc.sections if s.start <= a < s.end), ())
    return Citation(doc.source, doc.doc_id, doc.meta, section, doc.text[a:b], a, b)


def holder_answer(
    info: QuestionInfo,
    hits: Sequence[Hit],
    docs: dict[str, Document],
    abbreviations: Mapping[str, str],
) -> tuple[str, float, Citation] | None:
    """(name, confidence, citation) when the question asks who holds a title the retrieved
    documents are signed under, by the body it names; None otherwise."""
    if info.kind != "person" or info.asks == "signer":
        return None
    asked = asked_title(folded_words(info.question))
    if asked is None:
        return None
    title, body = asked
    terms = focus_terms(body)
    places = [fold_diacritics(p) for p in info.places]
    if not terms and not places:
        return None  # "Chủ tịch là ai?": of which body?
    for doc in _read_docs(hits, docs):
        for sig in signature_blocks(doc.text):
            head = title == HEAD and not is_prefixed(sig.title) and not sig.title.startswith("pho ")
            if sig.title != title and not head:
                continue
            m = doc.meta
            about = f"{m.issuer or ''} {m.place or ''} {doc.text[:1500]} {doc.text[sig.start : sig.name_end]}"
            folded = fold_diacritics(about)
            if terms and coverage(terms, (), about, abbreviations) < 1.0:
                continue
            if not all(p in folded for p in places):
                continue
            a = sig.start if sig.name_end - sig.start < 400 else sig.name_start
            return sig.name, 0.85, _cite(doc, a, sig.name_end)
    return None


def title_answer(
    info: QuestionInfo, hits: Sequence[Hit], docs: dict[str, Document]
) -> tuple[str, float, Citation] | None:
    """(title as printed, confidence, citation) when the question asks the title under which
    a person it names signs ("Ông Võ Đức Trọng ký với chức danh gì?"); None otherwise."""
    if not _TITLE_ASKED.search(folded_words(info.question)):
        return None
    named = {fold_diacritics(s.text) for s in find_person_names(info.question)}
    if not named:
        return None
    for doc in _read_docs(hits, docs):
        for sig in signature_blocks(doc.text):
            named_here = any(n.endswith(fold_diacritics(sig.name)) for n in named)  # "Ông Trần …"
            if named_here and sig.name_end - sig.start <= 400:
                return sig.printed, 0.85, _cite(doc, sig.start, sig.name_end)
    return None
