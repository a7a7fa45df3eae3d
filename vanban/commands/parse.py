"""`vanban parse PATH... [--json]`: show what ingestion makes of files."""

from __future__ import annotations

import json
import sys

import click

from vanban.types import Parsed, to_dict


def parsed_to_json(p: Parsed) -> dict:
    """The stable JSON shape of `vanban parse --json` (later tooling relies on it)."""
    d, m = p.document, p.document.meta
    return {
        "source": d.source,
        "doc_id": d.doc_id,
        **to_dict(m),
        "pages": d.pages,
        "ocr_pages": d.ocr_pages,
        "warnings": list(d.warnings),
        "sections": [{"path": list(s.path), "start": s.start, "end": s.end} for s in d.sections],
        "chunks": [
            {"id": c.id, "section": list(c.section), "text": c.text, "start": c.start, "end": c.end}
            for c in p.chunks
        ],
    }


def _summary(p: Parsed) -> str:
    d, m = p.document, p.document.meta
    head = " ".join(x for x in (m.doc_type, m.number) if x) or "(không rõ loại/số)"
    lines = [
        f"{d.source} [{d.doc_id}] {head}",
        f"  ngày: {m.date or '-'}  nơi: {m.place or '-'}  cơ quan: {m.issuer or '-'}  ký: {m.signer or '-'}",
        f"  trích yếu: {m.subject or '-'}",
        f"  {len(d.sections)} mục, {len(p.chunks)} đoạn"
        + (f", {d.pages} trang ({d.ocr_pages} OCR)" if d.pages else ""),
    ]
    lines += [f"  ! {w}" for w in d.warnings]
    return "\n".join(lines)


@click.command("parse")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document per line.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any file fails.")
@click.option(
    "--workers", type=int, default=None, help="OCR worker processes (default: all cores)."
)
def parse_cmd(paths: tuple[str, ...], as_json: bool, strict: bool, workers: int | None) -> None:
    """Parse files or folders (recursively) into documents, sections and chunks."""
    from ingest.files import iter_files, missing_paths
    from ingest.pipeline import parse_file
    from vanban.errors import IngestError

    failed: list[str] = list(missing_paths(paths))
    for f in failed:
        click.echo(f"error: {f}: no such file or folder", err=True)
    n_docs = n_files = 0
    for path in iter_files(p for p in paths if p not in failed):
        n_files += 1
        try:
            parsed = parse_file(path, ocr_workers=workers)
        except IngestError as e:
            failed.append(str(path))
            click.echo(f"error: {e}", err=True)
            continue
        for p in parsed:
            n_docs += 1
            if as_json:
                sys.stdout.write(json.dumps(parsed_to_json(p), ensure_ascii=False) + "\n")
            else:
                click.echo(_summary(p))
    n_all = n_files + len(missing_paths(paths))
    click.echo(f"{n_docs} documents from {n_all} files, {len(failed)} failed", err=True)
    if failed and (strict or len(failed) == n_all):
        sys.exit(1)
