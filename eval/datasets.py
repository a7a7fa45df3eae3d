"""Evaluation datasets: a corpus folder plus questions with gold passages and answers.

A dataset is a folder holding `dataset.json` (name, corpus, thresholds,
description) and `questions.jsonl` (one question per line); see eval/README.md.
`load_dataset` validates everything and names the file and line of any problem,
because a silently skipped question makes a score lie.

>>> ds = load_dataset("sample")
>>> ds.name, len(ds.questions) >= 80
('sample', True)
>>> ds.by_id("seed004-signer").answer.any
('Trần Ngọc Tam',)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vanban.errors import VanbanError
from vanban.paths import shared_dir

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("agency", "date", "number", "person", "document", "list", "open", "none")
SPLITS = ("dev", "test")
_QUESTION_KEYS = {"id", "question", "gold", "answer", "kind", "tags", "split", "note"}
_REQUIRED_KEYS = _QUESTION_KEYS - {"note"}


class DatasetError(VanbanError):
    """A dataset folder, dataset.json or questions.jsonl is missing or malformed."""


@dataclass(frozen=True)
class Gold:
    """One gold passage: a file of the corpus and the heading of its section (None = whole file)."""

    source: str  # path relative to the corpus folder, e.g. "004_393fa8954b947a4a.txt"
    section: str | None = None  # heading line as printed, wraps joined: "6. Sở Công Thương"


@dataclass(frozen=True)
class AnswerSpec:
    """What counts as a right answer; exactly one form is used.

    `any`: alternatives, one of which must be contained in the predicted answer;
    `all`: items that must all be present, each item a tuple of alternatives;
    `abstain`: the documents do not say, the system should answer nothing.

    >>> AnswerSpec.from_json({"all": ["Chợ Gạo", ["Gò Công Đông", "Gò Công"]]}).all
    (('Chợ Gạo',), ('Gò Công Đông', 'Gò Công'))
    """

    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    abstain: bool = False

    @classmethod
    def from_json(cls, value: Any) -> AnswerSpec:
        """Parse `{"any": [...]}`, `{"all": [...]}` or `{"abstain": true}`; ValueError names the problem."""
        if not isinstance(value, dict) or len(value) != 1:
            raise ValueError(
                'answer must be one of {"any": [...]}, {"all": [...]}, {"abstain": true}'
            )
        ((form, items),) = value.items()
        if form == "abstain":
            if items is not True:
                raise ValueError('"abstain" must be true')
            return cls(abstain=True)
        if form not in ("any", "all") or not isinstance(items, list) or not items:
            raise ValueError(f'answer "{form}" must be "any" or "all" with a non-empty list')
        if form == "any":
            return cls(any=tuple(_text(x, "answer alternative") for x in items))
        return cls(all=tuple(_alternatives(x) for x in items))


@dataclass(frozen=True)
class Question:
    """One evaluation question with its gold passages, expected answer and labels."""

    id: str
    question: str
    gold: tuple[Gold, ...]
    answer: AnswerSpec
    kind: str  # one of KINDS
    tags: tuple[str, ...] = ()
    split: str = "dev"
    note: str | None = None  # why the answer is what it is, when not obvious


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset: where its corpus is, its questions and its pass thresholds."""

    name: str
    root: Path  # the dataset folder
    corpus: Path  # absolute folder of corpus files
    questions: tuple[Question, ...]
    thresholds: dict[str, dict[str, float]]  # {"hybrid": {"recall@5_section": 0.9}}
    description: str = ""

    def split(self, name: str) -> tuple[Question, ...]:
        """Questions of one split ("dev" or "test")."""
        if name not in SPLITS:
            raise ValueError(f"unknown split {name!r}; use one of {', '.join(SPLITS)}")
        return tuple(q for q in self.questions if q.split == name)

    def by_id(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(f"no question {qid!r} in dataset {self.name!r}")

    def source_path(self, gold: Gold) -> Path:
        """Absolute path of a gold source file."""
        return self.corpus / gold.source


def available_datasets() -> list[str]:
    """Names of the bundled datasets under eval/data/."""
    return sorted(p.name for p in DATA_DIR.iterdir() if (p / "dataset.json").is_file())


def resolve_dataset_dir(name_or_path: str | Path) -> Path:
    """A bundled name ("sample") or a folder containing dataset.json."""
    text = str(name_or_path)
    candidates = [DATA_DIR / text] if "/" not in text and "\\" not in text else []
    candidates.append(Path(text).expanduser())
    for cand in candidates:
        if (cand / "dataset.json").is_file():
            return cand.resolve()
    known = ", ".join(available_datasets()) or "none"
    raise DatasetError(
        f"unknown dataset {text!r}: not a bundled name (known: {known}) and not a folder "
        "with dataset.json; pass a bundled name or the path of a dataset folder"
    )


def resolve_corpus(spec: str, root: Path) -> Path:
    """Corpus folder from dataset.json: relative to the dataset folder, absolute, or ${SHARED}/..."""
    if spec.startswith("${SHARED}"):
        shared = shared_dir()
        if shared is None:
            raise DatasetError(
                f"{root / 'dataset.json'}: corpus {spec!r} needs the shared data folder, which is "
                "absent; put it beside the checkout as ../shared or set VANBAN_SHARED"
            )
        return (shared / spec[len("${SHARED}") :].lstrip("/")).resolve()
    path = Path(spec).expanduser()
    return (path if path.is_absolute() else root / path).resolve()


def load_dataset(name_or_path: str | Path) -> Dataset:
    """Load and validate a dataset folder; every problem names its file (and line)."""
    root = resolve_dataset_dir(name_or_path)
    meta_path = root / "dataset.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{meta_path}: cannot read JSON ({exc}); fix the file") from exc
    if not isinstance(meta, dict) or not isinstance(meta.get("corpus"), str):
        raise DatasetError(f'{meta_path}: needs an object with a "corpus" folder path')
    corpus = resolve_corpus(meta["corpus"], root)
    if not corpus.is_dir():
        raise DatasetError(f'{meta_path}: corpus folder {corpus} does not exist; fix "corpus"')
    thresholds = _thresholds(meta.get("thresholds", {}), meta_path)
    questions = _load_questions(root / "questions.jsonl", corpus)
    return Dataset(
        name=str(meta.get("name", root.name)),
        root=root,
        corpus=corpus,
        questions=questions,
        thresholds=thresholds,
        description=str(meta.get("description", "")),
    )


