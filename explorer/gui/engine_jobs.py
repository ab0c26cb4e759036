"""The worker-thread side of the workspace: the loaded model and the current run, touched only inside jobs.

Jobs run one at a time on the job runner's thread, so this object needs no lock. What leaves it is plain
data (ModelInfo, RunInfo, numpy arrays): no tensor and no engine object reaches the GUI thread's widgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import models
from explorer.core.views import ModelInfo, RunInfo, TokenChange
from models.options import RunOptions, attention_kind, default_rope_theta, divisors
from models.runtime.budget import MemoryBudgetError, check_run

from .i18n import tr
from .jobs import JobContext

NEXT_TOKENS = 5
WAY_OUT = "in the app, File → Back to Single Text runs only the sequence on screen"
MAX_BASELINE_VALUES = 8_000_000  # logits kept from the last run without knockout: sequences × vocabulary (32 MB)


class EngineJobs:
    def __init__(self, preloaded: Mapping | None = None):
        # Models already in memory, by catalogue name (tests share one SmolLM2 among their windows); a load of
        # one of them on its device takes it instead of reading the file again.
        self.preloaded = preloaded if preloaded is not None else {}
        self.model = None  # models.Model
        self.run = None  # models.Run
        self.run_id = 0  # the job id of the run job that made self.run
        # The last-token logits (B, V) of the last run without knockout (numpy), and what made it: the baseline a
        # knockout is compared with. Toggling knockouts on the same text costs one run each, not two.
        self._baseline: tuple[tuple, object] | None = None

    # -- jobs (each called on the worker thread with its JobContext) --------------------------------------
    def list_catalogue(self, extra_paths: list[str]) -> list:
        return models.catalogue(list(extra_paths))

    def load(self, ctx: JobContext, name: str, device: str, extra_paths: list[str]) -> ModelInfo:
        model = self._preloaded_on(name, device)
        if model is None:
            progress = lambda f, m: ctx.report(f, 1.0, m)  # noqa: E731
            model = models.load(name, device=device, progress=progress, extra_paths=extra_paths)
        # Only now is the old model replaced: a failed or cancelled load keeps the user's current one.
        self.model, self.run, self._baseline = model, None, None
        return self.model_info()

    def _preloaded_on(self, name: str, device: str):
        """The preloaded model of that name if it already sits on the device asked for; else None."""
        from models.runtime.devices import resolve_device

        if name not in self.preloaded:
            return None
        model = self.preloaded[name]
        return model if model.device == resolve_device(device) else None

    def move(self, device: str) -> ModelInfo:
        self._require_model().to(device)
        self.run = self._baseline = None
        return self.model_info()

    def run_texts(self, ctx: JobContext, texts: list[str], options: RunOptions) -> RunInfo:
        model = self._require_model()
        try:  # refused here, the previous run stays current and on screen
            check_run(model, texts, options.kv_heads)
        except MemoryBudgetError as error:
            raise MemoryBudgetError(f"{error}; {WAY_OUT}" if len(texts) > 1 else str(error)) from None

        def progress(done: int, total: int) -> None:
            ctx.report(done, total, tr("layer {done}/{total}").format(done=done, total=total))

        # Handing over the previous run lets a causal model recompute only what changed at the end.
        run = model.run(list(texts), options=options, progress=progress, reuse=self.run)
        self.run, self.run_id = run, ctx.job_id
        baseline = self._baseline_logits(ctx, texts, options) if model.is_causal_lm else None
        return self.run_info(baseline)

    def probe(self, length: int, seed: int) -> str:
        """The induction probe's text for the loaded model: `length` random tokens, repeated twice."""
        from models.analysis import repeated_random

        return repeated_random(self._require_model(), length=length, seed=seed).text

    def _baseline_logits(self, ctx: JobContext, texts: list[str], options: RunOptions):
        """The last-token logits of the same texts and options without knockout, or None when nothing is
        knocked out (the run is its own baseline: kept for the next knockout) or the baseline is too big."""
        model, run = self.model, self.run
        key = (model.name, model.device.type, tuple(texts), replace(options, ablate=()))
        if not options.ablate:
            logits = _next_token_logits(run)
            self._baseline = (key, logits) if logits is not None else None
            return None
        if self._baseline is not None and self._baseline[0] == key:
            return self._baseline[1]

        def progress(done: int, total: int) -> None:
            ctx.report(
                done, total, tr("baseline without knockout: layer {done}/{total}").format(done=done, total=total)
            )

        try:
            plain = model.run(list(texts), options=replace(options, ablate=()), progress=progress)
        except MemoryBudgetError:
            return None
        logits = _next_token_logits(plain)
        self._baseline = (key, logits) if logits is not None else None
        return logits

    def _changes(self, seq: int, baseline_logits) -> list[TokenChange]:
        """The knockout's top next tokens, then the baseline's top tokens it pushed out, with both probabilities."""
        import torch

        run, tokenizer = self.run, self.model.tokenizer
        now = torch.softmax(torch.from_numpy(run.next_token_logits(seq)), dim=-1)  # (V,)
        before = torch.softmax(torch.from_numpy(baseline_logits[seq]), dim=-1)  # (V,)
        ids = run.next_token_ids(NEXT_TOKENS, seq)
        ids += [i for i in torch.topk(before, NEXT_TOKENS).indices.tolist() if i not in ids]
        context = [i for i, real in zip(run.ids[seq], run.is_real[seq]) if real]
        return [
            TokenChange(tokenizer.label_after(context, i), i, tokenizer.piece(i), float(now[i]), float(before[i]))
            for i in ids
        ]

    def current_run(self, run_id: int):
        """The run a query was made for, or None when a newer run has replaced it (the query is moot)."""
        if self.run is None or self.run_id != run_id:
            return None
        if self.run.superseded:
            # Its buffers went to a run that was then cancelled, and no newer run is coming: say so.
            raise ValueError("the last run was cancelled before it finished; edit the text or press F5 to run again")
        return self.run

    # -- plain data out -----------------------------------------------------------------------------------
    def model_info(self) -> ModelInfo:
        model = self._require_model()
        config = model.config
        own = config.n_kv_heads
        kv_choices = tuple(
            (g, tr("{kind} · model's own").format(kind=kind) if g == own else kind)
            for g in divisors(config.n_heads)
            for kind in [attention_kind(config.n_heads, g)]
        )
        local_theta = config.rope_local_theta if config.has_layer_types and config.positional == "rope" else None
        return ModelInfo(
            name=model.name,
            architecture=config.architecture,
            n_layers=config.n_layers,
            n_heads=config.n_heads,
            n_kv_heads=own,
            n_ctx=config.n_ctx,
            causal=config.causal,
            positional=config.positional,
            rope_theta=config.rope_theta,
            device=model.device.type,
            devices=tuple(models.available_devices()),
            source=f"{model.source.origin}: {model.source.path}",
            default_rope_theta=default_rope_theta(config.positional, config.rope_theta),
            kv_choices=kv_choices,
            layer_kinds=tuple(model.layer_kinds),
            local_rope_theta=local_theta if local_theta != config.rope_theta else None,
        )

    def run_info(self, baseline_logits=None) -> RunInfo:
        """The current run as plain data; baseline_logits (B, V): compare its next tokens with that baseline."""
        run, model = self.run, self.model
        next_tokens = next_pieces = changes = None
        if model.is_causal_lm:
            next_tokens = [run.next_tokens(NEXT_TOKENS, seq) for seq in range(run.n_sequences)]
            next_ids = [run.next_token_ids(NEXT_TOKENS, seq) for seq in range(run.n_sequences)]
            next_pieces = [[(i, model.tokenizer.piece(i)) for i in ids] for ids in next_ids]
            if baseline_logits is not None:
                changes = [self._changes(seq, baseline_logits) for seq in range(run.n_sequences)]
        return RunInfo(
            request_id=self.run_id,
            model=model.name,
            tokens=run.tokens,
            ids=run.ids,
            special=run.special,
            is_real=run.is_real,
            n_layers=run.n_layers,
            n_heads=run.n_heads,
            kv_heads=run.kv_heads,
            kv_groups=run.kv_groups,
            options=run.options,
            layer_ms=list(run.timings.layer_ms),
            total_ms=run.timings.total_ms,
            tokens_per_second=run.timings.tokens_per_second,
            reused_tokens=run.timings.reused_tokens,
            device=run.timings.device,
            next_tokens=next_tokens,
            warnings=list(run.warnings),
            kind=attention_kind(run.n_heads, run.kv_heads),
            pieces=run.pieces,
            layer_kinds=tuple(run.layer_kinds),
            next_token_pieces=next_pieces,
            baseline_next_tokens=changes,
        )

    def _require_model(self):
        if self.model is None:
            raise ValueError("model: none is loaded yet; choose one in the Model list")
        return self.model


def _next_token_logits(run):
    """float32 numpy (B, V): each sequence's next-token logits, or None when they would pass MAX_BASELINE_VALUES."""
    import numpy as np

    if run.n_sequences * len(run.next_token_logits(0)) > MAX_BASELINE_VALUES:
        return None
    return np.stack([run.next_token_logits(seq) for seq in range(run.n_sequences)])
