"""Memory budgets: what a run or an export will need, estimated before it starts, and refused when too big.

A run keeps every layer's queries, keys and values for the whole padded batch (capture.py), so one long line
in a batch of 256 multiplies; an export of every map holds L·H·N² values, and JSON spends ~90 bytes on each.
Both used to end in a raw allocator error after minutes. Here they are refused up front, with the estimate
and the way out. Torch-free: pure arithmetic on the config, so the GUI's shell can import it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "ATTENTION_EXPLORER_MEMORY_BUDGET"  # bytes, or a size such as "8G" or "512M": overrides the default
BUDGET_FRACTION = 0.8  # of the memory available now: the rest is for the OS, the GUI and estimate error
FALLBACK_BYTES = 4 * 1024**3  # when the platform tells us nothing
HEADROOM_TOKENS = 32  # capture.HEADROOM_TOKENS (not imported: that module imports torch); a test keeps them equal
SCORE_BLOCK_ELEMENTS = 32 * 1024 * 1024  # nn.attention's cap on one block of scores in the masked path
TEMPLATE_TOKENS = 8  # tokens a tokenizer template may add around a text ([CLS] … [SEP], <s>)
# Bytes of memory per exported value while it is written: the float32 maps (a list of layers plus their
# stack) and the encoding. JSON: a float64 copy, a Python float in a list, the text and its UTF-8 bytes
# (measured with tracemalloc: ~86); CSV: the text in a StringIO and its bytes; NPY: one buffer.
EXPORT_BYTES_PER_VALUE = {".json": 96, ".csv": 80, ".npy": 12, ".png": 16, ".svg": 24, ".pdf": 24}
UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


class MemoryBudgetError(ValueError):
    """A request needs more memory than the budget allows. The message gives the estimate and the way out."""


@dataclass(frozen=True)
class RunEstimate:
    captures: int  # Q, K and V of every layer, kept by the Run (LayerCapture buffers)
    logits: int  # the last position's logits and residual stream after each layer (the lens), kept by causal LMs
    working: int  # one layer's intermediates at a time, freed as the pass goes on

    @property
    def retained(self) -> int:
        """What the finished Run keeps alive: equals Run.retained_bytes."""
        return self.captures + self.logits

    @property
    def total(self) -> int:
        return self.captures + self.logits + self.working


def run_bytes(config, batch: int, length: int, kv_heads: int | None = None, element_size: int = 4) -> RunEstimate:
    """Memory of one run of `batch` sequences padded to `length` tokens (config: a TransformerConfig)."""
    groups = kv_heads or config.n_kv_heads
    positions = batch * length
    captures = config.n_layers * batch * (config.n_heads + 2 * groups) * (length + HEADROOM_TOKENS) * config.d_head
    # One layer at a time: the residual stream and its norm, the fused QKV projection, attention's output
    # and its reshaped copy, the output projection, the MLP's up, gate and product.
    width = 3 * config.d_model + (config.n_heads + 2 * config.n_kv_heads) * config.d_head
    width += 2 * config.n_heads * config.d_head + 3 * config.d_mlp
    scores = 2 * min(batch * config.n_heads * length * length, SCORE_BLOCK_ELEMENTS)  # scores and their bias
    logits = batch * (config.vocab_size + config.n_layers * config.d_model) if config.causal else 0
    return RunEstimate(captures * element_size, logits * element_size, (positions * width + scores) * element_size)


def export_bytes(n_maps: int, length: int, suffix: str) -> int:
    """Memory to compute and write n_maps maps of length × length as `suffix` (.json, .npy, .csv, .png, .svg, .pdf)."""
    if suffix not in EXPORT_BYTES_PER_VALUE:
        raise ValueError(f"suffix: {suffix!r} is not one of {', '.join(EXPORT_BYTES_PER_VALUE)}")
    return n_maps * length * length * EXPORT_BYTES_PER_VALUE[suffix]


def length_bound(texts: list[str], n_ctx: int) -> int:
    """An upper bound on the padded length, without tokenizing: no tokenizer makes more tokens than bytes."""
    longest = max((len(text.encode("utf-8", "surrogatepass")) for text in texts), default=0)
    return min(n_ctx, longest + TEMPLATE_TOKENS)


def budget_bytes() -> int:
    """The memory one request may use: ENV if set, else BUDGET_FRACTION of what the machine has free now.

    A run on a GPU falls back to the CPU when the GPU runs out, so host memory is the limit there too.
    """
    override = os.environ.get(ENV, "").strip()
    if override:
        return parse_size(override)
    return int(available_bytes() * BUDGET_FRACTION)


def parse_size(text: str) -> int:
    """'8G', '512M', '1.5G' or plain bytes."""
    number, unit = text.upper().rstrip("IB"), ""
    if number and number[-1] in UNITS:
        number, unit = number[:-1], number[-1]
    try:
        size = float(number) * UNITS[unit]
    except ValueError:
        raise ValueError(f"{ENV}: {text!r} is not a size; use bytes or a number with K, M, G or T") from None
    if not size >= 1:
        raise ValueError(f"{ENV}: {text!r} must be at least 1 byte")
    return int(size)


def available_bytes() -> int:
    """Memory free for new allocations: /proc/meminfo's MemAvailable, capped by a cgroup limit (containers)."""
    available = _meminfo_available()
    if available is None:
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            available = FALLBACK_BYTES
    room = _cgroup_room()
    return available if room is None else min(available, room)


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_room() -> int | None:
    folder = Path("/sys/fs/cgroup")
    try:
        limit = (folder / "memory.max").read_text().strip()
        if limit == "max":
            return None
        return max(0, int(limit) - int((folder / "memory.current").read_text().strip()))
    except (OSError, ValueError):
        return None


