"""OCR with Tesseract (`vie` model): PDF pages and image files, pages in parallel.

Each page is one subprocess chain (render with `pdftoppm`, recognise with
`tesseract`), so threads suffice for parallelism; `OMP_THREAD_LIMIT=1` stops
each tesseract from fighting its siblings for the same cores. Pages are
rendered as uncompressed grayscale PGM: PNG compression of a 300-dpi page
costs more than recognising it.

Example (needs the engine, so not a doctest):
`ocr_pdf_pages("scan.pdf", [1, 2])` -> `{1: "ỦY BAN NHÂN DÂN ...", 2: "..."}`.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vanban.errors import IngestError

DPI = 300
PSM = 3  # automatic page segmentation; psm 6 measured in scripts/bench_ocr.py --psm 6
LANG = "vie"
_FIX = "install tesseract-ocr and tesseract-ocr-vie (bash scripts/setup.sh)"


@functools.cache
def _engine_problem() -> str | None:
    """Why OCR cannot run here, or None. Cached: the answer does not change within a run."""
    if shutil.which("tesseract") is None:
        return f"OCR engine missing: {_FIX}"
    try:
        out = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as e:
        return f"OCR engine missing: tesseract does not run ({e}); {_FIX}"
    langs = set((out.stdout + out.stderr).split())
    if LANG not in langs:
        return f"OCR engine missing: tesseract has no '{LANG}' language data; {_FIX}"
    return None


def require_engine(path: str | Path) -> None:
    """Raise IngestError naming the fix when tesseract or its Vietnamese model is missing."""
    problem = _engine_problem()
    if problem is not None:
        raise IngestError(str(path), problem)


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract(image: Path, source: str | Path, psm: int) -> str:
    cmd = ["tesseract", str(image), "stdout", "-l", LANG, "--psm", str(psm), "--dpi", str(DPI)]
    proc = subprocess.run(cmd, capture_output=True, env=_env(), check=False)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise IngestError(str(source), f"OCR failed on {image.name}: {err[0]}")
    return proc.stdout.decode("utf-8", "replace")


def _render(pdf: Path, page: int, out_dir: Path) -> Path:
    """Render one page (1-based) to a grayscale PGM; pdftoppm when present, else pypdfium2."""
    prefix = out_dir / f"p{page}"
    if shutil.which("pdftoppm"):
        cmd = ["pdftoppm", "-r", str(DPI), "-gray", "-f", str(page), "-l", str(page)]
        proc = subprocess.run(
            [*cmd, "-singlefile", str(pdf), str(prefix)], capture_output=True, check=False
        )
        if proc.returncode != 0:
            msg = proc.stderr.decode("utf-8", "replace").strip()
            raise IngestError(str(pdf), f"cannot render page {page} for OCR ({msg})")
        return prefix.with_suffix(".pgm")
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        image = doc[page - 1].render(scale=DPI / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    image.save(prefix.with_suffix(".pgm"))
    return prefix.with_suffix(".pgm")


def _workers(requested: int | None, jobs: int) -> int:
    return max(1, min(jobs, requested or os.cpu_count() or 1))


def ocr_pdf_pages(
    pdf: str | Path, pages: list[int], *, workers: int | None = None, psm: int = PSM
) -> dict[int, str]:
    """OCR the given 1-based pages of a PDF: `{page: text}`. Raises IngestError."""
    if not pages:
        return {}
    require_engine(pdf)
    pdf = Path(pdf)
    with tempfile.TemporaryDirectory(prefix="vanban-ocr-") as tmp:

        def one(page: int) -> str:
            image = _render(pdf, page, Path(tmp))
            try:
                return _tesseract(image, pdf, psm)
            finally:
                image.unlink(missing_ok=True)  # 300-dpi pages are ~9 MB each

        use_pdfium = shutil.which("pdftoppm") is None  # pdfium is not thread-safe
        n = 1 if use_pdfium else _workers(workers, len(pages))
        with ThreadPoolExecutor(max_workers=n) as pool:
            texts = list(_progress(pool.map(one, pages), len(pages), pdf.name))
    return dict(zip(pages, texts, strict=True))


def _progress(results, total: int, name: str):
    """A progress bar with ETA on stderr for scans of several pages (OCR is the slow step)."""
    if total < 3:
        return results
    from tqdm import tqdm

    return tqdm(results, total=total, desc=f"OCR {name}", unit="page", leave=False, file=sys.stderr)


def ocr_image(path: str | Path, *, psm: int = PSM) -> list[str]:
    """OCR an image file (PNG, JPEG, TIFF incl. multi-page): one text per page."""
    require_engine(path)
    text = _tesseract(Path(path), path, psm)
    # tesseract ends every page with a form feed; a multi-page TIFF yields several.
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages = pages[:-1]
    return pages
