# Running Injuries: every command sets up .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PY     := $(BIN)/python
export PYTHONPATH := $(CURDIR)/hooks
export PYTHONDONTWRITEBYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

# The engine that builds the site: MkDocs 1.6 (the default) or ProperDocs, its maintained drop-in
# fork (`make build ENGINE=properdocs`). Both are installed from the lock file; the tests, the
# benchmark and the audit read ENGINE from the environment too.
ENGINE ?= mkdocs
ifeq ($(filter $(ENGINE),mkdocs properdocs),)
$(error ENGINE=$(ENGINE): use ENGINE=mkdocs (the default) or ENGINE=properdocs)
endif
export ENGINE
# Every pinned version with its hashes (make lock writes it from pyproject.toml), so that two
# machines install the same packages and build byte-identical sites.
LOCK := requirements.lock
# The tool that writes the lock file (only `make lock` needs it).
UV_VERSION := 0.13.9

.PHONY: help venv serve build test compare-engines lock check report new-condition new-topic new-symptom bench audit schema clean

help:
	@echo "make serve   build and serve at http://127.0.0.1:8000 with live reload"
	@echo "make test    every test (installs what the tests need)"
	@echo "make build   build the static site into site/"
	@echo "             (ENGINE=properdocs: serve, build and test with ProperDocs instead of MkDocs)"
	@echo "make compare-engines   build with MkDocs and with ProperDocs, fail if the sites differ"
	@echo "make lock    pin the dependencies (requirements.lock) after editing pyproject.toml;"
	@echo "             UPGRADE=1 moves every pin to the newest allowed release, PACKAGE=<name> one"
	@echo "make check   check all content without building (STRICT=1 fails on warnings)"
	@echo "make report  review dates, citations and reading grade of every page"
	@echo "make new-condition ID=<id> TOPIC=<topic> | new-topic ID=<id> | new-symptom ID=<id>"
	@echo "make bench   the speed and memory benchmark (QUICK=1 for a short run)"
	@echo "make audit   Lighthouse (served with gzip) and screenshots of each kind of page: .audit/"

# Exactly the locked versions (pip checks every file's hash), then this project itself without
# resolving anything again.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

DEV_ADDR ?= 127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/$(ENGINE) serve --config-file mkdocs.yml --dev-addr $(DEV_ADDR) --livereload

# Build into a temporary folder and replace site/ only when the build succeeded, so a failed
# build never leaves a half-written site that could be published.
# ALLOW_WARNINGS=1 (the scheduled deploy only) still publishes when a review has fallen due, so that
# readers see the overdue notice; content errors fail the build either way.
SITE_DIR ?= site
build: $(STAMP)
	rm -rf "$(SITE_DIR).tmp"
	$(BIN)/$(ENGINE) build $(if $(filter 1 yes true,$(ALLOW_WARNINGS)),--no-strict,--strict) --config-file mkdocs.yml --site-dir "$(SITE_DIR).tmp" || { rm -rf "$(SITE_DIR).tmp"; exit 1; }
	rm -rf "$(SITE_DIR)" && mv "$(SITE_DIR).tmp" "$(SITE_DIR)"
	@echo "Built $(SITE_DIR)/ with $(ENGINE)"

test: $(STAMP)
	$(PY) tests/browser_setup.py
	$(BIN)/pytest

# Both engines build the real site strictly into temporary folders; any file that one has and the
# other has not, or whose bytes differ, fails (CI runs it after the tests).
compare-engines: $(STAMP)
	$(PY) tools/compare_engines.py

# Pin every dependency of pyproject.toml (the site's, the tests' and ProperDocs) with the hashes of
# every file PyPI has of each version, for any platform and Python 3.11 or newer. Pins that still
# satisfy pyproject.toml are kept; UPGRADE=1 moves every pin to the newest allowed release,
# PACKAGE=<name> only that package's. uv is installed into .venv only for this; the next make
# command installs the new pins (its stamp is older than the lock file).
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'uv==$(UV_VERSION)'
	$(BIN)/uv pip compile pyproject.toml --extra test --extra properdocs --universal \
	    --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
	    --quiet --output-file $(LOCK) $(if $(filter 1 yes true,$(UPGRADE)),--upgrade) \
	    $(if $(PACKAGE),--upgrade-package '$(PACKAGE)')

# Synthetic content in a temporary folder (never content/); N = 100, 1000, 3000, or 50, 200 quickly.
bench: $(STAMP)
	$(PY) bench/run.py $(if $(QUICK),--quick)

# Lighthouse (npx fetches lighthouse@12.2.3 once) with Debian's Chromium on a build served with gzip
# (tools/gzip_server.py); screenshots of each kind of page into .audit/screenshots/.
# Not part of `make test`: tests/test_a11y.py, test_privacy.py and test_seo.py check the same things.
audit: $(STAMP)
	$(PY) tests/browser_setup.py
	$(PY) tools/audit.py $(if $(RUNS),--runs $(RUNS))

# Editors' commands. `make check STRICT=1` also fails on warnings (CI on main); GITHUB=1 adds
# GitHub Actions annotations. `make new-condition ID=runners-knee TOPIC=knee-pain` and friends.
check: $(STAMP)
	$(PY) -m running_injuries.editors.check $(if $(filter 1 yes true,$(STRICT)),--strict) $(if $(filter 1 yes true,$(GITHUB)),--github)

report: $(STAMP)
	$(PY) -m running_injuries.editors.report

new-condition: $(STAMP)
	$(PY) -m running_injuries.editors.scaffold condition "$(ID)" "$(TOPIC)"

new-topic: $(STAMP)
	$(PY) -m running_injuries.editors.scaffold topic "$(ID)"

new-symptom: $(STAMP)
	$(PY) -m running_injuries.editors.scaffold symptom "$(ID)"

# The JSON Schemas under content/schema/, from the content model (a test keeps them in sync).
schema: $(STAMP)
	$(PY) -m running_injuries.editors.schema

clean:
	rm -rf site site.tmp .pytest_cache