def gigabytes(size: int) -> str:
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 / 10 else f"{size / 1024**2:.0f} MB"


def budget_note(budget: int) -> str:
    source = f"{ENV}" if os.environ.get(ENV, "").strip() else f"{BUDGET_FRACTION:.0%} of the memory free now"
    return f"the budget of {gigabytes(budget)} ({source}; set {ENV} to change it)"


def check_run(model, texts: list[str], kv_heads: int | None = None, budget: int | None = None) -> None:
    """Refuse (MemoryBudgetError) a run of `texts` on `model` that would not fit in the budget.

    The common case costs nothing: a byte count bounds the token count, and only a request near the budget
    is tokenized for its exact padded length.
    """
    config, size = model.config, _element_size(model)
    kv = kv_heads if isinstance(kv_heads, int) and not isinstance(kv_heads, bool) and kv_heads > 0 else None
    budget = budget_bytes() if budget is None else budget
    if run_bytes(config, len(texts), length_bound(texts, config.n_ctx), kv, size).total <= budget:
        return
    real = [sum(flags) for flags in model.tokenizer.encode(list(texts)).is_real]
    length = max(real)
    estimate = run_bytes(config, len(texts), length, kv, size)
    if estimate.total <= budget:
        return
    kept = f"{gigabytes(estimate.captures)} of queries, keys and values kept for {config.n_layers} layers"
    if len(texts) == 1:
        raise MemoryBudgetError(
            f"memory: a text of {length} tokens needs about {gigabytes(estimate.total)} ({kept}), more than "
            f"{budget_note(budget)}; use a shorter text"
        )
    longest = real.index(length)
    one = run_bytes(config, 1, length, kv, size).total
    raise MemoryBudgetError(
        f"memory: a batch of {len(texts)} sequences, each padded to the longest ({length} tokens, text "
        f"{longest + 1}), needs about {gigabytes(estimate.total)} ({kept}), more than {budget_note(budget)}; "
        f"run fewer sequences at a time or shorter ones (one sequence of {length} tokens needs about {gigabytes(one)})"
    )


def check_export(n_maps: int, length: int, suffix: str, one_map: str = "one map", budget: int | None = None) -> None:
    """Refuse (MemoryBudgetError) an export of n_maps maps of length × length as `suffix` that would not fit.

    one_map: how the caller's user asks for a single map (e.g. "one map with --layer L --head H").
    """
    budget = budget_bytes() if budget is None else budget
    need = export_bytes(n_maps, length, suffix)
    if need <= budget:
        return
    ways = []
    if suffix != ".npy" and export_bytes(n_maps, length, ".npy") <= budget:
        ways.append(f"write .npy instead (about {gigabytes(export_bytes(n_maps, length, '.npy'))})")
    if n_maps > 1:
        ways.append(f"export {one_map} (about {gigabytes(export_bytes(1, length, suffix))} as {suffix})")
    ways.append("use a shorter text")
    raise MemoryBudgetError(
        f"memory: exporting {n_maps} map{'s' if n_maps > 1 else ''} of {length}×{length} tokens as {suffix} "
        f"({n_maps * length * length:,} values) needs about {gigabytes(need)}, more than {budget_note(budget)}; "
        + ", or ".join(ways)
    )


def _element_size(model) -> int:
    try:
        return model.module.embed.tokens.weight.element_size()
    except AttributeError:
        return 4  # float32, what every converter produces
