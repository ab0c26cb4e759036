"""One converter registry keyed by (format, architecture); Hugging Face folders and GGUF files both go through it."""

import ast
from pathlib import Path

import pytest
from builders import byte_level_vocab, write_gguf_model, write_hf_model

import models
import models.convert
from models.convert import (
    CONVERTERS,
    GGUF,
    SAFETENSORS,
    Converter,
    bert,
    converter,
    gemma3,
    gguf_llama,
    gpt2,
    llama,
)
from models.errors import UnsupportedArchitectureError

ROOT = Path(__file__).resolve().parent.parent


def test_registry_pairs_and_their_functions():
    assert set(CONVERTERS) == {
        ("safetensors", "bert"),
        ("safetensors", "gpt2"),
        ("safetensors", "llama"),
        ("safetensors", "mistral"),
        ("safetensors", "qwen2"),
        ("gguf", "llama"),
        ("gguf", "gemma3"),
    }
    assert converter(SAFETENSORS, "bert") == Converter(bert.config_from_hf, bert.convert)
    assert converter(SAFETENSORS, "gpt2") == Converter(gpt2.config_from_hf, gpt2.convert)
    for family in ("llama", "mistral", "qwen2"):
        assert converter(SAFETENSORS, family) == Converter(llama.config_from_hf, llama.convert)
    assert converter(GGUF, "llama") == Converter(gguf_llama.config_from_metadata, gguf_llama.convert)
    assert converter(GGUF, "gemma3") == Converter(gemma3.config_from_metadata, gemma3.convert)


@pytest.mark.parametrize(("format_", "architecture"), [("gguf", "bert"), ("safetensors", "t5"), ("safetensors", None)])
def test_lookup_of_an_unsupported_pair_names_every_supported_one(format_, architecture):
    with pytest.raises(UnsupportedArchitectureError) as error:
        converter(format_, architecture)
    message = str(error.value)
    assert f"architecture '{architecture}' is not supported in {format_} files" in message
    for pair in ("safetensors/bert", "safetensors/gpt2", "safetensors/llama", "safetensors/qwen2", "gguf/llama"):
        assert pair in message


def test_no_reader_imports_an_architecture_module_directly():
    architectures = {"bert", "gpt2", "llama", "gguf_llama", "gemma3"}
    offenders = []
    for path in [*(ROOT / "models" / "io").glob("*.py"), *(ROOT / "models" / "runtime").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                named = {alias.name for alias in node.names}
                if parts[:2] == ["models", "convert"] and (set(parts[2:]) | named) & architectures:
                    offenders.append(f"{path.name}: from {node.module} import {', '.join(sorted(named))}")
    assert offenders == []


def spy_on(monkeypatch, key) -> list[str]:
    """Replace one registry entry with a wrapper that records which of its functions the loader called."""
    calls: list[str] = []
    real = CONVERTERS[key]

    def config(meta):
        calls.append("config")
        return real.config(meta)

    def convert(tensors, config):
        calls.append("convert")
        return real.convert(tensors, config)

    monkeypatch.setitem(CONVERTERS, key, Converter(config, convert))
    return calls


def test_a_hugging_face_folder_is_converted_through_the_registry(tmp_path, monkeypatch):
    write_hf_model(tmp_path / "gpt2", "gpt2")
    calls = spy_on(monkeypatch, (SAFETENSORS, "gpt2"))
    model = models.load(str(tmp_path / "gpt2"), device="cpu")
    assert "config" in calls and calls[-1] == "convert"
    assert model.config.architecture == "gpt2"


def test_a_gguf_file_is_converted_through_the_registry(tmp_path, monkeypatch, fresh_weight_cache):
    path = tmp_path / "tiny.gguf"
    write_gguf_model(path, byte_level_vocab(), quantize=False)
    calls = spy_on(monkeypatch, (GGUF, "llama"))
    model = models.load(str(path), device="cpu")
    assert "config" in calls and calls[-1] == "convert" and calls.count("convert") == 1
    assert model.config.architecture == "llama" and model.config.n_kv_heads == 2


def test_a_gguf_architecture_missing_from_the_registry_is_refused(tmp_path, monkeypatch, fresh_weight_cache):
    path = tmp_path / "tiny.gguf"
    write_gguf_model(path, byte_level_vocab(), quantize=False)
    monkeypatch.delitem(CONVERTERS, (GGUF, "llama"))
    with pytest.raises(UnsupportedArchitectureError, match=r"tiny.gguf: architecture 'llama' is not supported in gguf"):
        models.load(str(path), device="cpu")
