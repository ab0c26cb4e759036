"""Small random checkpoints written to disk, in the formats users bring: HF folders and GGUF files."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Attention maps show which tokens each token reads from.",
    "Grouped-query attention shares keys and values between heads.",
    "Rotary position embeddings rotate queries and keys by position.",
] * 20


@lru_cache(maxsize=1)
def tiny_tokenizer_json() -> str:
    """A byte-level BPE trained on a few sentences: a real tokenizer with a vocabulary of ~400."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<pad>", "<s>", "</s>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer.to_str()


def tiny_vocab_size() -> int:
    return Tokenizer.from_str(tiny_tokenizer_json()).get_vocab_size()


def hf_config(model_type: str, **overrides):
    """A small transformers config of the family, with weights large enough to give peaked attention."""
    from transformers import BertConfig, GPT2Config, LlamaConfig, MistralConfig, Qwen2Config

    vocab = tiny_vocab_size()
    if model_type == "gpt2":
        base = dict(n_embd=64, n_layer=2, n_head=4, vocab_size=vocab, n_positions=64, initializer_range=0.3)
        cls = GPT2Config
    elif model_type == "bert":
        base = dict(
            hidden_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            intermediate_size=128,
            vocab_size=vocab,
            max_position_embeddings=64,
            initializer_range=0.3,
        )
        cls = BertConfig
    else:
        base = dict(
            hidden_size=64,
            num_hidden_layers=2,
            num_attention_heads=8,
            num_key_value_heads=2,
            intermediate_size=128,
            vocab_size=vocab,
            max_position_embeddings=128,
            initializer_range=0.3,
            tie_word_embeddings=False,
        )
        cls = {"llama": LlamaConfig, "qwen2": Qwen2Config, "mistral": MistralConfig}[model_type]
    base.update(overrides)
    return cls(**base)


def write_hf_model(folder: Path, model_type: str, shard: bool = False, **overrides):
    """Save a random model of the family with safetensors and tokenizer.json; returns the transformers model."""
    from transformers import AutoModel, AutoModelForCausalLM

    torch.manual_seed(1234)
    config = hf_config(model_type, **overrides)
    factory = AutoModel if model_type == "bert" else AutoModelForCausalLM
    model = factory.from_config(config, attn_implementation="eager").eval()
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True, **({"max_shard_size": "200KB"} if shard else {}))
    (folder / "tokenizer.json").write_text(tiny_tokenizer_json())
    return model


