"""Bytes of a text file -> Unicode, choosing the encoding by evidence, never by hope.

Order: byte-order marks; UTF-16 by its NUL pattern; strict UTF-8; then the
8-bit Vietnamese encodings (Windows-1258, TCVN3, VNI), each decoded and scored
by the share of its accented words that are well-formed Vietnamese syllables
(`syllable.is_syllable`). A winner must score high and clearly beat the
runner-up; otherwise we refuse rather than index mojibake.

>>> from ingest.loaders.legacy_vn import to_vni
>>> decode_text(to_vni("Ủy ban nhân dân tỉnh Bến Tre"))
('Ủy ban nhân dân tỉnh Bến Tre', 'vni')
>>> decode_text("Sở Công Thương".encode("utf-16"))
('Sở Công Thương', 'utf-16')
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable

from ingest.loaders.legacy_vn import from_tcvn3, from_vni
from ingest.loaders.syllable import is_syllable, tokens

# A legacy decoding must make at least this share of its accented words valid syllables,
# and beat the next candidate by MARGIN; real text scores > 0.95, wrong tables < 0.5.
MIN_SCORE = 0.85
MARGIN = 0.15
# Below this share of well-formed accented words, valid UTF-8 is suspected mojibake.
MIN_ACCENTED_OK = 0.5
SAMPLE_BYTES = 32768  # enough accented words to tell the encodings apart with certainty
# Control characters other than tab/newline/form feed mark binary data, not text.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


class EncodingUnknown(ValueError):
    """The bytes are not confidently any supported encoding."""

    def __init__(self) -> None:
        super().__init__(
            "cannot determine the text encoding (tried UTF-8, UTF-16, Windows-1258, TCVN3, VNI);"
            " convert it to UTF-8"
        )


def _cp1258(data: bytes) -> str:
    return data.decode("cp1258")


_LEGACY: dict[str, Callable[[bytes], str]] = {
    "cp1258": _cp1258,
    "tcvn3": from_tcvn3,
    "vni": from_vni,
}


def _controls(text: str) -> int:
    return sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS)


def vietnamese_score(text: str) -> tuple[float, int]:
    """(share of accented words that are syllables, number of accented words).

    Stray non-letter symbols in the Latin-1 range (`¸`, `·`, `§`: TCVN3 read wrongly)
    count as failures too.

    >>> vietnamese_score("Quyết định số 12")
    (1.0, 3)
    >>> vietnamese_score("QuyÕt ®Þnh")[0]
    0.0
    """
    accented = [t for t in tokens(text) if not t.isascii()]
    good = sum(1 for t in accented if is_syllable(t))
    stray = sum(1 for c in text if 0x80 <= ord(c) <= 0xFF and not c.isalpha())
    total = len(accented) + stray
    return (good / total if total else 0.0), total


def _utf16_order(data: bytes) -> str | None:
    """'utf-16-le'/'-be' when NULs sit almost only at odd/even offsets (ASCII-heavy UTF-16)."""
    sample = data[:65536]
    even, odd = sample[0::2], sample[1::2]
    n = min(len(even), len(odd))
    if n < 2:
        return None
    nul_even, nul_odd = even.count(0) / n, odd.count(0) / n
    if nul_odd > 0.2 and nul_even < 0.02:
        return "utf-16-le"
    if nul_even > 0.2 and nul_odd < 0.02:
        return "utf-16-be"
    return None


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if _controls(text) > max(2, len(text) // 1000):
        raise EncodingUnknown
    return unicodedata.normalize("NFC", text), encoding


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode `data` to NFC text; returns (text, encoding name). Raises `EncodingUnknown`."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), enc)
            except UnicodeDecodeError:
                raise EncodingUnknown from None
    order = _utf16_order(data)
    if order is not None:
        try:
            return _checked(data.decode(order), order)
        except UnicodeDecodeError:
            raise EncodingUnknown from None
    if b"\x00" in data:
        raise EncodingUnknown
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        picked = _pick_legacy(data)
        if picked is None:
            raise EncodingUnknown from None
        return _checked(*picked)
    return _checked(*(_repair_mojibake(text) or (text, "utf-8")))


def _pick_legacy(data: bytes) -> tuple[str, str] | None:
    """The one 8-bit encoding under which `data` is clearly Vietnamese, or None."""
    # Choose on a sample (cut at a line break so no VNI letter is split), decode all once.
    cut = data.rfind(b"\n", 0, SAMPLE_BYTES) if len(data) > SAMPLE_BYTES else len(data)
    sample = data[: cut if cut > 0 else SAMPLE_BYTES]
    scored = []
    for name, decode in _LEGACY.items():
        try:
            text = decode(sample)
        except UnicodeDecodeError:
            continue
        score, n = vietnamese_score(unicodedata.normalize("NFC", text))
        scored.append((score, n, name))
    scored.sort(key=lambda s: s[0], reverse=True)
    if not scored or scored[0][1] == 0 or scored[0][0] < MIN_SCORE:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
        return None
    name = scored[0][2]
    try:
        text = _LEGACY[name](data)
    except UnicodeDecodeError:  # a byte cp1258 lacks, after the sample
        return None
    return text, name


def _as_ansi_bytes(text: str) -> bytes | None:
    """Undo a cp1252/Latin-1 decoding: the bytes a mojibake string was read from."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            out.append(ord(ch))
    return bytes(out)


def _repair_mojibake(text: str) -> tuple[str, str] | None:
    """Valid UTF-8 that is not Vietnamese but becomes Vietnamese once re-read.

    Two common accidents: UTF-8 read as cp1252 and saved again ("Viá»‡t"), and
    TCVN3/VNI text "converted" to UTF-8 as if it were cp1252 ("ViÖt").
    """
    score, n = vietnamese_score(text[:SAMPLE_BYTES])
    if n < 20 or score >= MIN_ACCENTED_OK:
        return None
    raw = _as_ansi_bytes(text)
    if raw is None:
        return None
    try:
        again = raw.decode("utf-8")
        if vietnamese_score(again[:SAMPLE_BYTES])[0] >= MIN_SCORE:
            return again, "utf-8 (double-encoded, repaired)"
    except UnicodeDecodeError:
        pass
    picked = _pick_legacy(raw)
    if picked is None:
        return None
    return picked[0], f"{picked[1]} (stored as UTF-8, repaired)"
