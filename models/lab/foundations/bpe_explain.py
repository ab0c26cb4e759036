"""A typed word built the way a real tokenizer builds it: BPE merge by merge, or WordPiece piece by piece."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from tokenizers import Tokenizer

from models.io.token_text import readable_tokens
from models.io.tokenizer import BYTE_TOKEN, byte_level_decoder, uses_byte_level


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
    byte_level: bool = False  # pieces are GPT-2's printable stand-ins for bytes ('æ³¨' is part of 注)

    def readable(self) -> Explanation:
        """The same explanation with every piece shown as the characters it stands for, as the maps label tokens:
        a byte-level piece holding part of a character reads 注(1/3), never 'æ'; a <0xE6> byte token likewise."""
        shown = lambda pieces: readable_pieces(pieces, self.byte_level)  # noqa: E731
        steps, before = [], None  # before: the previous step (a merge joins two of its pieces)
        for step in self.steps:
            merge = None
            if step.merge is not None and before is not None:
                # The pair is named as it reads in the word before the merge: 力(1/3) + 力(2/3), not alone.
                at = merged_at(before.symbols, step.merge)
                merge = tuple(shown(before.symbols)[at : at + 2]) if at is not None else tuple(shown(list(step.merge)))
            steps.append(replace(step, symbols=shown(step.symbols), merge=merge))
            before = step
        return replace(self, parts=shown(self.parts), steps=steps, tokens=shown(self.tokens), byte_level=False)


def merged_at(symbols: list[str], pair: tuple[str, str]) -> int | None:
    """Where BPE joins `pair` in `symbols`: the leftmost adjacent occurrence, as apply_merges picks it."""
    for index, adjacent in enumerate(zip(symbols, symbols[1:])):
        if adjacent == tuple(pair):
            return index
    return None


def readable_pieces(pieces: list[str], byte_level: bool) -> list[str]:
    """Tokenizer pieces as readable text, read together so a character split over pieces is named in each
    (models/io/token_text.py). Byte-level stand-ins and <0xNN> byte tokens become the bytes they are."""
    decoder = byte_level_decoder()

    def as_bytes(piece: str) -> bytes:
        if BYTE_TOKEN.match(piece):
            return bytes([int(piece[3:5], 16)])
        if byte_level and all(char in decoder for char in piece):
            return bytes(decoder[char] for char in piece)
        return piece.encode("utf-8")

    return readable_tokens([as_bytes(piece) for piece in pieces])


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
        return replace(_bpe(model, ranks, parts), byte_level=uses_byte_level(tokenizer))
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
