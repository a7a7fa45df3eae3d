"""Pre-Unicode Vietnamese font encodings, TCVN3 (ABC) and VNI-Windows, both ways.

Both are 8-bit "font hacks": the bytes are ordinary Windows-1252 bytes that a
special font draws as Vietnamese letters, so we read the file as Latin-1 and
map characters.

* TCVN3 (ABC, fonts `.VnTime`): one byte per precomposed lower-case letter.
  Upper case exists only for Ă Â Ê Ô Ơ Ư Đ; other capitals are typed with the
  same lower-case codes in a capitals-only font (`.VnTimeH`). `from_tcvn3`
  therefore upper-cases such a letter inside a word whose other letters are
  capitals ("VIÖT" -> "VIỆT"). Limitation: a toned capital alone in its word
  or in a mixed-case word ("Ở", "Ấp") comes back lower-case; `to_tcvn3` writes
  toned capitals with the lower-case code, like the H font.
* VNI-Windows: base letter followed by one diacritic byte (`a` + `ù` = á,
  `e` + `ä` = ệ); ơ, ư, đ and the toned i/ỵ are single bytes.

>>> to_tcvn3("Quyết định").decode("latin-1")
'QuyÕt ®Þnh'
>>> from_tcvn3("Céng hoµ x· héi".encode("latin-1"))
'Cộng hoà xã hội'
>>> to_vni("Việt Nam").decode("latin-1")
'Vieät Nam'
>>> from_vni(to_vni("Đường Ấp Bắc"))
'Đường Ấp Bắc'
>>> list(to_cp1258("Việt"))  # ê precomposed (0xEA), dot below as a combining mark (0xF2)
[86, 105, 234, 242, 116]
"""

from __future__ import annotations

import re
import unicodedata


def _ansi(data: bytes) -> str:
    """Windows-1252 where it defines a character (quotes, dashes), Latin-1 elsewhere."""
    return "".join(
        bytes([b]).decode("cp1252", errors="replace") if 0x80 <= b < 0xA0 else chr(b) for b in data
    ).replace("\ufffd", "?")


def _ansi_byte(ch: str, table: dict[str, str], name: str) -> str:
    """The one-byte character that stands for `ch` in a file, unless the font reuses it."""
    try:
        code = ch.encode("cp1252")
    except UnicodeEncodeError:
        code = b""
    seq = code.decode("latin-1")
    if len(seq) != 1 or seq in table:
        raise ValueError(f"character {ch!r} has no {name} code")
    return seq


# --- TCVN3 ------------------------------------------------------------------
_TCVN3_LETTERS = (
    "ĂÂÊÔƠƯĐ", range(0xA1, 0xA8),
    "ăâêôơưđ", range(0xA8, 0xAF),
    "àảãáạ", range(0xB5, 0xBA),
    "ằẳẵắ", range(0xBB, 0xBF),
    "ặầẩẫấậèẻẽéẹềểễếệìỉ", [0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8],
    "ĩíịòỏõóọồổỗốộờởỡớợù", [0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF],
    "ủũúụừửữứựỳỷỹýỵ", range(0xF1, 0xFF),
)  # fmt: skip
TCVN3_DECODE: dict[str, str] = {}
for _letters, _codes in zip(_TCVN3_LETTERS[::2], _TCVN3_LETTERS[1::2], strict=True):
    for _letter, _code in zip(_letters, _codes, strict=True):
        TCVN3_DECODE[chr(_code)] = _letter
TCVN3_ENCODE: dict[str, str] = {v: k for k, v in TCVN3_DECODE.items()}
_WORD = re.compile(r"[^\W\d_]+")


def from_tcvn3(data: bytes) -> str:
    """Decode TCVN3 (ABC) bytes to NFC Unicode, restoring capitals of `.VnTimeH` runs."""
    text = "".join(TCVN3_DECODE.get(ch, ch) for ch in _ansi(data))
    return "".join(_restore_caps(line) for line in text.splitlines(keepends=True))


# Letters whose case TCVN3 records; its toned letters only have a lower-case code.
_CASED = set("ĂÂÊÔƠƯĐăâêôơưđ")


def _known_case(s: str) -> list[str]:
    return [c for c in s if c.isalpha() and (c.isascii() or c in _CASED)]