def _thresholds(value: Any, path: Path) -> dict[str, dict[str, float]]:
    ok = isinstance(value, dict) and all(
        isinstance(m, dict) and all(isinstance(v, int | float) for v in m.values())
        for m in value.values()
    )
    if not ok:
        raise DatasetError(f'{path}: "thresholds" must map system -> {{metric: number}}')
    return {system: {k: float(v) for k, v in m.items()} for system, m in value.items()}


def _load_questions(path: Path, corpus: Path) -> tuple[Question, ...]:
    if not path.is_file():
        raise DatasetError(f"{path}: missing; a dataset needs questions.jsonl beside dataset.json")
    out: list[Question] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = parse_question(json.loads(line))
        except (json.JSONDecodeError, ValueError) as exc:
            raise DatasetError(f"{path}:{lineno}: {exc}") from exc
        if q.id in seen:
            raise DatasetError(f"{path}:{lineno}: duplicate id {q.id!r}; ids must be unique")
        for g in q.gold:
            if not (corpus / g.source).is_file():
                raise DatasetError(
                    f"{path}:{lineno}: gold source {g.source!r} not found in corpus {corpus}"
                )
        seen.add(q.id)
        out.append(q)
    if not out:
        raise DatasetError(f"{path}: no questions")
    return tuple(out)


def parse_question(obj: Any) -> Question:
    """Validate one questions.jsonl record; ValueError says which field is wrong.

    >>> parse_question({"id": "q1", "question": "Ai ký?", "gold": [], "kind": "none",
    ...     "answer": {"abstain": True}, "tags": [], "split": "dev"}).answer.abstain
    True
    """
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    missing = _REQUIRED_KEYS - obj.keys()
    unknown = obj.keys() - _QUESTION_KEYS
    if missing or unknown:
        raise ValueError(f"missing keys {sorted(missing)}, unknown keys {sorted(unknown)}")
    qid = _text(obj["id"], "id")
    if obj["kind"] not in KINDS:
        raise ValueError(f"{qid}: kind {obj['kind']!r} is not one of {', '.join(KINDS)}")
    if obj["split"] not in SPLITS:
        raise ValueError(f"{qid}: split {obj['split']!r} is not one of {', '.join(SPLITS)}")
    if not isinstance(obj["tags"], list) or not all(isinstance(t, str) for t in obj["tags"]):
        raise ValueError(f"{qid}: tags must be a list of strings")
    if not isinstance(obj["gold"], list):
        raise ValueError(f"{qid}: gold must be a list")
    gold = tuple(_gold(g, qid) for g in obj["gold"])
    try:
        answer = AnswerSpec.from_json(obj["answer"])
    except ValueError as exc:
        raise ValueError(f"{qid}: {exc}") from exc
    # Unanswerable questions are exactly those of kind "none", and they cite nothing.
    if answer.abstain != (obj["kind"] == "none"):
        raise ValueError(f'{qid}: kind "none" and answer {{"abstain": true}} go together')
    if answer.abstain == bool(gold):
        raise ValueError(f"{qid}: gold must be empty exactly when the answer is abstain")
    note = obj.get("note")
    return Question(
        id=qid,
        question=_text(obj["question"], "question"),
        gold=gold,
        answer=answer,
        kind=obj["kind"],
        tags=tuple(obj["tags"]),
        split=obj["split"],
        note=None if note is None else _text(note, "note"),
    )


def _gold(value: Any, qid: str) -> Gold:
    if not isinstance(value, dict) or set(value) != {"source", "section"}:
        raise ValueError(f'{qid}: gold items are {{"source": path, "section": heading or null}}')
    section = value["section"]
    if section is not None:
        section = _text(section, "gold section")
    return Gold(source=_text(value["source"], "gold source"), section=section)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


def _alternatives(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and value:
        return tuple(_text(x, "answer item") for x in value)
    return (_text(value, "answer item"),)
