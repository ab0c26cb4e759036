"""GGUF files other than the shipped one: quantized tensors, both tokenizer families, and the weight cache."""

import numpy as np
import pytest
from builders import byte_level_vocab, sentencepiece_vocab, write_gguf_model
from reference import hf_attentions, worst_difference

import models
import models.io.loader
from models.errors import ModelLoadError, UnsupportedArchitectureError

TEXTS = ["The quick brown fox jumps over the lazy dog.", "Grouped keys, rotary positions; naïve café 42!"]


def transformers_from_gguf(path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, attn_implementation="eager")
    return model.eval(), AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)


@pytest.mark.parametrize("vocab_builder", [byte_level_vocab, sentencepiece_vocab], ids=["byte-level", "sentencepiece"])
def test_quantized_gguf_matches_transformers(tmp_path, vocab_builder):
    path = tmp_path / "tiny.gguf"
    write_gguf_model(path, vocab_builder())
    hf_model, hf_tokenizer = transformers_from_gguf(path)
    model = models.load(str(path), device="cpu")
    assert model.config.architecture == "llama" and model.config.n_kv_heads == 2
    for text in TEXTS:
        run = model.run(text)
        assert run.ids[0] == hf_tokenizer(text)["input_ids"], "tokenizer differs from transformers' GGUF reader"
        worst = worst_difference(run, hf_attentions(hf_model, run.ids))
        assert worst <= 1e-4, worst


def test_gguf_dequantizes_once_then_loads_from_cache(tmp_path, monkeypatch, fresh_weight_cache):
    path = tmp_path / "cached.gguf"
    write_gguf_model(path, byte_level_vocab())
    steps = []
    first = models.load(str(path), device="cpu", progress=lambda f, m: steps.append((f, m)))
    assert steps and steps[-1][0] == 1.0 and any("Dequantizing" in m for _, m in steps)

    def no_dequantizing(*args, **kwargs):
        raise AssertionError("the second load dequantized again")

    monkeypatch.setattr(models.io.loader, "read_gguf", no_dequantizing)
    second = models.load(str(path), device="cpu")
    for name, tensor in first.module.state_dict().items():
        assert np.array_equal(tensor.numpy(), second.module.state_dict()[name].numpy()), name
    assert first.run(TEXTS[0]).ids == second.run(TEXTS[0]).ids


def test_damaged_cache_entry_is_rebuilt(tmp_path):
    from models.io.weight_cache import entry_for

    path = tmp_path / "damaged.gguf"
    write_gguf_model(path, byte_level_vocab())
    expected = models.load(str(path), device="cpu").run(TEXTS[0]).attention(1, 3)
    (entry_for(path) / "weights.safetensors").write_bytes(b"not a safetensors file")
    rebuilt = models.load(str(path), device="cpu").run(TEXTS[0]).attention(1, 3)
    assert np.array_equal(expected, rebuilt)


def test_truncated_gguf_is_a_clear_error(tmp_path):
    path = tmp_path / "truncated.gguf"
    write_gguf_model(path, byte_level_vocab())
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(ModelLoadError, match=r"could not read the GGUF file .*download it again"):
        models.load(str(path))


def test_non_llama_gguf_names_its_architecture(tmp_path):
    import gguf

    path = tmp_path / "other.gguf"
    writer = gguf.GGUFWriter(str(path), "mamba")
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(UnsupportedArchitectureError, match=r"architecture 'mamba' is not supported"):
        models.load(str(path))
