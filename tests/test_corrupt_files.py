"""A table of corrupt model files, built at test time: every one must give a ModelLoadError (a ValueError) whose
message names the file, never another exception and never a crash.

Rows: random bytes, empty and truncated files, garbage headers, absurd lengths, zero and negative dimensions in
safetensors and GGUF files; and wrong types, out-of-range values and removal in every config.json field of every
supported architecture and in every GGUF metadata key. Small models are built once for the module. A changed
config.json field is first read as config only, and the full load runs only when the config it gives differs
from the original's (the same config from the same weights is the original model, which loads).
"""

import json
import os
import random
import struct
from pathlib import Path

import gguf
import pytest
from builders import byte_level_vocab, copy_gguf, gguf_fields, write_gguf_model, write_hf_model

import models
from models.io.catalogue import describe

ARCHITECTURES = ("bert", "gpt2", "llama", "mistral", "qwen2")
NULL = object()  # the field is present with the JSON value null
# JSON values of the wrong type or out of range, tried in every config.json field (None: the key is removed)
JSON_VALUES = {
    "string": "64",
    "float": 1.5,
    "bool": True,
    "list": [1],
    "object": {"a": 1},
    "null": NULL,
    "zero": 0,
    "negative": -1,
    "huge": 2**62,
    "large": 2**20,
    "nan": float("nan"),
    "missing": None,
}
V = gguf.GGUFValueType
GGUF_VALUES = {
    "string": ("64", V.STRING),
    "float": (1.5, V.FLOAT32),
    "bool": (True, V.BOOL),
    "array": ([1, 2], V.ARRAY, V.INT32),
    "zero": (0, V.UINT32),
    "negative": (-1, V.INT32),
    "huge": (2**62, V.UINT64),
    "missing": None,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corrupt")
    paths = {arch: root / f"tiny-{arch}" for arch in ARCHITECTURES}
    for arch, folder in paths.items():
        write_hf_model(folder, arch)
    paths["gguf"] = root / "tiny.gguf"
    write_gguf_model(paths["gguf"], byte_level_vocab())
    return paths


def failure(path: Path, load=None) -> str | None:
    """None when loading `path` works or fails clearly (a ValueError naming the file); else what went wrong."""
    try:
        (load or (lambda: models.load(str(path), device="cpu")))()
    except ValueError as error:  # ModelLoadError is one
        return None if path.name in str(error) else f"{path.name}: the message does not name the file: {error}"
    except Exception as error:
        return f"{path.name}: {type(error).__name__}: {error}"
    return None


def folder_like(source: Path, target: Path) -> Path:
    """A folder with the source's files linked in, so each row changes only the file it is about."""
    target.mkdir()
    for file in source.iterdir():
        (target / file.name).symlink_to(file)
    return target


def with_field(config: dict, field: str, value) -> dict:
    """config with field ("a" or "a.b" inside an object) set to value; None removes it."""
    changed = json.loads(json.dumps(config))
    *outer, key = field.split(".")
    place = changed[outer[0]] if outer else changed
    if value is None:
        place.pop(key, None)
    else:
        place[key] = None if value is NULL else value
    return changed


def config_fields(config: dict) -> list[str]:
    """Every key, and every key of an object-valued key (rope_parameters), as dotted paths."""
    fields = []
    for key, value in config.items():
        fields.append(key)
        if isinstance(value, dict):
            fields += [f"{key}.{inner}" for inner in value]
    return fields


@pytest.mark.parametrize("kind", JSON_VALUES)
@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_every_config_field_with_a_bad_value(built, tmp_path, arch, kind):
    source = built[arch]
    original = json.loads((source / "config.json").read_text())
    baseline = describe(source)
    problems, rows = [], 0
    for field in config_fields(original):
        text = json.dumps(with_field(original, field, JSON_VALUES[kind]))
        folder = tmp_path / f"{arch}-{field}-{kind}"
        folder.mkdir()
        for name in ("model.safetensors", "tokenizer.json"):
            (folder / name).symlink_to(source / name)
        (folder / "config.json").write_text(text)
        rows += 1
        problem = failure(folder / "config.json", lambda folder=folder: describe(folder))
        if problem is None:
            try:
                same = describe(folder) == baseline
            except ValueError:
                continue  # refused clearly, checked above
            problem = None if same else failure(folder)
        if problem:
            problems.append(f"{field}: {problem}")
    assert rows >= 10 and problems == []


@pytest.mark.parametrize("kind", GGUF_VALUES)
def test_every_gguf_metadata_key_with_a_bad_value(built, tmp_path, kind):
    source = built["gguf"]
    problems = []
    for key in gguf_fields(source):
        path = tmp_path / f"{key}-{kind}.gguf"
        copy_gguf(source, path, {key: GGUF_VALUES[kind]})
        problem = failure(path)
        if problem:
            problems.append(f"{key}: {problem}")
    assert problems == []


def safetensors_header(path: Path) -> tuple[dict, bytes]:
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8 : 8 + length]), raw[8 + length :]


