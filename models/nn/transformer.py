"""The transformer itself: embeddings, a stack of blocks, the final norm and the LM head."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

from models.nn.blocks import Block, make_norm
from models.nn.config import TransformerConfig
from models.nn.hooked import hooked_block
from models.nn.hooks import HookSet
from models.nn.kv_buffer import LayerCapture
from models.nn.plan import AttentionPlan
from models.nn.positional import sinusoidal_table


class Table(nn.Module):
    """A lookup table whose values always come from a checkpoint.

    Unlike nn.Embedding it skips random initialisation, which would be thrown away anyway and which on the
    meta device costs a one-off second of import time.
    """

    def __init__(self, rows: int, dim: int):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(rows, dim))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return F.embedding(ids, self.weight)


class Embeddings(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.d_model = config.d_model
        # Gemma multiplies its embeddings by √D, rounded to float32 first as the reference does.
        root = torch.tensor(config.d_model**0.5, dtype=torch.float32, device="cpu")  # the model may be built on meta
        self.scale = float(root) if config.scale_embeddings else None
        self.tokens = Table(config.vocab_size, config.d_model)
        self.positions = Table(config.n_ctx, config.d_model) if config.positional == "learned" else None
        self.token_types = Table(config.n_token_types, config.d_model) if config.n_token_types else None
        # Post-norm models (BERT) normalise the embedding sum before the first block.
        self.norm = make_norm(config) if config.norm_placement == "post" else None

    def forward(
        self, ids: torch.Tensor, positions: torch.Tensor, positional: str, hooks: HookSet | None = None
    ) -> torch.Tensor:
        x = self.tokens(ids)  # (B, N, D)
        if self.scale is not None:
            x = x * self.scale
        if hooks is not None:
            x = hooks("hook_embed", x)
        if self.token_types is not None:
            # Single-segment input: every token is type 0, as the reference tokenizers produce.
            x = x + self.token_types.weight[0]
        if positional == "learned":
            if self.positions is None:
                raise ValueError("pos: this model has no learned position table")
            x = x + self.positions(positions)
        elif positional == "sinusoidal":
            x = x + sinusoidal_table(positions, self.d_model)
        # rope and alibi act inside attention; none adds nothing.
        return self.norm(x) if self.norm is not None else x


class Tap:
    """The residual stream as it leaves the embeddings and each block: every row, or one row per sequence.

    What the logit lens (one row: the last real token) and head importance (every row entering each layer, to
    restart the forward pass there) read. kept[0] is the embeddings' output, kept[i + 1] block i's.
    """

    def __init__(self, rows: torch.Tensor | None = None):
        self.rows = rows  # (B,) the row to keep of each sequence, counted from plan.query_start; None: all rows
        self.kept: list[torch.Tensor] = []  # (B, D) each with rows, else (B, n, D)

    def take(self, x: torch.Tensor, cut: int = 0) -> None:
        """Keep x (B, n - cut, D), whose first `cut` rows were dropped: a copy, as blocks update x in place."""
        if self.rows is None:
            self.kept.append(x.clone())
        else:
            self.kept.append(x[torch.arange(x.shape[0], device=x.device), self.rows - cut])  # (B, D), a copy


class Transformer(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.config = config
        self.embed = Embeddings(config)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.final_norm = make_norm(config) if config.norm_placement in ("pre", "sandwich") else None
        self.lm_head = None
        if config.causal and not config.tie_embeddings:
            self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)

    def forward(
        self,
        ids: torch.Tensor,
        plan: AttentionPlan,
        positional: str,
        captures: list[LayerCapture],
        after_layer: Callable[[int], None] | None = None,
        outputs_from: int | None = 0,
        tap: Tap | None = None,
        hooks: HookSet | None = None,
    ) -> torch.Tensor | None:
        """ids (B, n) of positions plan.query_start.. -> final hidden states (B, n - outputs_from, D) of the rows
        outputs_from.. , or None when the caller needs none (an encoder's maps come from the captures alone).

        Every layer's Q, K and V are captured for all n rows. Only the last layer's output is cut to the rows
        asked for: a final hidden state feeds nothing but the LM head, which reads the last position.

        after_layer(i) is called once block i is done, and with -1 once the embeddings are done, so a caller
        can time each layer on its own. tap, if given, keeps the residual stream after each of those steps.
        hooks, if given, are called at every named hook point in use (hooks.py), which sees all n rows.
        """
        x = self.embed(ids, plan.positions[:, plan.query_start :], positional, hooks)  # (B, n, D)
        if tap is not None:
            tap.take(x)
        if after_layer is not None:
            after_layer(-1)
        return self.resume(x, 0, plan, captures, after_layer, outputs_from, tap, hooks)

    def resume(
        self,
        x: torch.Tensor,
        first: int,
        plan: AttentionPlan,
        captures: list[LayerCapture],
        after_layer: Callable[[int], None] | None = None,
        outputs_from: int | None = 0,
        tap: Tap | None = None,
        hooks: HookSet | None = None,
    ) -> torch.Tensor | None:
        """The forward pass from block `first` on, given x (B, n, D): the residual stream entering that block.

        Blocks before `first` do not run (their captures are left as they are): head importance restarts here
        after a knockout in layer `first`, which leaves every earlier layer unchanged. x is updated in place
        when hooks is None. With hooks, only the blocks that have a hook point in use (HookSet.runs_layer) go
        through them, over every row; the others take the plain path.
        """
        last = len(self.blocks) - 1
        owned = hooks is None  # with hooks, x may be a tensor a hook function returned: its caller's, not ours
        for index in range(first, last + 1):
            cut = outputs_from if index == last else 0
            layer_plan = plan.for_layer(index)  # its own mask and RoPE θ where layers differ (Gemma 3)
            silenced = plan.silenced.get(index)
            if hooks is None or not hooks.runs_layer(index):  # the plain path updates x in place: a copy first
                if hooks is not None:  # the stream entering the block is read or replaced before its plain path
                    entering = hooks(f"blocks.{index}.hook_resid_pre", x)
                    x, owned = entering, owned and entering is x
                x, owned = (x if owned else x.clone()), True
                x = self.blocks[index](x, layer_plan, captures[index], cut, silenced)
            else:  # every row, through the hook points; the last block's output is cut to its rows afterwards
                x = hooked_block(self.blocks[index], x, layer_plan, captures[index], hooks, index, silenced)
                x, owned = (x[:, cut:] if cut else x), False
            if tap is not None and x is not None:
                tap.take(x, cut)
            if after_layer is not None:
                after_layer(index)
        if x is None:
            return None
        if self.final_norm is None:
            return x
        x = self.final_norm(x)
        return x if hooks is None else hooks("ln_final.hook_normalized", x)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """(..., D) -> (..., V). Only causal LMs have a head; tied models reuse the token embeddings."""
        weight = self.embed.tokens.weight if self.lm_head is None else self.lm_head.weight
        return hidden @ weight.T
