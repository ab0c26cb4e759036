"""The files the monkey opens: good and bad sequence files and sessions, written into its work folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from explorer.core.session import FORMAT, VERSION

GOOD_LINES = ["The cat sat on the mat.", "注意力机制让模型关注重要的词。", "Attention is all you need, they said."]


@dataclass(frozen=True)
class Sample:
    path: Path
    good: bool  # True: it opens; False: an error is shown and nothing changes


def session_data(model: str, texts: list[str], **changes) -> dict:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "model": model,
        "texts": texts,
        "seq": 0,
        "source_file": None,
        "options": {"mask": "causal", "temperature": 0.7},
        "device": "cpu",
        "tools": {"maps": {"layer": 1, "head": 1, "view": "mean"}},
        "active_tool": "maps",
    }
    data.update(changes)
    return data


def write_samples(folder: Path, model: str) -> list[Sample]:
    """Every file the monkey may open; model is a name the monkey can load, for the good session."""
    folder.mkdir(parents=True, exist_ok=True)
    samples = []

    def add(name: str, content: str | bytes, good: bool) -> None:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        samples.append(Sample(path, good))

    add("good.txt", "\n".join(GOOD_LINES) + "\n", True)
    add("good.jsonl", "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in GOOD_LINES[:2]), True)
    add("one line.txt", "Ein einziger Satz über Aufmerksamkeit.\n", True)
    add("binary.txt", bytes(range(256)) * 8, False)
    add("empty.txt", "\n \n", False)
    add("latin1.txt", "caf\xe9 cr\xe8me".encode("latin-1"), False)
    add("bad.jsonl", '{"text": 3}\n{"no text": "x"}\n', False)
    add("image.png", b"\x89PNG\r\n\x1a\n" + bytes(64), False)
    add("good session.json", json.dumps(session_data(model, ["一只猫坐在垫子上。", "The cat sat."])), True)
    add("garbage session.json", b"\xff\xfe{ not json", False)
    add("not ours.json", json.dumps({"hello": "world"}), False)
    add("nested.json", "[" * 200_000 + "]" * 200_000, False)
    bad_options = [{"temperature": "hot"}, {"padding_mask": "yes"}, {"mask": 5}, {"kv_heads": 0}, {"window": 1}]
    for index, options in enumerate(bad_options):
        add(f"bad options {index}.json", json.dumps(session_data(model, ["x"], options=options)), False)
    add("bad texts.json", json.dumps(session_data(model, [])), False)
    add("bad maps.json", json.dumps(session_data(model, ["x"], tools={"maps": {"layer": -1}})), False)
    add("unknown model.json", json.dumps(session_data("no-such-model-anywhere", ["a text"])), False)
    samples.append(Sample(folder / "missing.txt", False))
    return samples
