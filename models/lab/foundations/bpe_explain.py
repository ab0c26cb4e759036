"""A typed word built the way a real tokenizer builds it: BPE merge by merge, or WordPiece piece by piece."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tokenizers import Tokenizer


@dataclass(frozen=True)
class Step:
    """One step of building a word. `symbols` are the part's pieces after it; `merge` the pair just joined
    (None for the starting characters and for WordPiece steps) and `rank` its index in the merge list (0 = the
    first merge learned). `part` says which pre-tokenized piece of the typed word this is (0 for one word)."""

    part: int
    symbols: list[str]
    merge: tuple[str, str] | None = None
    rank: int | None = None
    note: str = ""


@dataclass
class Explanation:
    """explain_word's answer. algorithm: "BPE" or "WordPiece"; parts: the pre-tokenized pieces of the word as the
    tokenizer sees them (byte-level: bytes shown as GPT-2's printable characters, e.g. Ġ for a space); steps in
    order; tokens: the final pieces, all parts together (what `tokenizers` encodes the word to)."""

    algorithm: str
    parts: list[str]
    steps: list[Step] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)


def merge_list(tokenizer: Tokenizer) -> list[tuple[str, str]]:
    """A BPE tokenizer's merges in rank order, read from its JSON (either "a b" strings or [a, b] pairs)."""
    return merges_of(json.loads(tokenizer.to_str())["model"])


def merges_of(model: dict) -> list[tuple[str, str]]:
    merges = model.get("merges") or []
    return [tuple(m.split(" ", 1)) if isinstance(m, str) else (m[0], m[1]) for m in merges]


def apply_merges(symbols: list[str], ranks: dict[tuple[str, str], int]) -> list[tuple[list[str], tuple, int]]:
    """Replay BPE on one word's symbols: join the lowest-rank adjacent pair (leftmost on ties) until none is left.
    Returns each state after a merge as (symbols, pair, rank); the starting symbols are not included."""
    symbols, states = list(symbols), []
    while len(symbols) > 1:
        ranked = [(ranks.get(pair, -1), i) for i, pair in enumerate(zip(symbols, symbols[1:]))]
        candidates = [(rank, i) for rank, i in ranked if rank >= 0]
        if not candidates:
            break
        rank, i = min(candidates)
        pair = (symbols[i], symbols[i + 1])
        symbols[i : i + 2] = [pair[0] + pair[1]]
        states.append((list(symbols), pair, rank))
    return states


_LAST: list = []  # [(tokenizer, its JSON model, its merge ranks)]: a real vocabulary's JSON takes ~1 s to read


def _model_and_ranks(tokenizer: Tokenizer) -> tuple[dict, dict]:
    if not _LAST or _LAST[0][0] is not tokenizer:
        model = json.loads(tokenizer.to_str())["model"]
        ranks = {pair: rank for rank, pair in enumerate(merges_of(model))} if model.get("type") == "BPE" else {}
        _LAST[:] = [(tokenizer, model, ranks)]
    return _LAST[0][1], _LAST[0][2]


def explain(tokenizer: Tokenizer, word: str) -> Explanation:
    model, ranks = _model_and_ranks(tokenizer)
    kind = model.get("type")
    text = tokenizer.normalizer.normalize_str(word) if tokenizer.normalizer is not None else word
    if tokenizer.pre_tokenizer is not None:
        parts = [piece for piece, _ in tokenizer.pre_tokenizer.pre_tokenize_str(text)]
    else:
        parts = [text]
    if kind == "BPE":
        return _bpe(model, ranks, parts)
    if kind == "WordPiece":
        return _wordpiece(model, parts)
    raise ValueError(f"tokenizer: a {kind} model has no merge list or piece rule to show step by step")


def _bpe(model: dict, ranks: dict, parts: list[str]) -> Explanation:
    vocab = model.get("vocab") or {}
    prefix, suffix = model.get("continuing_subword_prefix") or "", model.get("end_of_word_suffix") or ""
    out = Explanation("BPE", parts)
    for index, part in enumerate(parts):
        if model.get("ignore_merges") and part in vocab:
            out.steps.append(Step(index, [part], note="the whole part is in the vocabulary: no merges needed"))
            out.tokens.append(part)
            continue
        symbols = [(prefix if i else "") + char for i, char in enumerate(part)]
        if suffix and symbols:
            symbols[-1] += suffix
        out.steps.append(Step(index, list(symbols), note="characters" if prefix or suffix else "start"))
        for state, pair, rank in _merged(symbols, ranks, prefix):
            out.steps.append(Step(index, state, pair, rank))
            symbols = state
        final = _known(symbols, vocab, model)
        if final != symbols:
            out.steps.append(Step(index, final, note="pieces outside the vocabulary: byte fallback or unknown"))
        out.tokens.extend(final)
    return out


def _merged(symbols: list[str], ranks: dict, prefix: str):
    """apply_merges, except that with a continuation prefix (##) the joined piece drops the right one's prefix."""
    if not prefix:
        return apply_merges(symbols, ranks)
    states, current = [], list(symbols)
    while len(current) > 1:
        found = [(ranks[p], i) for i, p in enumerate(zip(current, current[1:])) if p in ranks]
        if not found:
            break
        rank, i = min(found)
        pair = (current[i], current[i + 1])
        current[i : i + 2] = [pair[0] + pair[1].removeprefix(prefix)]
        states.append((list(current), pair, rank))
    return states


def _known(symbols: list[str], vocab: dict, model: dict) -> list[str]:
    """Symbols the vocabulary lacks become <0xNN> byte tokens (byte_fallback) or the unknown token."""
    out: list[str] = []
    unk = model.get("unk_token")
    for symbol in symbols:
        if symbol in vocab:
            out.append(symbol)
        elif model.get("byte_fallback"):
            out.extend(f"<0x{byte:02X}>" for byte in symbol.encode("utf-8"))
        elif unk is not None and not (model.get("fuse_unk") and out and out[-1] == unk):
            out.append(unk)
    return out


def _wordpiece(model: dict, parts: list[str]) -> Explanation:
    vocab = model.get("vocab") or {}
    prefix = model.get("continuing_subword_prefix", "##")
    unk = model.get("unk_token", "[UNK]")
    longest = model.get("max_input_chars_per_word", 100)
    out = Explanation("WordPiece", parts)
    for index, part in enumerate(parts):
        pieces: list[str] = []
        out.steps.append(Step(index, [], note="WordPiece: take the longest vocabulary piece from the left"))
        start = 0
        while start < len(part) and len(part) <= longest:
            end = len(part)
            while end > start and ((prefix if start else "") + part[start:end]) not in vocab:
                end -= 1
            if end == start:
                break
            pieces.append((prefix if start else "") + part[start:end])
            out.steps.append(Step(index, list(pieces), note=f"longest match from character {start}"))
            start = end
        if start < len(part) or len(part) > longest:
            pieces = [unk]
            out.steps.append(Step(index, pieces, note="no vocabulary piece fits: the whole part is unknown"))
        out.tokens.extend(pieces)
    return out