def rewrite_config(folder: Path, **changes) -> None:
    path = folder / "config.json"
    data = json.loads(path.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(json.dumps(data))


# llama.cpp tensor names for our HF llama layers, and which quantization each test file uses
GGUF_LAYER_NAMES = {
    "input_layernorm.weight": "attn_norm.weight",
    "self_attn.q_proj.weight": "attn_q.weight",
    "self_attn.k_proj.weight": "attn_k.weight",
    "self_attn.v_proj.weight": "attn_v.weight",
    "self_attn.o_proj.weight": "attn_output.weight",
    "post_attention_layernorm.weight": "ffn_norm.weight",
    "mlp.gate_proj.weight": "ffn_gate.weight",
    "mlp.up_proj.weight": "ffn_up.weight",
    "mlp.down_proj.weight": "ffn_down.weight",
}


def permute_for_llama_cpp(weight, n_heads: int):
    """HF rotate-half row order -> llama.cpp's interleaved order (what convert_hf_to_gguf.py does)."""
    rows, cols = weight.shape
    return weight.reshape(n_heads, 2, rows // n_heads // 2, cols).swapaxes(1, 2).reshape(rows, cols)


def byte_level_vocab() -> dict:
    data = json.loads(tiny_tokenizer_json())
    vocab = data["model"]["vocab"]
    tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    merges = [m if isinstance(m, str) else " ".join(m) for m in data["model"]["merges"]]
    types = [3 if token in ("<pad>", "<s>", "</s>") else 1 for token in tokens]
    return {"model": "gpt2", "pre": "gpt2", "tokens": tokens, "types": types, "merges": merges, "scores": None}


def sentencepiece_vocab() -> dict:
    """A SentencePiece-style vocabulary: specials, 256 byte tokens, characters and word prefixes with ▁."""
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [2, 3, 3] + [6] * 256
    pieces: list[str] = []
    for sentence in CORPUS[:4]:
        for word in sentence.replace(".", " .").split():
            word = "▁" + word
            for char in word:
                if char not in pieces:
                    pieces.append(char)
            for end in range(2, len(word) + 1):
                if word[:end] not in pieces:
                    pieces.append(word[:end])
    tokens += pieces
    types += [1] * len(pieces)
    scores = [0.0] * 259 + [-float(i) for i in range(len(pieces))]
    return {"model": "llama", "pre": None, "tokens": tokens, "types": types, "merges": None, "scores": scores}


def write_gguf_model(path: Path, vocab: dict, quantize: bool = True) -> None:
    """A random llama model as a GGUF file, laid out as llama.cpp's converter writes it.

    Projection matrices are Q8_0 or Q4_1 (alternating), norms F32, like real quantized files.
    """
    import gguf
    import numpy as np

    n_tokens = len(vocab["tokens"])
    hf = write_hf_model(path.parent / (path.stem + "-hf"), "llama", vocab_size=n_tokens)
    config = hf.config
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(config.num_hidden_layers)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_rope_dimension_count(config.hidden_size // config.num_attention_heads)
    writer.add_tokenizer_model(vocab["model"])
    if vocab["pre"]:
        writer.add_tokenizer_pre(vocab["pre"])
    writer.add_token_list(vocab["tokens"])
    writer.add_token_types(vocab["types"])
    if vocab["merges"]:
        writer.add_token_merges(vocab["merges"])
    if vocab["scores"]:
        writer.add_token_scores(vocab["scores"])
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)

    state = {k: v.detach().numpy().astype(np.float32) for k, v in hf.state_dict().items()}
    tensors = {
        "token_embd.weight": state["model.embed_tokens.weight"],
        "output_norm.weight": state["model.norm.weight"],
    }
    tensors["output.weight"] = state["lm_head.weight"]
    for i in range(config.num_hidden_layers):
        for theirs, ours in GGUF_LAYER_NAMES.items():
            weight = state[f"model.layers.{i}.{theirs}"]
            if ours == "attn_q.weight":
                weight = permute_for_llama_cpp(weight, config.num_attention_heads)
            elif ours == "attn_k.weight":
                weight = permute_for_llama_cpp(weight, config.num_key_value_heads)
            tensors[f"blk.{i}.{ours}"] = weight
    kinds = [gguf.GGMLQuantizationType.Q8_0, gguf.GGMLQuantizationType.Q4_1]
    for index, (name, weight) in enumerate(tensors.items()):
        if quantize and weight.ndim == 2:
            kind = kinds[index % 2]
            writer.add_tensor(name, gguf.quants.quantize(weight, kind), raw_dtype=kind)
        else:
            writer.add_tensor(name, weight)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def gguf_fields(path: Path) -> dict:
    """A GGUF file's metadata as {key: (value, value type, array item type or None)}, in file order."""
    return dict(_gguf_source(path, path.stat().st_mtime_ns)[0])


@lru_cache(maxsize=4)
def _gguf_source(path: Path, mtime_ns: int):
    """The file's metadata and reader, parsed once: parsing a vocabulary's arrays is the slow part of a copy."""
    import gguf

    reader = gguf.GGUFReader(path)
    fields = {}
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue  # the header's own counts, and the architecture, which GGUFWriter writes itself
        kind = field.types[0]
        sub = field.types[1] if kind == gguf.GGUFValueType.ARRAY and len(field.types) > 1 else None
        fields[key] = (field.contents(), kind, sub)
    return fields, reader


def copy_gguf(source: Path, target: Path, changes: dict | None = None, architecture: str = "llama") -> None:
    """Copy a GGUF file with some metadata changed, its tensors as they are.

    changes maps a key to (value, GGUFValueType[, array item type]) to set it, or to None to remove it.
    """
    import gguf

    fields, reader = _gguf_source(source, source.stat().st_mtime_ns)
    fields = dict(fields)
    for key, change in (changes or {}).items():
        if change is None:
            fields.pop(key, None)
        else:
            fields[key] = (*change, None)[:3]
    writer = gguf.GGUFWriter(str(target), architecture)
    for key, (value, kind, sub) in fields.items():
        writer.add_key_value(key, value, kind, sub_type=sub)
    for tensor in reader.tensors:
        writer.add_tensor_info(tensor.name, tensor.data.shape, tensor.data.dtype, tensor.n_bytes, tensor.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for tensor in reader.tensors:
        writer.write_tensor_data(tensor.data)
    writer.close()