def with_header(header: dict, data: bytes) -> bytes:
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


def safetensors_rows(source: Path) -> dict[str, bytes]:
    raw = source.read_bytes()
    header, data = safetensors_header(source)
    name = next(key for key in header if key != "__metadata__")
    rows = {
        "random": random.Random(0).randbytes(4096),
        "empty": b"",
        "seven-bytes": raw[:7],
        "half": raw[: len(raw) // 2],
        "no-data": raw[: 8 + struct.unpack("<Q", raw[:8])[0]],
        "absurd-header-length": struct.pack("<Q", 2**62) + raw[8:],
        "garbage-header": struct.pack("<Q", 64) + b"\xff" * 64 + data,
        "header-not-an-object": with_header([1, 2], data),  # type: ignore[arg-type]
    }
    for label, change in {
        "zero-dimension": {"shape": [0, *header[name]["shape"][1:]], "data_offsets": [0, 0]},
        "negative-dimension": {"shape": [-1, *header[name]["shape"][1:]]},
        "unknown-dtype": {"dtype": "Z9"},
        "offsets-past-the-end": {"data_offsets": [0, len(data) * 4]},
        "shape-as-string": {"shape": "64"},
    }.items():
        rows[label] = with_header({**header, name: {**header[name], **change}}, data)
    return rows


@pytest.mark.parametrize("arch", ["bert", "llama"])
def test_damaged_files_in_a_folder(built, tmp_path, arch):
    source = built[arch]
    rows = {
        f"model.safetensors/{label}": data for label, data in safetensors_rows(source / "model.safetensors").items()
    }
    for name in ("config.json", "tokenizer.json"):
        raw = (source / name).read_bytes()
        rows[f"{name}/random"] = random.Random(1).randbytes(2048)
        rows[f"{name}/empty"] = b""
        rows[f"{name}/half"] = raw[: len(raw) // 2]
    rows["config.json/deep-nesting"] = b"[" * 200_000
    rows["config.json/not-an-object"] = b"[1, 2, 3]"
    problems = []
    for label, data in rows.items():
        file = label.split("/")[0]
        folder = folder_like(source, tmp_path / f"{arch}-{label.replace('/', '-')}")
        (folder / file).unlink()
        (folder / file).write_bytes(data)
        problem = failure(folder)
        if problem:
            problems.append(f"{label}: {problem}")
    assert len(rows) >= 20 and problems == []


def gguf_header_rows(raw: bytes, source: Path) -> dict[str, bytes]:
    """GGUF v3: magic, u32 version, u64 tensor count, u64 key count, then keys (u64 length + bytes, u32 type)."""
    reader = gguf.GGUFReader(source)
    tensor = reader.tensors[0]
    # the tensor info: u64 name length, name, u32 n_dims, then n_dims u64 dimensions
    dims_at = tensor.field.offset + 8 + len(tensor.name.encode()) + 4
    n_dims_at = dims_at - 4

    def patch(at: int, value: bytes) -> bytes:
        return raw[:at] + value + raw[at + len(value) :]

    return {
        "random": random.Random(2).randbytes(4096),
        "empty": b"",
        "magic-only": raw[:4],
        "header-only": raw[:24],
        "truncated-in-metadata": raw[:5000],
        "truncated-in-tensors": raw[: len(raw) - 100],
        "bad-magic": b"GGUX" + raw[4:],
        "version-999": patch(4, struct.pack("<I", 999)),
        "absurd-tensor-count": patch(8, struct.pack("<Q", 2**62)),
        "absurd-key-count": patch(16, struct.pack("<Q", 2**62)),
        "absurd-key-length": patch(24, struct.pack("<Q", 2**62)),
        "zero-dimension": patch(dims_at, struct.pack("<Q", 0)),
        "negative-dimension": patch(dims_at, struct.pack("<q", -1)),
        "absurd-n-dims": patch(n_dims_at, struct.pack("<I", 2**31)),
    }


def test_damaged_gguf_files(built, tmp_path):
    source = built["gguf"]
    problems = []
    rows = gguf_header_rows(source.read_bytes(), source)
    for label, data in rows.items():
        path = tmp_path / f"{label}.gguf"
        path.write_bytes(data)
        problem = failure(path)
        if problem:
            problems.append(f"{label}: {problem}")
    assert len(rows) >= 14 and problems == []


def test_a_damaged_gguf_in_the_catalogue_is_unusable_not_fatal(built, tmp_path):
    path = tmp_path / "broken.gguf"
    path.write_bytes(os.urandom(1000))
    (entry,) = [e for e in models.catalogue([path]) if e.path == str(path)]
    assert not entry.usable and "broken.gguf" in entry.problem
