"""Hardening of everything that reads model files (issue 16, families 2, 3, 4 and 10).

2. Config fields are checked by type and range before anything divides by them: the error names the file, the
   field, the value and what is allowed, and a tensor that does not fit the config is named with both shapes.
3. One damaged model is listed as unusable with its reason; every other model is listed and loads.
4. Loaded weights own their memory: truncating or rewriting the files they came from cannot crash the process,
   and the GGUF weight cache is written through temporary files and atomic renames.
10. The benchmark's transformers reference is read from the same local files, never looked up on the Hub.
"""

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import gguf
import pytest
from builders import byte_level_vocab, copy_gguf, rewrite_config, write_gguf_model, write_hf_model

import models
from models.errors import ModelLoadError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Small models written once for the module: HF folders of three families and a quantized GGUF file."""
    root = tmp_path_factory.mktemp("hardening")
    paths = {family: root / f"tiny-{family}" for family in ("bert", "gpt2", "llama")}
    for family, folder in paths.items():
        write_hf_model(folder, family)
    paths["gguf"] = root / "tiny.gguf"
    write_gguf_model(paths["gguf"], byte_level_vocab())
    return paths


def variant(source: Path, target: Path, **changes) -> Path:
    """A copy of an HF folder with config.json changed (None removes a key)."""
    shutil.copytree(source, target)
    rewrite_config(target, **changes)
    return target


# -- family 2: config arithmetic before validation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "field"), [("bert", "num_attention_heads"), ("gpt2", "n_head"), ("llama", "num_attention_heads")]
)
def test_zero_heads_names_the_file_the_field_and_what_is_allowed(built, tmp_path, family, field):
    folder = variant(built[family], tmp_path / "zero-heads", **{field: 0})
    with pytest.raises(ModelLoadError) as error:
        models.load(str(folder))
    message = str(error.value)
    assert str(folder / "config.json") in message
    assert f"{field}=0 is not allowed; it must be a positive integer" in message


@pytest.mark.parametrize(("family", "field"), [("bert", "hidden_size"), ("gpt2", "n_embd"), ("llama", "hidden_size")])
def test_a_size_given_as_a_string_is_refused_by_name(built, tmp_path, family, field):
    folder = variant(built[family], tmp_path / "string-size", **{field: "64"})
    with pytest.raises(ModelLoadError, match=rf"config.json: {field}='64' is not allowed; it must be a positive"):
        models.load(str(folder))


def test_heads_that_do_not_divide_the_hidden_size_are_refused(built, tmp_path):
    folder = variant(built["bert"], tmp_path / "six-heads", num_attention_heads=6)
    with pytest.raises(ModelLoadError) as error:
        models.load(str(folder))
    assert "config.json: hidden_size=64 is not allowed with num_attention_heads=6; it must be a multiple of 6" in str(
        error.value
    )


def test_a_tensor_that_does_not_fit_the_config_is_named_with_both_shapes_in_full(built, tmp_path):
    # 4 KV heads of 8 dimensions need k_proj rows of 32; the file's k_proj has 16 (it was saved with 2).
    folder = variant(built["llama"], tmp_path / "more-kv-heads", num_key_value_heads=4)
    with pytest.raises(ModelLoadError) as error:
        models.load(str(folder))
    message = str(error.value)
    assert str(folder) in message and "blocks.0.attn.k.weight" in message
    assert "[16, 64]" in message and "[32, 64]" in message


def test_gguf_head_count_zero_names_the_file_and_the_key(built, tmp_path):
    path = tmp_path / "zero-heads.gguf"
    copy_gguf(built["gguf"], path, {"llama.attention.head_count": (0, gguf.GGUFValueType.UINT32)})
    with pytest.raises(ModelLoadError) as error:
        models.load(str(path))
    assert str(path) in str(error.value)
    assert "llama.attention.head_count=0 is not allowed; it must be a positive integer" in str(error.value)


def test_gguf_head_count_that_does_not_fit_the_tensors_names_the_tensor(built, tmp_path):
    path = tmp_path / "four-heads.gguf"
    changes = {"llama.attention.head_count": (4, gguf.GGUFValueType.UINT32)}
    changes["llama.attention.key_length"] = (8, gguf.GGUFValueType.UINT32)
    copy_gguf(built["gguf"], path, changes)
    with pytest.raises(ModelLoadError) as error:
        models.load(str(path))
    assert str(path) in str(error.value) and "blk.0.attn_q.weight" in str(error.value)
    assert "[64, 64]" in str(error.value) and "[32, 64]" in str(error.value)


# -- family 3: one damaged model takes the whole catalogue down ---------------------------------------------


def test_a_broken_snapshot_in_the_hugging_face_cache_is_listed_as_unusable(built, tmp_path, monkeypatch):
    repo = tmp_path / "hub" / "models--someone--broken"
    variant(built["llama"], repo / "snapshots" / "r1", num_attention_heads=0)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    entries = {entry.name: entry for entry in models.catalogue()}
    broken = entries["someone/broken"]
    assert not broken.usable and "num_attention_heads=0 is not allowed" in broken.problem
    assert entries["all-minilm-l6-v2"].usable and entries["smollm2-135m-instruct"].usable
    assert models.load("all-minilm-l6-v2", device="cpu").config.n_layers == 6
    with pytest.raises(ModelLoadError, match="someone/broken cannot be used: .*num_attention_heads=0"):
        models.load("someone/broken")


def test_a_damaged_added_model_does_not_stop_the_others(built, tmp_path):
    damaged = variant(built["gpt2"], tmp_path / "damaged", n_embd="64")
    good = built["bert"]
    entries = {entry.name: entry for entry in models.catalogue([damaged, good])}
    assert not entries["damaged"].usable and "n_embd='64'" in entries["damaged"].problem
    assert entries["tiny-bert"].usable and entries["tiny-bert"].n_layers == 2
    assert models.load("all-minilm-l6-v2", device="cpu", extra_paths=[damaged]).name == "all-minilm-l6-v2"
    assert models.load(str(good), device="cpu", extra_paths=[damaged]).name == "tiny-bert"


def test_a_damaged_gguf_summary_in_the_cache_is_only_a_cache_miss(built, tmp_path):
    from models.io.catalogue import describe
    from models.io.weight_cache import entry_for

    path = tmp_path / "summarized.gguf"
    shutil.copy(built["gguf"], path)
    describe(path)
    (entry_for(path) / "summary.json").write_text("[1, 2, 3]")
    (entry,) = [e for e in models.catalogue([path]) if e.path == str(path)]
    assert entry.usable and entry.n_heads == 8


def test_the_models_command_lists_unusable_entries_with_their_reason(built, tmp_path, monkeypatch, capsys):
    from explorer.cli.models_command import list_models

    repo = tmp_path / "hub" / "models--someone--broken"
    variant(built["bert"], repo / "snapshots" / "r1", hidden_size="64")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    assert list_models(type("Args", (), {"json": False})()) == 0
    out = capsys.readouterr().out
    assert "all-minilm-l6-v2" in out and "smollm2-135m-instruct" in out
    assert "someone/broken" in out and "hidden_size='64' is not allowed" in out
    assert list_models(type("Args", (), {"json": True})()) == 0
    listed = {entry["name"]: entry for entry in json.loads(capsys.readouterr().out)}
    assert listed["someone/broken"]["problem"] and listed["all-minilm-l6-v2"]["problem"] == ""


# -- family 4: weights backed by the file on disk ---------------------------------------------------------

SURVIVOR = """
import os, sys
from pathlib import Path
import models
from models.io.weight_cache import entry_for