def _caps_word(word: str) -> bool:
    """No known lower case and a known capital after the first letter: 'HO¹CH', 'ñY', not 'Kõ'."""
    known = _known_case(word)
    return all(c.isupper() for c in known) and any(c.isupper() for c in _known_case(word[1:]))


def _restore_caps(line: str) -> str:
    words = _WORD.findall(line)
    caps = [w for w in words if _caps_word(w)]
    # A whole line typed in the caps font ("KÕ HO¹CH") also fixes its one-letter-known words.
    if all(c.isupper() for c in _known_case(line)) and any(not w.isupper() for w in caps):
        return line.upper()
    return _WORD.sub(lambda m: m.group(0).upper() if _caps_word(m.group(0)) else m.group(0), line)


def to_tcvn3(text: str) -> bytes:
    """Encode Unicode as TCVN3 bytes; raises ValueError naming a character it cannot hold."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        elif ch.lower() in TCVN3_ENCODE:  # toned capital: lower-case code, as the H font does
            out.append(TCVN3_ENCODE[ch.lower()])
        else:
            out.append(_ansi_byte(ch, TCVN3_DECODE, "TCVN3"))
    return "".join(out).encode("latin-1")


# --- VNI-Windows --------------------------------------------------------------
# Diacritic byte (lower-case form) for each mark; capitals use the upper-case byte.
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRC_TONE = {
    "": "â",
    "\u0301": "á",
    "\u0300": "à",
    "\u0309": "å",
    "\u0303": "ã",
    "\u0323": "ä",
}
_VNI_BREVE_TONE = {
    "": "ê",
    "\u0301": "é",
    "\u0300": "è",
    "\u0309": "ú",
    "\u0303": "ü",
    "\u0323": "ë",
}
# Letters VNI writes as one byte (lower case; upper case is the byte's capital).
_VNI_SINGLE = {
    "ơ": "ô",
    "ư": "ö",
    "đ": "ñ",
    "í": "í",
    "ì": "ì",
    "ỉ": "æ",
    "ĩ": "ó",
    "ị": "ò",
    "ỵ": "î",
}


def _vni_table() -> dict[str, str]:
    """Unicode letter -> VNI character sequence, both cases."""
    table: dict[str, str] = {}

    def add(letter: str, seq: str) -> None:
        table[unicodedata.normalize("NFC", letter)] = seq
        table[unicodedata.normalize("NFC", letter).upper()] = seq.upper()

    for base in "aeouy":
        for tone, mark in _VNI_TONE.items():
            add(base + tone, base + mark)
    for base in "aeo":
        for tone, mark in _VNI_CIRC_TONE.items():
            add(base + "\u0302" + tone, base + mark)
    for tone, mark in _VNI_BREVE_TONE.items():
        add("a\u0306" + tone, "a" + mark)
    for letter, byte in _VNI_SINGLE.items():
        add(letter, byte)
    for base, byte in (("ơ", "ô"), ("ư", "ö")):
        for tone, mark in _VNI_TONE.items():
            add(base + tone, byte + mark)
    return table


VNI_ENCODE: dict[str, str] = _vni_table()
VNI_DECODE: dict[str, str] = {v: k for k, v in VNI_ENCODE.items()}
_VNI_BYTES = {c: c for seq in VNI_DECODE for c in seq if not c.isascii()}
_VNI_SEQ = re.compile("|".join(sorted(map(re.escape, VNI_DECODE), key=len, reverse=True)))


def from_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to NFC Unicode (longest sequence first: `oâ` before `ô`)."""
    return _VNI_SEQ.sub(lambda m: VNI_DECODE[m.group(0)], _ansi(data))


def to_vni(text: str) -> bytes:
    """Encode Unicode as VNI-Windows bytes; raises ValueError naming a character it cannot hold."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in VNI_ENCODE:
            out.append(VNI_ENCODE[ch])
        else:
            out.append(_ansi_byte(ch, _VNI_BYTES, "VNI"))
    return "".join(out).encode("latin-1")


# --- Windows-1258 ---------------------------------------------------------------
def to_cp1258(text: str) -> bytes:
    """Encode like Windows does: precomposed where cp1258 has the letter, else base + tone mark.

    Decoding is Python's own `cp1258` codec followed by NFC.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        marks = "".join(c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in marks))
        try:
            out += base.encode("cp1258") + marks.encode("cp1258")
        except UnicodeEncodeError:
            raise ValueError(f"character {ch!r} has no Windows-1258 code") from None
    return bytes(out)
