"""Build a `tokenizers.Tokenizer` from the vocabulary a GGUF file stores in its metadata.

A GGUF has no tokenizer.json; llama.cpp keeps the tokens, merges, scores and token types under
tokenizer.ggml.*. Two families matter: byte-level BPE ("gpt2", e.g. SmolLM2 and Llama 3) and SentencePiece
BPE with byte fallback ("llama", e.g. Llama 2 and TinyLlama; Gemma's has its own spelling and merge order).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from models.errors import ModelLoadError

log = logging.getLogger(__name__)

# llama.cpp token types
CONTROL, USER_DEFINED = 3, 4

GPT2_SPLIT = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
# tokenizer.ggml.pre -> the regex its merges were learned with (llama.cpp's table, reduced to llama-arch files)
PRE_SPLITS = {
    "llama-bpe": LLAMA3_SPLIT,
    "llama3": LLAMA3_SPLIT,
    "llama-v3": LLAMA3_SPLIT,
    "smaug-bpe": LLAMA3_SPLIT,
    "qwen2": QWEN2_SPLIT,
    "deepseek-r1-qwen": QWEN2_SPLIT,
}


@dataclass(frozen=True)
class GGUFVocab:
    model: str  # tokenizer.ggml.model: "gpt2" or "llama"
    pre: str | None  # tokenizer.ggml.pre
    tokens: Sequence[str]
    token_types: Sequence[int]
    merges: Sequence[str] | None
    scores: Sequence[float] | None
    bos_id: int | None
    add_bos: bool | None
    architecture: str = ""  # general.architecture: Gemma's SentencePiece files are read their own way


GEMMA_ARCHITECTURES = ("gemma", "gemma2", "gemma3")


def build_tokenizer(vocab: GGUFVocab) -> Tokenizer:
    if vocab.model == "gpt2":
        tokenizer = _byte_level(vocab)
    elif vocab.model == "llama" and vocab.architecture in GEMMA_ARCHITECTURES:
        tokenizer = _gemma(vocab)
    elif vocab.model == "llama":
        tokenizer = _sentencepiece(vocab)
    else:
        raise ModelLoadError(
            f"the GGUF tokenizer type '{vocab.model}' is not supported (supported: gpt2 byte-level BPE, llama "
            "SentencePiece)"
        )
    _add_whole_tokens(tokenizer, vocab)
    return tokenizer


def _byte_level(vocab: GGUFVocab) -> Tokenizer:
    if not vocab.merges:
        raise ModelLoadError("the GGUF file has a byte-level vocabulary but no merges; it is incomplete")
    ids = {token: index for index, token in enumerate(vocab.tokens)}
    merges = [tuple(merge.split(" ", 1)) for merge in vocab.merges]
    tokenizer = Tokenizer(models.BPE(vocab=ids, merges=merges, fuse_unk=False))
    pre = vocab.pre or "default"
    if pre == "smollm":
        # SmolLM's merges were learned on single digits: split them before the GPT-2 regex.
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
            [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
        )
    else:
        if pre not in PRE_SPLITS and pre not in ("gpt2", "default"):
            log.warning("GGUF pre-tokenizer '%s' is not known; splitting words with the GPT-2 rule", pre)
        split = PRE_SPLITS.get(pre, GPT2_SPLIT)
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(split), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    tokenizer.decoder = decoders.ByteLevel()
    # Like the reference GGUF reader, byte-level vocabularies get no BOS: their source tokenizers add none.
    return tokenizer


def _sentencepiece(vocab: GGUFVocab) -> Tokenizer:
    if vocab.scores is None:
        raise ModelLoadError("the GGUF file has a SentencePiece vocabulary but no scores; it is incomplete")
    ids = {token: index for index, token in enumerate(vocab.tokens)}
    merges = merges_from_scores(ids, dict(zip(vocab.tokens, vocab.scores)))
    unk = next((t for t in ("<unk>",) if t in ids), None)
    tokenizer = Tokenizer(models.BPE(vocab=ids, merges=merges, unk_token=unk, fuse_unk=True, byte_fallback=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tokenizer.decoder = decoders.Sequence(
        [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    _add_bos(tokenizer, vocab)
    return tokenizer


def _add_bos(tokenizer: Tokenizer, vocab: GGUFVocab) -> None:
    """llama.cpp adds BOS to a SentencePiece vocabulary unless the file says otherwise."""
    if vocab.add_bos is not False and vocab.bos_id is not None:
        bos = vocab.tokens[vocab.bos_id]
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, vocab.bos_id)]
        )


def _gemma(vocab: GGUFVocab) -> Tokenizer:
    """Gemma's SentencePiece BPE, as transformers builds it from the same file (GemmaTokenizer):

    - spaces become "▁" before splitting (no prefix space), and a token of spaces only, stored as real spaces,
      is spelled in "▁" so the merges built from it match;
    - the file has no merges: every split of a token into two tokens is one, ranked by the token's position in
      the file (Gemma's scores do not follow its merge order), then longer left and right pieces first.
    """
    if not vocab.tokens:
        raise ModelLoadError("the GGUF file has a Gemma vocabulary with no tokens; it is incomplete")
    tokens = ["▁" * len(t) if " " in t and not t.strip() else t for t in vocab.tokens]
    ids = {token: index for index, token in enumerate(tokens)}
    rank = {token: -index for index, token in enumerate(tokens)}
    merges = []
    for piece, score in rank.items():
        found = [(piece[:cut], piece[cut:]) for cut in range(1, len(piece))]
        found = [pair for pair in found if pair[0] in ids and pair[1] in ids]
        found.sort(key=lambda pair: (ids[pair[0]], ids[pair[1]]))
        merges.extend((left, right, score) for left, right in found)
    merges.sort(key=lambda m: (m[2], len(m[0]), len(m[1])), reverse=True)
    unk = "<unk>" if "<unk>" in ids else None
    tokenizer = Tokenizer(
        models.BPE(
            vocab=ids, merges=[(m[0], m[1]) for m in merges], unk_token=unk, fuse_unk=True, byte_fallback=True
        )
    )
    tokenizer.normalizer = normalizers.Replace(" ", "▁")
    tokenizer.pre_tokenizer = pre_tokenizers.Split(pattern=" ", behavior="merged_with_previous", invert=False)
    tokenizer.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()])
    _add_bos(tokenizer, vocab)
    return tokenizer


def merges_from_scores(ids: dict[str, int], scores: dict[str, float]) -> list[tuple[str, str]]:
    """Recover BPE merges from a SentencePiece vocabulary: every split of a piece into two known pieces,
    best-scored merged piece first."""
    found = []
    for piece, score in scores.items():
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in ids and right in ids:
                found.append((score, ids[left], ids[right], left, right))
    found.sort(key=lambda m: (-m[0], m[1], m[2]))
    return [(left, right) for _, _, _, left, right in found]


def _add_whole_tokens(tokenizer: Tokenizer, vocab: GGUFVocab) -> None:
    """Keep control tokens (<|im_start|>) and user-defined tokens whole instead of cutting them into bytes."""
    types = list(vocab.token_types or ())
    known = tokenizer.get_vocab()
    control = [t for t, kind in zip(vocab.tokens, types) if kind == CONTROL]
    # A user-defined token is added only under the spelling the vocabulary knows it by (Gemma respells spaces).
    user = [t for t, kind in zip(vocab.tokens, types) if kind == USER_DEFINED and t in known]
    if control:
        tokenizer.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in control])
    if user:
        tokenizer.add_tokens([AddedToken(t, normalized=False, special=False) for t in user])
