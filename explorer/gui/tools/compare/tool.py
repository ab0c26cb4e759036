"""The Compare tool: the same text in two variants, A and B, as one head's maps, B − A and per-head divergences.

Variant A and B are set in the tool's dock with the variant dock's controls (or a preset); B may run on another
model with the same tokenizer. Both runs are jobs on the job thread, made only while the tool is on screen,
cancellable, and overtaken by any newer request; another head then costs two maps, not two runs.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QScrollArea

from explorer.core.summary_pixels import EXACT_UP_TO
from explorer.gui.i18n import tr

from ...variant_bridge import choice_from_options, options_from_choice
from ..base import Tool, ToolContext
from .compute import CompareResult, HeadMaps, PairCache, RegionMaps, compute_compare, head_maps, region_maps
from .export import CompareExport
from .state import MEASURES, PRESETS, CompareState
from .view import CompareView, VariantsPanel

REGION_KINDS = ("compare-region-a", "compare-region-b")  # one kind each: zooming A never drops B's region
KINDS = ("compare", "compare-head", *REGION_KINDS)
MIN_PIXELS = 256  # a map is never asked for coarser than this, even in a tiny window (as in Maps)


class CompareTool(Tool):
    name = "compare"
    title = QT_TRANSLATE_NOOP("", "&Compare")
    shared_docks = ("TextDock",)  # variants, next tokens and timings are its own, for A and B

    compared = Signal(object)  # CompareResult, once shown
    head_shown = Signal(object)  # HeadMaps, once shown

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.state = CompareState()
        self.result: CompareResult | None = None
        self.shown_head: HeadMaps | None = None
        self.cache = PairCache()  # touched only inside jobs
        self.view = CompareView(context.display.colormap)
        self.variants = VariantsPanel()
        self.dock = QDockWidget(tr("Variants A and B"), context.parent)
        self.dock.setObjectName("CompareVariantsDock")
        scroller = QScrollArea()  # the two variant panels scroll rather than make the window taller or wider
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.NoFrame)
        scroller.setWidget(self.variants)
        self.dock.setWidget(scroller)
        self.dock.hide()
        self._placed = False
        self.export = CompareExport(self)
        self.export_action = QAction(tr("Export &Comparison…"), context.parent)
        self.export_action.setToolTip(
            tr("Export A, B and B − A as PNG, SVG or PDF, the difference as NPY or CSV, or everything as JSON")
        )
        self.export_action.triggered.connect(self.export.export)
        self._connect()

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def docks(self) -> list[QDockWidget]:
        return [self.dock]

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_action]}

    def save_state(self) -> dict:
        return self.state.to_dict()

    def check_state(self, data: dict) -> None:
        CompareState.from_dict(data)

    def restore_state(self, data: dict) -> None:
        self.state = CompareState.from_dict(data)
        self._show_choices()
        self.refresh()

    def open_head(self, layer: int, head: int) -> None:
        self.view.layer.setValue(layer)
        self.view.head.setValue(head)

    def release(self) -> None:
        self.cache = PairCache()  # both variants' runs and model B

    def activated(self) -> None:
        if not self._placed:
            self._placed = True
            self.dock.show()
            window = self.context.parent  # the variant controls' natural width, less on a small screen
            window.resizeDocks([self.dock], [max(280, min(360, window.width() // 4))], Qt.Horizontal)
        self.refresh()

    # -- construction ---------------------------------------------------------------------------------------
    def _connect(self) -> None:
        workspace, view, variants = self.context.workspace, self.view, self.variants
        workspace.model_changed.connect(self._on_model)
        workspace.run_changed.connect(lambda _run: self.refresh())
        workspace.catalogue_changed.connect(lambda _entries: self._offer_models())
        self.context.jobs.started.connect(self._on_job_started)
        self.context.jobs.progress.connect(self._on_progress)
        variants.panel_a.choice_changed.connect(lambda choice: self.set_variants(a=options_from_choice(choice)))
        variants.panel_b.choice_changed.connect(lambda choice: self.set_variants(b=options_from_choice(choice)))
        variants.preset.activated.connect(lambda _i: self.use_preset(variants.preset.currentData()))
        variants.model_b.activated.connect(lambda _i: self.set_variants(model_b=variants.model_b.currentData()))
        for box in (view.layer, view.head):  # a typed value out of range: said in the status bar, as in Generate
            box.out_of_range.connect(lambda message: self.context.show_status(message, 8000))
        view.layer.valueChanged.connect(lambda _v: self._set_head())
        view.head.valueChanged.connect(lambda _v: self._set_head())
        view.measure.activated.connect(lambda _i: self.set_measure(view.measure.currentData()))
        view.atlas.head_clicked.connect(self.open_head)
        for variant in (0, 1):  # A's and B's block-summary maps, zoomed: the region in view, finer
            view.maps[variant].region_wanted.connect(lambda *region, v=variant: self._request_region(v, *region))
        self.context.display.colormap_changed.connect(self._set_colormap)
        self.context.display.colours_changed.connect(self._apply_colours)

    # -- what the user does -----------------------------------------------------------------------------------
    def set_variants(self, **changes) -> None:
        """Change a, b (RunOptions) or model_b (a name or None), and compare again."""
        self.state = replace(self.state, **changes)
        self.refresh()

    def use_preset(self, index: int) -> None:
        if index is None or not 0 <= index < len(PRESETS):
            return
        a, b = PRESETS[index]
        self.state = replace(self.state, a=a, b=b)
        self._show_choices()
        self.refresh()

    def set_measure(self, measure: str) -> None:
        if measure not in MEASURES:
            raise ValueError(f"measure: '{measure}' is not one of {', '.join(MEASURES)}")
        self.state = replace(self.state, measure=measure)
        self._show_grid()

    def _set_head(self) -> None:
        self.state = replace(self.state, layer=self.view.layer.value(), head=self.view.head.value())
        self.view.atlas.mark(self.state.layer, self.state.head)
        if self.result is not None:
            key, where, cache = self.result.key, (self.state.layer, self.state.head, self._pixels()), self.cache
            job = lambda _run, ctx: head_maps(cache, key, *where, ctx=ctx)  # noqa: E731
            self.context.workspace.query("compare-head", job, self._show_head, self._failed)

    def _pixels(self) -> int:
        """Device pixels along the longer side of one map: a text longer than that is drawn as block maxima."""
        figure = self.view.maps[0]
        return max(MIN_PIXELS, int(max(figure.width(), figure.height()) * figure.devicePixelRatioF()))

    def _request_region(self, variant: int, r0: int, r1: int, c0: int, c1: int) -> None:
        """The user zoomed A's or B's block-summary map: fetch the region in view finer, exact once it fits."""
        shown = self.shown_head
        if self.result is None or shown is None or not shown.summary:
            return
        key, cache, pixels = self.result.key, self.cache, self._pixels()
        where = (variant, shown.layer, shown.head, pixels, (r0, r1, c0, c1))
        job = lambda _run, ctx: region_maps(cache, key, *where, ctx)  # noqa: E731
        self.context.workspace.query(REGION_KINDS[variant], job, self._show_region, self._failed)

    def _show_region(self, region: RegionMaps | None) -> None:
        shown = self.shown_head
        if region is None or shown is None or self.result is None or region.key != self.result.key:
            return
        if (region.layer, region.head) == (shown.layer, shown.head):
            figure = self.view.maps[region.variant]
            figure.show_detail(region.values, region.pixels, region.row_edges, region.col_edges, "max")

    # -- asking the engine ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Compare again if what is compared changed and the tool is on screen."""
        workspace = self.context.workspace
        run = workspace.run
        if run is None or not self.view.isVisible():
            return
        state = self.state
        key = (run.request_id, workspace.state.seq, state.a, state.b, state.model_b)
        if self.result is not None and self.result.key == key:
            return
        self.view.set_status(tr("running variants A and B…"))
        for figure in self.view.maps:
            figure.set_dimmed(True)
        cache, where = self.cache, (state.layer, state.head, self._pixels())

        def job(engine_run, ctx):
            return compute_compare(engine_run, cache, key, state.a, state.b, state.model_b, where, ctx)

        workspace.query("compare", job, self._show_result, self._failed)

    def _show_result(self, result: CompareResult) -> None:
        self.result = result
        self.view.set_shape(*result.js.shape)
        self.next_tokens(result)
        self._show_grid()
        if result.head is not None:
            self._show_head(result.head)
        self.view.set_status(self._describe(result))
        self.compared.emit(result)

    def next_tokens(self, result: CompareResult) -> None:
        self.view.next_a.show_predictions(result.next_a)
        self.view.next_b.show_predictions(result.next_b)
        self.view.next_a.note.setText(tr("Variant A predicts:") if result.next_a else self.view.next_a.note.text())
        self.view.next_b.note.setText(tr("Variant B predicts:") if result.next_b else self.view.next_b.note.text())

    def _show_grid(self) -> None:
        result = self.result
        if result is None:
            return
        self.view.measure.setCurrentIndex(max(0, self.view.measure.findData(self.state.measure)))
        if self.state.measure == "kl":
            label = tr("KL(A‖B), nats")
            self.view.atlas.show_divergence(
                result.kl, label, result.infinite_rows, result.kl_finite, result.compared_rows
            )
        else:
            self.view.atlas.show_divergence(result.js, tr("Jensen–Shannon, nats"))
        self.view.atlas.mark(self.state.layer, self.state.head)

    def _show_head(self, maps: HeadMaps | None) -> None:
        if self.result is None or maps is None:
            return
        self.shown_head = maps
        tokens = self.result.tokens
        where = tr("layer {layer} · head {head}").format(layer=maps.layer, head=maps.head)
        view = self.view
        for figure, name, values, pixels in (
            (view.maps[0], "A", maps.a, maps.pixels_a),
            (view.maps[1], "B", maps.b, maps.pixels_b),
        ):
            figure.show_matrix(values, pixels, tokens, tokens, f"{name} · {where}", keep_zoom=True, edges=maps.edges)
        if maps.summary:
            view.maps[2].clear_map()
            view.maps[2].title.setText(tr("B − A: drawn up to {limit} tokens").format(limit=EXACT_UP_TO))
        else:
            view.maps[2].show_diff(maps.diff, maps.diff_pixels, maps.limit, tokens, "B − A · " + where)
        for figure in view.maps:
            figure.set_dimmed(False)
        self.head_shown.emit(maps)

    def _describe(self, result: CompareResult) -> str:
        infinite = int((result.infinite_rows > 0).sum())
        text = tr("A: {a} · B: {b} · mean JS {js:.4f} nats").format(
            a=_variant_text(result.variant_a, result.model_a),
            b=_variant_text(result.variant_b, result.model_b),
            js=float(np.mean(result.js)),
        )
        if infinite:
            note = tr("KL(A‖B) is ∞ in {count} of {total} heads: B's mask hides keys that A attends to")
            text += "\n" + note.format(count=infinite, total=result.kl.size)
        if result.head is not None and result.head.summary:
            text += "\n" + too_long_for_the_diff(len(result.tokens))
        return text

    def _failed(self, message: str) -> None:
        for figure in self.view.maps:
            figure.set_dimmed(False)
        self.view.set_status("⚠ " + message)

    # -- following the workspace ---------------------------------------------------------------------------------
    def _on_model(self, info) -> None:
        self.result = None
        for panel in (self.variants.panel_a, self.variants.panel_b):
            panel.set_model(info)
        self._show_choices()
        self._offer_models()
        self.view.set_shape(info.n_layers, info.n_heads)

    def _offer_models(self) -> None:
        workspace = self.context.workspace
        own = workspace.model.name if workspace.model else ""
        names = [entry.name for entry in workspace.catalogue if not getattr(entry, "problem", None)]
        self.variants.set_models(names, self.state.model_b, own)

    def _show_choices(self) -> None:
        self.variants.panel_a.set_choice(choice_from_options(self.state.a))
        self.variants.panel_b.set_choice(choice_from_options(self.state.b))
        self.view.layer.setValue(self.state.layer)
        self.view.head.setValue(self.state.head)

    def _on_job_started(self, kind: str) -> None:
        if kind == "run":
            for mine in KINDS:
                if self.context.jobs.busy(mine):
                    self.context.jobs.cancel(mine)

    def _on_progress(self, kind: str, progress) -> None:
        if kind == "compare" and progress.message:
            self.view.set_status(f"{progress.message}…")

    def _set_colormap(self, colormap: str) -> None:
        for figure in (*self.view.maps[:2], self.view.atlas):
            figure.set_colormap(colormap)

    def _apply_colours(self, background: str, foreground: str) -> None:
        for figure in (*self.view.maps, self.view.atlas):
            figure.apply_colours(background, foreground)


def too_long_for_the_diff(n: int) -> str:
    """The B − A pane's note for a text whose maps are block maxima: a difference of maxima means nothing."""
    note = tr("B − A is drawn for texts of up to {limit} tokens; this one has {n}. The grid compares every head.")
    return note.format(limit=EXACT_UP_TO, n=n)


def _variant_text(described: dict, model: str) -> str:
    parts = [str(described.get("mask")), f"{described.get('kv_heads')} KV", f"T={described.get('temperature'):g}"]
    if described.get("pos") == "rope":
        parts.append(f"θ={described.get('rope_theta'):g}")
    return " · ".join(parts) + f" ({model})"
