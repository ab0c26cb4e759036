"""File → Export Corpus Atlas… and Export Top Examples…: the atlas of a score's corpus means as a figure (PNG, SVG,
PDF) or every head's count, mean, spread and 95 % interval as CSV/JSON; the chosen head's top examples, with their
texts, as CSV/JSON.

Everything is written by a job of kind "export" (explorer/export/corpus_files.py, atomically), as the Heads tool's
atlas is: the window stays responsive and the status bar's Cancel stops a figure before its file is written.
"""

from __future__ import annotations

from pathlib import Path

from explorer.export.corpus_files import (
    ATLAS_SUFFIXES,
    DATA_SUFFIXES,
    write_atlas_data,
    write_corpus_atlas,
    write_top_examples,
)
from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.figure_style import default_name

from ...export_dialog import ExportDialog
from ...i18n import tr
from ..foundations.export import format_label
from ..heads.view import choice_label
from ..tool_export import ToolExport


class CorpusExportDialog(ExportDialog):
    def __init__(self, parent, suggested: str, title: str, suffixes: tuple[str, ...]):
        super().__init__(parent, suggested, width=1600)
        self.setWindowTitle(title)
        self.caption.setText(tr("Caption: model, corpus, texts and tokens"))
        self.set_formats(tuple((format_label(suffix), suffix) for suffix in suffixes))


class CorpusExport(ToolExport):
    def _name(self, what: str, suffix: str) -> str:
        results = self.tool.results
        corpus = Path(results.corpus or results.folder).stem
        return str(self.folder() / default_name(results.summary["model"], None, f"{corpus} {what}", None, suffix))

    def caption(self) -> str:
        results = self.tool.results
        summary = results.summary
        return tr("{model} · {corpus}: each head's mean over {texts} texts ({tokens} tokens)").format(
            model=summary["model"], corpus=Path(results.corpus or results.folder).name, texts=summary["texts"],
            tokens=summary["tokens"])  # fmt: skip

    def export_atlas(self) -> None:
        if self.tool.results is None:
            self.context.show_status(tr("Nothing to export yet: run the corpus or open its results first"), 6000)
            return
        score = self.tool.score
        dialog = CorpusExportDialog(self.context.parent, self._name(f"atlas {score}", ".png"),
                                    tr("Export Corpus Atlas"), ATLAS_SUFFIXES)  # fmt: skip
        choice = self.ask_choice(dialog)
        if choice is not None:
            self.export_atlas_to(choice.path, **choice.style)

    def export_examples(self) -> None:
        if self.tool.results is None or self.tool.head is None:
            self.context.show_status(tr("Nothing to export yet: click a head in the corpus atlas first"), 6000)
            return
        layer, head = self.tool.head
        dialog = CorpusExportDialog(self.context.parent, self._name(f"L{layer} H{head} top {self.tool.score}", ".csv"),
                                    tr("Export Top Examples"), DATA_SUFFIXES)  # fmt: skip
        choice = self.ask_choice(dialog)
        if choice is not None:
            self.export_examples_to(choice.path)

    def export_atlas_to(self, path, width: int = 1600, dpi: int = 300, theme: str = "light", caption=True) -> None:
        """Write the atlas of the current score by a job: a figure, or the data, by the path's extension."""
        path, results, score = Path(path), self.tool.results, self.tool.score
        summary, corpus = results.summary, results.corpus
        if path.suffix.lower() in FIGURE_SUFFIXES:
            style = {
                "label": tr("mean {score}").format(score=score),
                "title": tr("{score} over the corpus").format(score=choice_label(score)),
                "caption": self.caption() if caption else "",
                "colormap": self.context.display.colormap,
                "theme": theme,
                "width": width,
                "dpi": dpi,
            }

            def job(ctx):
                ctx.report(0, 1, tr("drawing {name}").format(name=path.name))
                write_corpus_atlas(path, summary, score, before_write=ctx.check, **style)
                return path
        else:

            def job(ctx):
                write_atlas_data(path, summary, score, corpus)
                return path

        self.submit(job)

    def export_examples_to(self, path) -> None:
        """Write the chosen head's top examples (with their texts) by a job, as .csv or .json."""
        path, results, score = Path(path), self.tool.results, self.tool.score
        layer, head = self.tool.head

        def job(ctx):
            write_top_examples(path, results.summary, score, layer, head, results.texts, results.corpus)
            return path

        self.submit(job)
