"""Byte-pair encoding step by step: merges learned from a corpus with `tokenizers`, and a word built merge by merge.

BPE starts from characters (or, byte-level, from the 256 byte symbols) and learns merges in order: each one joins
the most frequent adjacent pair into a new symbol. Encoding a word replays them: while any adjacent pair is in
the merge list, the pair learned earliest (lowest rank) is joined, leftmost first. That is what `tokenizers`
does, so the last step here is the word's encoding. WordPiece (BERT, MiniLM) has no merge list: it is explained
by its own rule, the longest vocabulary piece from the left, continuation pieces marked `##`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tokenizers import Tokenizer, models, pre_tokenizers, trainers

from models.checks import short_repr
from models.lab.foundations.bpe_explain import Explanation, Step, apply_merges, explain, merge_list

__all__ = [
    "Explanation", "Step", "apply_merges", "as_tokenizer", "explain_word", "learn_merges", "merge_list",
    "piece_counts", "segment", "train_tokenizer",
]  # fmt: skip


MAX_MERGES = 1_000_000  # far more than any corpus here allows; `tokenizers` aborts the process near 2³²


def train_tokenizer(corpus_text: str, n_merges: int) -> Tokenizer:
    """A BPE `tokenizers.Tokenizer` trained on the text (split on whitespace and punctuation), with up to
    n_merges merges on top of the corpus's characters (fewer when no pair repeats any more)."""
    if not isinstance(n_merges, int) or isinstance(n_merges, bool) or not 0 <= n_merges <= MAX_MERGES:
        raise ValueError(f"merges: needs a whole number from 0 to {MAX_MERGES:,}, got {short_repr(n_merges)}")
    if not isinstance(corpus_text, str) or not corpus_text.split():
        raise ValueError("corpus: is empty; type some text or pick a corpus file")
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    alphabet = {char for word in _words(corpus_text) for char in word}
    # Each merge joins two pieces of a word, so a corpus of C characters allows fewer than C merges: asking the
    # trainer for more learns the same merges, but makes `tokenizers` reserve (and at 10⁹ abort on) a huge table.
    possible = min(n_merges, len(corpus_text))
    trainer = trainers.BpeTrainer(
        vocab_size=len(alphabet) + possible, min_frequency=2, show_progress=False, initial_alphabet=sorted(alphabet)
    )
    tokenizer.train_from_iterator(corpus_text.splitlines(), trainer)
    return tokenizer


def learn_merges(corpus_text: str, n_merges: int) -> list[tuple[str, str]]:
    """The merges `tokenizers`' BPE trainer learns from the text, in the order learned (at most n_merges)."""
    return merge_list(train_tokenizer(corpus_text, n_merges))


def _words(text: str) -> list[str]:
    """Whitespace pre-tokenization, as the trainer split the corpus (\\w+ and runs of punctuation)."""
    splitter = pre_tokenizers.Whitespace()
    return [piece for line in text.splitlines() for piece, _ in splitter.pre_tokenize_str(line)]


def segment(corpus_text: str, merges: list[tuple[str, str]], k: int) -> list[list[str]]:
    """The corpus re-segmented with only the first k merges: one list of pieces per word, in corpus order
    (words split as the trainer split them). k = 0 gives characters; k = len(merges) the full segmentation."""
    if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k <= len(merges):
        raise ValueError(f"k: needs 0 … {len(merges)} merges, got {k!r}")
    ranks = {tuple(pair): rank for rank, pair in enumerate(merges[:k])}
    cache: dict[str, list[str]] = {}
    out = []
    for word in _words(corpus_text):
        if word not in cache:
            states = apply_merges(list(word), ranks)
            cache[word] = states[-1][0] if states else list(word)
        out.append(cache[word])
    return out


def piece_counts(segmented: list[list[str]]) -> Counter:
    """How often each piece occurs in a segmented corpus."""
    return Counter(piece for word in segmented for piece in word)


def as_tokenizer(source) -> Tokenizer:
    """A `tokenizers.Tokenizer` from a Tokenizer, a loaded models.Model, the engine's TextTokenizer, a
    tokenizer.json path, or its JSON text."""
    if isinstance(source, Tokenizer):
        return source
    for holder in (source, getattr(source, "tokenizer", None)):
        backend = getattr(holder, "backend", None)
        if isinstance(backend, Tokenizer):
            return backend
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"tokenizer: {path} is no tokenizer.json file")
        return Tokenizer.from_file(str(path))
    if isinstance(source, str):
        return Tokenizer.from_str(source)
    raise ValueError(f"tokenizer: cannot use a {type(source).__name__} as a tokenizer")


def explain_word(tokenizer, word: str) -> Explanation:
    """How the tokenizer builds `word`, step by step, from its characters (byte-level BPE: from byte symbols).

    The word goes through the tokenizer's own normalizer and pre-tokenizer first (a word with punctuation may
    become several parts). BPE: one Step per merge, in the order `tokenizers` applies them (lowest rank first).
    WordPiece: one Step per piece taken (longest match from the left). Unigram and WordLevel have no such steps:
    ValueError. The final `tokens` equal `tokenizer.encode(word, add_special_tokens=False).tokens` (added
    special tokens typed inside the word excepted)."""
    if not isinstance(word, str) or not word.strip():
        raise ValueError("word: type a word to explain")
    return explain(as_tokenizer(tokenizer), word)
