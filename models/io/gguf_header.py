"""A GGUF file's header without its vocabulary: the key/values, each array's length and the tensor names, fast.

gguf's GGUFReader parses every element of every array into Python objects, which for Gemma 3's 262,144-token
vocabulary (three arrays) takes about 20 seconds. The catalogue only needs a model's config: the scalar keys, the
vocabulary's length and whether the file has an output.weight. This reads those from the header (the layout of
the GGUF specification, versions 2 and 3), stepping over long arrays without decoding them.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

from models.errors import ModelLoadError

MAGIC = b"GGUF"
# GGUFValueType -> struct format of one value (STRING = 8 and ARRAY = 9 are read apart)
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
STRING, ARRAY = 8, 9
SMALL_ARRAY = 64  # arrays up to this long are decoded (as GGUFReader-based scalar_metadata keeps them)


@dataclass(frozen=True)
class GGUFHeader:
    metadata: dict[str, object]  # every key except arrays longer than SMALL_ARRAY
    array_lengths: dict[str, int]  # every array's element count, by key
    tensor_names: list[str]


class _Cursor:
    def __init__(self, data, path: Path):
        self.data, self.at, self.path = data, 0, path

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            raise ModelLoadError(f"could not read the GGUF file {self.path}: it ends inside its header; download again")
        (value,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return value

    def string(self) -> str:
        length = self.take("<Q")
        if self.at + length > len(self.data):
            raise ModelLoadError(f"could not read the GGUF file {self.path}: a string runs past its end; re-download")
        text = bytes(self.data[self.at : self.at + length]).decode("utf-8", errors="replace")
        self.at += length
        return text

    def skip_strings(self, count: int) -> None:
        for _ in range(count):
            length = self.take("<Q")  # read first: `self.at += self.take(...)` would add to the old position
            self.at += length

    def value(self, kind: int):
        if kind == STRING:
            return self.string()
        if kind not in SCALARS:
            raise ModelLoadError(f"could not read the GGUF file {self.path}: unknown value type {kind}; it is damaged")
        return self.take(SCALARS[kind])


def read_header(path: Path) -> GGUFHeader:
    """The header of a GGUF file; a damaged or foreign file is a ModelLoadError naming it."""
    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _parse(_Cursor(data, path))
    except ModelLoadError:
        raise
    except (OSError, ValueError) as error:  # an empty file cannot be mapped; a directory cannot be opened
        raise ModelLoadError(f"could not read the GGUF file {path}: {error}. Download it again") from None


def _parse(cursor: _Cursor) -> GGUFHeader:
    if bytes(cursor.data[:4]) != MAGIC:
        raise ModelLoadError(f"could not read the GGUF file {cursor.path}: it does not start with GGUF")
    cursor.at = 4
    version = cursor.take("<I")
    if version not in (2, 3):
        raise ModelLoadError(f"could not read the GGUF file {cursor.path}: version {version} is not supported (2, 3)")
    n_tensors, n_keys = cursor.take("<Q"), cursor.take("<Q")
    # GGUFReader lists the header's own fields under these names too
    metadata: dict[str, object] = {"GGUF.version": version, "GGUF.tensor_count": n_tensors, "GGUF.kv_count": n_keys}
    lengths: dict[str, int] = {}
    for _ in range(n_keys):
        key, kind = cursor.string(), cursor.take("<I")
        if kind != ARRAY:
            metadata[key] = cursor.value(kind)
            continue
        item, count = cursor.take("<I"), cursor.take("<Q")
        lengths[key] = count
        if count <= SMALL_ARRAY:
            metadata[key] = [cursor.value(item) for _ in range(count)]
        elif item == STRING:
            cursor.skip_strings(count)
        elif item in SCALARS:
            cursor.at += count * struct.calcsize(SCALARS[item])
        else:  # an array of arrays: no model key uses one; step over nothing we cannot size
            raise ModelLoadError(f"could not read the GGUF file {cursor.path}: key {key} holds nested arrays")
    names = []
    for _ in range(n_tensors):
        names.append(cursor.string())
        dims = cursor.take("<I")
        cursor.at += 8 * dims + 4 + 8  # the dimensions, the type and the offset
    return GGUFHeader(metadata, lengths, names)
