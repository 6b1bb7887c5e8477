# imapkey: every target makes and uses .venv/ at the repository root.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINTED := host tests bench

.PHONY: test lint typecheck pytest node-test system-deps bench install demo screenshots clean

## test: install what the tests need (Debian packages too), then run every check
test: system-deps $(STAMP) lint typecheck pytest node-test

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

node-test: node_modules/.installed
	node --test tests/extension/
	npx --no-install web-ext lint --source-dir extension --self-hosted

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

system-deps:
	@bash tests/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

## install: real use on a desktop: .venv with imapkey, the host registered with every browser
## found (imapkey install), then how to load the extension
install:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e .
	$(BIN)/imapkey install
	@echo
	@echo "Command line: $(CURDIR)/$(BIN)/imapkey (put $(CURDIR)/$(BIN) on your PATH)"

## demo: the main job end to end on embedded defaults (throwaway Dovecot, private keyring,
## stand-in App passwords page, headless Chromium with the extension and the real host)
demo: system-deps $(STAMP)
	$(BIN)/python tests/demo.py

## screenshots: refresh docs/popup-*.png from the Chromium end-to-end test
screenshots: system-deps $(STAMP)
	IMAPKEY_SCREENSHOTS_DIR=$(CURDIR)/docs $(BIN)/pytest -q tests/extension/test_chromium_e2e.py

## bench: the performance figures recorded in the README
bench: system-deps $(STAMP)
	$(BIN)/python bench/host_startup.py
	$(BIN)/python bench/prober_rtt.py
	$(BIN)/python bench/smtp_rtt.py
	$(BIN)/python bench/popup_open.py

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache .hypothesis
