"""Text to token ids and back, on top of the `tokenizers` library."""

from __future__ import annotations

import json
import logging
import numbers
import re
from dataclasses import dataclass
from functools import lru_cache

from tokenizers import Tokenizer

from models.io.token_text import holds_whole_characters, read_as_text, readable_tokens

log = logging.getLogger(__name__)

BYTE_TOKEN = re.compile(r"^<0x[0-9A-Fa-f]{2}>$")  # SentencePiece byte-fallback pieces


@lru_cache(maxsize=1)
def byte_level_decoder() -> dict[str, int]:
    """GPT-2's printable stand-ins for bytes ('Ġ' is a space, 'Ċ' a newline), mapped back to byte values."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    codes = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
    return {chr(code): byte for byte, code in zip(printable, codes)}


def uses_byte_level(tokenizer: Tokenizer) -> bool:
    decoder = json.loads(tokenizer.to_str()).get("decoder") or {}
    parts = decoder.get("decoders", [decoder]) if decoder.get("type") == "Sequence" else [decoder]
    return any(part.get("type") == "ByteLevel" for part in parts)


@dataclass
class TokenBatch:
    """A batch of sequences padded to one length. Lists are per sequence."""

    ids: list[list[int]]  # padded ids
    is_real: list[list[bool]]  # False at pad positions
    warnings: list[str]


class TextTokenizer:
    """The model's tokenizer plus the model's conventions: context length, pad token, padding side."""

    def __init__(self, tokenizer: Tokenizer, n_ctx: int, pad_id: int | None, padding_side: str):
        # Shipped tokenizer.json files may carry a fixed padding/truncation (MiniLM pads to 128); the engine
        # does both itself so a single text is never padded and truncation can be reported.
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self.backend = tokenizer
        self.n_ctx = n_ctx
        self.pad_id = pad_id if pad_id is not None else self._guess_pad_id()
        self.padding_side = padding_side
        self._byte_level = uses_byte_level(tokenizer)
        added = tokenizer.get_added_tokens_decoder()  # {id: AddedToken}
        self._special_ids = {index for index, token in added.items() if token.special}
        self._labels: dict[int, str] = {}  # every run labels every token; a long text repeats most of them
        self._partial: dict[int, bool] = {}  # True for pieces holding part of a multi-byte character
        self._pieces: dict[int, str] = {}  # the tokenizer's raw piece per id asked for so far
        self._raw: dict[int, bytes] = {}  # the bytes of each ordinary token labelled so far
        self._groups: dict[tuple[int, ...], list[str]] = {}  # labels of runs of partial pieces read together

    def _guess_pad_id(self) -> int:
        for name in ("[PAD]", "<pad>", "<|endoftext|>", "</s>", "<unk>"):
            token_id = self.backend.token_to_id(name)
            if token_id is not None:
                return token_id
        return 0

    @property
    def vocab_size(self) -> int:
        return self.backend.get_vocab_size(with_added_tokens=True)

    def is_special(self, token_id: int) -> bool:
        return token_id in self._special_ids

    def label(self, token_id: int) -> str:
        """The text a token stands for (' capital', not 'Ġcapital'); special tokens keep their name.

        Read alone, a token holding only part of a multi-byte character shows its bytes (\\xE7\\x8C), never '�' or
        <0xE7>; `labels` reads it in its sequence and names the character.
        """
        known = self._labels.get(token_id)
        if known is None:
            # Checked here, not by the tokenizers library, which raises OverflowError or TypeError for these.
            if isinstance(token_id, bool) or not isinstance(token_id, numbers.Integral):
                raise ValueError(f"token id: {type(token_id).__name__} {token_id!r:.40} is not an integer")
            if not 0 <= token_id < 2**32:
                raise ValueError(f"token id: {str(token_id)[:40]} is outside 0..{2**32 - 1}")
            known = self._labels[token_id] = self._make_label(int(token_id))
        return known

    def labels(self, ids: list[int], is_real: list[bool] | None = None) -> list[str]:
        """Readable text of each token of a sequence, read in context (models/io/token_text.py): a piece holding
        part of a multi-byte character is named by that character and its part, 猫(1/3), never by its hex.

        Pads (is_real False) are labelled alone, so they never join the text's characters."""
        labels = [self.label(token_id) for token_id in ids]  # checks every id, and is the answer for most texts
        if is_real is not None:
            texts = iter(self.labels([i for i, real in zip(ids, is_real) if real]))
            return [next(texts) if real else label for label, real in zip(labels, is_real)]
        partial = self._partial
        # A piece holding whole characters only can't share one with its neighbours, so each split character
        # lies inside a run of consecutive partial pieces: only those runs are read together.
        start = 0
        while start < len(ids):
            if not partial.get(int(ids[start])):
                start += 1
                continue
            end = start
            while end < len(ids) and partial.get(int(ids[end])):
                end += 1
            labels[start:end] = self._read_together(tuple(int(i) for i in ids[start:end]))
            start = end
        return labels

    def _read_together(self, group: tuple[int, ...]) -> list[str]:
        known = self._groups.get(group)  # typing re-labels the whole text each run: the same groups recur
        if known is None:
            known = readable_tokens([self._piece_for_reading(i) for i in group])
            if len(self._groups) < 65536:  # a bound on memory; long texts of one script need far fewer
                self._groups[group] = known
        return list(known)

    def text(self, ids: list[int]) -> str:
        """The ids read as one text (generated text, a summary): byte pieces joined and decoded together, not
        their per-token labels; special tokens keep their names (models/io/token_text.py: read_as_text)."""
        for token_id in ids:
            self.label(token_id)  # checks each id and learns its bytes
        return read_as_text([self._piece_for_reading(int(i)) for i in ids])

    def label_after(self, context: list[int], token_id: int) -> str:
        """The readable text of `token_id` as the continuation of `context` (a next-token prediction)."""
        self.label(token_id)
        if not self._partial.get(int(token_id)) and not any(self._partial.get(int(i)) for i in context[-4:]):
            return self.label(token_id)
        # A UTF-8 character has at most 4 bytes, so the last 4 tokens hold every byte it can share with them.
        return self.labels([*context[-4:], token_id])[-1]

    def piece(self, token_id: int) -> str:
        """The tokenizer's own piece for the id ('Ġthe', '<0xE7>', '##ing'), as hover and tooltips show it."""
        known = self._pieces.get(token_id)  # every run asks for every token's piece: most repeat
        if known is None:
            self.label(token_id)  # the same checks of the id
            piece = self.backend.id_to_token(int(token_id))
            known = self._pieces[token_id] = f"<{token_id}>" if piece is None else piece
        return known

    def _piece_for_reading(self, token_id: int) -> bytes | str:
        raw = self._raw.get(token_id)  # filled by label(), which every caller has already asked
        return self.label(token_id) if raw is None else raw

    def _bytes_of(self, token_id: int) -> bytes | None:
        """The bytes an ordinary token stands for; None for special tokens and pieces shown as they are."""
        piece = self.backend.id_to_token(token_id)
        if piece is None or self.is_special(token_id):
            return None
        if BYTE_TOKEN.match(piece):
            return bytes([int(piece[3:5], 16)])
        if self._byte_level:
            table = byte_level_decoder()
            return bytes(table[char] for char in piece) if all(char in table for char in piece) else None
        # SentencePiece marks a preceding space with ▁; WordPiece keeps its ## marker.
        return piece.replace("▁", " ").encode("utf-8")

    def _make_label(self, token_id: int) -> str:
        raw = self._bytes_of(token_id)
        if raw is None:
            piece = self.backend.id_to_token(token_id)
            return f"<{token_id}>" if piece is None else piece
        label = readable_tokens([raw])[0]
        self._partial[token_id] = not holds_whole_characters(raw)
        self._raw[token_id] = raw
        return label

    def encode(self, texts: list[str]) -> TokenBatch:
        """Tokenize, truncate to the model's context with a warning, and pad on the model's side."""
        if not texts:
            raise ValueError("text: nothing to run; give at least one non-empty text")
        warnings: list[str] = []
        sequences: list[list[int]] = []
        for index, text in enumerate(texts):
            where = "text" if len(texts) == 1 else f"text {index + 1}"
            if not isinstance(text, str):
                raise ValueError(f"{where}: expected a string, got {type(text).__name__}")
            if not text.strip():
                raise ValueError(f"{where}: is empty; type some text to see its attention")
            ids = self.backend.encode(text).ids
            if not ids:
                raise ValueError(f"{where}: produced no tokens; type some text to see its attention")
            if len(ids) > self.n_ctx:
                ids = self._truncated(text)
                dropped = len(self.backend.encode(text).ids) - len(ids)
                message = f"{where}: longer than the model's context of {self.n_ctx} tokens; dropped {dropped} tokens"
                log.warning(message)
                warnings.append(message)
            sequences.append(ids)
        return self.pad(sequences, warnings)

    def _truncated(self, text: str) -> list[int]:
        # Let the library truncate, so a template's special tokens ([CLS] … [SEP]) survive at both ends.
        self.backend.enable_truncation(max_length=self.n_ctx)
        try:
            return self.backend.encode(text).ids
        finally:
            self.backend.no_truncation()

    def pad(self, sequences: list[list[int]], warnings: list[str] | None = None) -> TokenBatch:
        """Pad id sequences to one length on the model's side."""
        length = max(len(ids) for ids in sequences)
        padded, real = [], []
        for ids in sequences:
            pad = [self.pad_id] * (length - len(ids))
            flags = [True] * len(ids)
            if self.padding_side == "left":
                padded.append(pad + ids)
                real.append([False] * len(pad) + flags)
            else:
                padded.append(ids + pad)
                real.append(flags + [False] * len(pad))
        return TokenBatch(ids=padded, is_real=real, warnings=list(warnings or []))
