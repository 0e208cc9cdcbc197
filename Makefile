# Running Injuries: every command sets up .venv when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PY     := $(BIN)/python
export PYTHONPATH := $(CURDIR)/hooks
export PYTHONDONTWRITEBYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve build test check report new-condition new-topic new-symptom bench audit schema clean

help:
	@echo "make serve   build and serve at http://127.0.0.1:8000 with live reload"
	@echo "make test    every test (installs what the tests need)"
	@echo "make build   build the static site into site/"
	@echo "make check   check all content without building (STRICT=1 fails on warnings)"
	@echo "make report  review dates, citations and reading grade of every page"
	@echo "make new-condition ID=<id> TOPIC=<topic> | new-topic ID=<id> | new-symptom ID=<id>"
	@echo "make bench   the speed and memory benchmark (QUICK=1 for a short run)"
	@echo "make audit   Lighthouse (served with gzip) and screenshots of each kind of page: .audit/"

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

# Build into a temporary folder and replace site/ only when the build succeeded, so a failed
# build never leaves a half-written site that could be published.
# ALLOW_WARNINGS=1 (the scheduled deploy only) still publishes when a review has fallen due, so that
# readers see the overdue notice; content errors fail the build either way.
SITE_DIR ?= site
build: $(STAMP)
	rm -rf "$(SITE_DIR).tmp"
	$(BIN)/mkdocs build $(if $(filter 1 yes true,$(ALLOW_WARNINGS)),--no-strict,--strict) --site-dir "$(SITE_DIR).tmp" || { rm -rf "$(SITE_DIR).tmp"; exit 1; }
	rm -rf "$(SITE_DIR)" && mv "$(SITE_DIR).tmp" "$(SITE_DIR)"
	@echo "Built $(SITE_DIR)/"

test: $(STAMP)
	$(PY) tests/browser_setup.py
	$(BIN)/pytest

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
	$(PY) -m running_injuries.check $(if $(filter 1 yes true,$(STRICT)),--strict) $(if $(filter 1 yes true,$(GITHUB)),--github)

report: $(STAMP)
	$(PY) -m running_injuries.report

new-condition: $(STAMP)
	$(PY) -m running_injuries.scaffold condition "$(ID)" "$(TOPIC)"

new-topic: $(STAMP)
	$(PY) -m running_injuries.scaffold topic "$(ID)"

new-symptom: $(STAMP)
	$(PY) -m running_injuries.scaffold symptom "$(ID)"

# The JSON Schemas under content/schema/, from the content model (a test keeps them in sync).
schema: $(STAMP)
	$(PY) -m running_injuries.schema

clean:
	rm -rf site site.tmp .pytest_cache