def clobber(path):
    # Truncate, then rewrite with other bytes: every page of the old mapping is gone.
    size = path.stat().st_size
    os.truncate(path, 0)
    path.write_bytes(b"x" * (size // 3))

folder, gguf = Path(sys.argv[1]), Path(sys.argv[2])
from_folder = models.load(str(folder), device="cpu")
models.load(str(gguf), device="cpu")  # the first load writes the dequantized cache
from_cache = models.load(str(gguf), device="cpu")  # the second reads it
for file in folder.glob("*.safetensors"):
    clobber(file)
clobber(entry_for(gguf) / "weights.safetensors")
clobber(gguf)
for model in (from_folder, from_cache):
    run = model.run("The quick brown fox jumps over the lazy dog.")
    assert abs(float(run.attention(1, 1).sum(axis=-1).mean()) - 1.0) < 1e-4
print("survived")
"""


def test_loaded_weights_survive_their_files_being_truncated_and_rewritten(built, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(built["llama"], folder)
    path = tmp_path / "copy.gguf"
    shutil.copy(built["gguf"], path)
    # A subprocess: a SIGBUS there is a failed test here, not a dead test runner.
    env = {**__import__("os").environ, "ATTENTION_EXPLORER_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SURVIVOR), str(folder), str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0 and "survived" in done.stdout, (done.returncode, done.stderr[-2000:])


def test_a_cache_write_replaces_files_and_never_rewrites_one_in_place(tmp_path):
    import torch
    from builders import tiny_tokenizer_json
    from tokenizers import Tokenizer

    from models.io.weight_cache import save_entry
    from models.nn.config import TransformerConfig

    config = TransformerConfig("llama", 8, 1, 2, 2, 4, 16, 400, 32, positional="rope")
    tokenizer = Tokenizer.from_str(tiny_tokenizer_json())
    entry = tmp_path / "entry"
    save_entry(entry, config, {"w": torch.zeros(64)}, tokenizer)
    with open(entry / "weights.safetensors", "rb") as reader:  # a racing reader holds the first file
        before = (entry / "weights.safetensors").read_bytes()
        save_entry(entry, config, {"w": torch.ones(64)}, tokenizer)
        assert reader.read() == before, "the second write changed the file a reader had open"
    assert (entry / "weights.safetensors").read_bytes() != before
    assert sorted(p.name for p in entry.iterdir()) == ["config.json", "tokenizer.json", "weights.safetensors"]


def test_a_failed_cache_write_leaves_neither_a_partial_file_nor_a_temporary_one(tmp_path, monkeypatch):
    import torch
    from builders import tiny_tokenizer_json
    from tokenizers import Tokenizer

    import models.io.weight_cache as weight_cache
    from models.nn.config import TransformerConfig

    def half_written(tensors, target):
        Path(target).write_bytes(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(weight_cache, "save_file", half_written)
    config = TransformerConfig("llama", 8, 1, 2, 2, 4, 16, 400, 32, positional="rope")
    entry = tmp_path / "entry"
    weight_cache.save_entry(entry, config, {"w": torch.zeros(4)}, Tokenizer.from_str(tiny_tokenizer_json()))
    assert list(entry.iterdir()) == []


# -- family 10: benchmark with a local model ------------------------------------------------------------


def test_the_bench_reference_of_a_local_folder_is_read_from_that_folder(built, tmp_path, monkeypatch):
    from explorer.bench.reference import check_parity, load_reference

    monkeypatch.chdir(tmp_path)  # the folder's name alone must not find it
    model = models.load(str(built["llama"]), device="cpu")
    assert model.name == "tiny-llama"
    reference = load_reference(model, "cpu")
    ids = model.tokenizer.backend.encode("The quick brown fox jumps over the lazy dog.").ids
    assert check_parity(model, reference, ids) <= 1e-4


def test_the_bench_reference_of_an_unknown_name_is_refused_without_the_hub(tmp_path, monkeypatch):
    from explorer.bench.reference import load_reference

    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="tiny-llama is neither a model in the catalogue nor a path to one"):
        load_reference("tiny-llama", "cpu")
