"""What the Maps tool says while there is no map to show, or while the one shown is being replaced.

The placeholder's messages (finding, loading, running, no usable model), the "updating…" cue that fades a stale
map while a new run is computed, and the overview dock's progress in its title.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from explorer.gui.i18n import tr
from explorer.setup_check import models_install_command


class MapsCues:
    def __init__(self, tool):
        self.tool = tool
        workspace, jobs = tool.context.workspace, tool.context.jobs
        workspace.loading.connect(self._on_loading)
        workspace.load_failed.connect(self._on_load_failed)
        workspace.catalogue_changed.connect(self._on_catalogue)
        jobs.progress.connect(self._on_progress)
        jobs.started.connect(self._on_job_started)
        jobs.ended.connect(self._on_job_ended)

    # -- the placeholder's messages ---------------------------------------------------------------------------
    def _on_loading(self, name: str) -> None:
        if self.tool.context.workspace.model is None:
            self.tool.view.show_message(tr("Loading {name}…").format(name=name))

    def _on_load_failed(self, message: str) -> None:
        if self.tool.context.workspace.model is None:
            text = tr("The model could not be loaded.\n{message}\nChoose another model above.")
            self.tool.view.show_message(text.format(message=message))

    def _on_catalogue(self, entries: list) -> None:
        if self.tool.context.workspace.model is not None or any(not e.problem for e in entries):
            return
        unusable = "".join(f"\n{e.name}: {e.problem}" for e in entries[:5])
        found = "\n" + tr("Found, but unusable:") + unusable if unusable else ""
        text = tr(
            "No usable models found.{found}\nInstall the shipped models with\n{command}\n"
            "or use Model → Add Model Folder or GGUF File…"
        )
        self.tool.view.show_message(text.format(found=found, command=models_install_command()))

    # -- the "updating…" cue -------------------------------------------------------------------------------
    def _on_job_started(self, kind: str) -> None:
        if kind == "run" and self.tool.last_map is not None:
            self.tool.view.set_updating(True)

    def _on_job_ended(self, kind: str) -> None:
        if kind in ("run", "map"):
            # A finished run hands its result over after this signal, and that asks for the new map: look
            # once the event loop turns, so the cue stays until that map is drawn.
            QTimer.singleShot(0, self.settle_updating)

    def settle_updating(self) -> None:
        jobs = self.tool.context.jobs
        if not jobs.busy("run") and not jobs.busy("map"):
            self.tool.view.set_updating(False)

    # -- the overview's progress ----------------------------------------------------------------------------
    def _on_progress(self, kind: str, progress) -> None:
        if kind == "overview":
            title = self.tool.overview_title()
            if progress.done < progress.total:
                computing = tr("computing {done}/{total} layers").format(
                    done=f"{progress.done:g}", total=f"{progress.total:g}"
                )
                title = f"{title} ({computing})"
            self.tool.overview_dock.setWindowTitle(title)
