# Quick start on a fresh machine (Python 3.11 or newer, pip and apt):
#
#   make serve    set everything up, then preview the public site at http://127.0.0.1:8000/
#                 (a save rebuilds only the pages it changes and the open tab reloads; a mistake
#                 shows in the tab, located, until you fix it)
#   make serve-es the same for the Spanish site (stale or missing translations shown in the tab)
#   make test     set everything up (Debian's chromium too), then run the whole test suite
#                 (in parallel: JOBS=auto pytest-xdist workers, one per core; JOBS=0 runs it in one)
#   make test-fast   only the unit tests (plain Python, no site build, no browser): about a minute
#
# Other commands:
#   make check           check facts.yaml and every page, as publishing would (nothing is published)
#   make impact          which facts changed since git's last commit, and the pages they change
#                        (in short; every page: make impact ARGS=--details)
#   make build           build the public site into site/, and its Spanish twin into site/es/
#   make staff           build the staff handbook into site-staff/
#   make publish         build both languages --strict and, only if both worked, swap them into
#                        publish/public/ (Spanish in publish/public/es/) in one step
#   make publish-staff   the same for the staff handbook, into publish/staff/
#   make publish DEST=/srv/www/kb    publish somewhere else
#   make translated FIELD=levels.iop.summary    record that a translation was updated (a field
#                        of facts.es.yaml, or a page: FIELD=content/es/costs.md); FIELD=--all-current
#                        records every translation as current (once, for translations made before)
#
# Set-up happens once: .venv/ is created if missing, and packages are installed again only when
# requirements.txt or pyproject.toml changed (the stamp file .venv/.installed).
#
# Without make, the same steps by hand (the commands are console scripts in .venv/bin/):
#   python3 -m venv .venv
#   .venv/bin/pip install -r requirements.txt
#   .venv/bin/pip install --no-build-isolation --no-deps -e .
#   source .venv/bin/activate                              # then, in that shell:
#   carekb-serve            # preview (incremental, live reload); carekb-serve -f mkdocs.staff.yml
#                           # or -f mkdocs.es.yml (the Spanish site)
#   carekb-translate status # every stale or missing translation; carekb-translate mark FIELD
#   carekb-check            # what make check does; carekb-impact, carekb-publish public|staff
#   mkdocs build --strict   # or properdocs build; mkdocs serve --livereload; properdocs serve
#   sudo apt-get update && sudo apt-get install -y chromium   # once, for the browser tests
#   python -m pytest        # tests (-n auto --dist loadscope: in parallel; -m unit: the fast ones)
#   (NO_MKDOCS_2_WARNING=1 silences a banner Material prints on every mkdocs command.)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?= -ra
PYTEST_LOG ?= artifacts/pytest.log
# pytest-xdist: JOBS workers (auto: one per core; 0: no workers), each taking whole test modules
# (tests/conftest.py orders them longest first and keeps the browser tour's modules together).
JOBS ?= auto
XDIST := $(if $(filter 0,$(JOBS)),,-n $(JOBS) --dist loadscope)
DEST ?=
ARGS ?=
# Watched by `make serve` on top of content/ and mkdocs.yml (mkdocs.yml may list them too).
# A change under one of these that is not facts.yaml or a page rebuilds every page (a hook's
# code is loaded afresh; a change to Python code under carekb/ or engine/ needs a restart).
WATCH ?= facts.yaml hooks carekb/templates overrides
# The Spanish preview also watches its texts and the English pages each Spanish page follows.
WATCH_ES ?= $(WATCH) facts.es.yaml content
FIELD ?=

export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup serve serve-es build staff check impact test test-fast browser-deps publish publish-staff translated

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1))." >&2; exit 1; }
	@test -x $(BIN)/python || { echo "Creating $(VENV)/"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-build-isolation --no-deps -e .
	@touch $@

setup: $(STAMP)

serve: $(STAMP)
	@# carekb-serve (engine/serve.py): an incremental preview (engine/preview.py) watching by
	@# inotify events; a failed rebuild keeps the last good preview and shows the located problem
	@# in the open tab.
	$(BIN)/carekb-serve --dev-addr $(ADDR) $(foreach path,$(WATCH),$(if $(wildcard $(path)),-w $(path)))

serve-es: $(STAMP)
	$(BIN)/carekb-serve -f mkdocs.es.yml --dev-addr $(ADDR) $(foreach path,$(WATCH_ES),$(if $(wildcard $(path)),-w $(path)))

build: $(STAMP)
	$(BIN)/mkdocs build --strict -d site
	$(BIN)/mkdocs build --strict -f mkdocs.es.yml -d site/es

staff: $(STAMP)
	$(BIN)/mkdocs build --strict -f mkdocs.staff.yml -d site-staff

check: $(STAMP)
	$(BIN)/carekb-check facts.yaml

impact: $(STAMP)
	$(BIN)/carekb-impact facts.yaml $(ARGS)

publish: $(STAMP)
	$(BIN)/carekb-publish public $(if $(DEST),--dest "$(DEST)")

publish-staff: $(STAMP)
	$(BIN)/carekb-publish staff $(if $(DEST),--dest "$(DEST)")

translated: $(STAMP)
	@test -n "$(FIELD)" || { echo "Name what you translated: make translated FIELD=levels.iop.summary (or FIELD=content/es/costs.md, or FIELD=--all-current)." >&2; exit 2; }
	$(BIN)/carekb-translate mark $(FIELD)

browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

# pytest exits with 5 when no test ran (none collected, or a -m/-k selection matched none);
# that alone is not a failure here, but only when its own summary line says exactly that.
# Every other non-zero exit fails.
test: $(STAMP) browser-deps
	@mkdir -p $(dir $(PYTEST_LOG))
	@rc=0; $(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS) 2>&1 | tee $(PYTEST_LOG) || rc=$$?; \
	if [ $$rc -eq 5 ] && tail -n 1 $(PYTEST_LOG) | grep -Eq 'no tests ran|deselected' \
		&& ! tail -n 1 $(PYTEST_LOG) | grep -Eq 'failed|error|passed'; then \
		echo "pytest ran no tests (none collected or all deselected); nothing failed."; rc=0; \
	fi; \
	exit $$rc

# The unit tests only (`-m unit`: no site build, no browser, no process started): the first
# minute of feedback. `-m build`, `-m browser` and `-m newcomer` select the rest (tests/conftest.py).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m unit $(XDIST) $(PYTEST_ARGS)
