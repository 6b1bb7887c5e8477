# imapkey: every target makes and uses .venv/ at the repository root.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINTED := host tests bench scripts
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' host/imapkey/__init__.py)

.PHONY: test lint typecheck pytest node-test wheel-test system-deps bench install demo screenshots \
	dist icons clean

## test: install what the tests need (Debian packages too), then run every check, and the built
## wheel installed outside the tree as a user gets it
test: system-deps $(STAMP) lint typecheck pytest node-test wheel-test

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) node_modules/.installed  # the browser tests inject axe-core from node_modules
	$(BIN)/pytest

node-test: node_modules/.installed
	node --test tests/extension/
	npx --no-install web-ext lint --source-dir extension --self-hosted

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## wheel-test: build the wheel, install it into a fresh venv (and with pip --user) outside the
## tree, then imapkey install --dir, doctor and a hello round from there
wheel-test: $(STAMP)
	$(BIN)/python tests/wheel_check.py

## dist: store-ready builds in dist/: the wheel and sdist (twine check), the Chrome Web Store /
## Edge Add-ons zip (manifest without key), the addons.mozilla.org zip (web-ext build, lint 0 errors)
dist: $(STAMP) node_modules/.installed
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*.whl dist/*.tar.gz
	$(BIN)/python scripts/dist_extension.py dist
	npx --no-install web-ext lint --source-dir dist/extension-firefox
	npx --no-install web-ext build --source-dir dist/extension-firefox --artifacts-dir dist \
		--filename imapkey-$(VERSION)-firefox.zip --overwrite-dest
	rm -rf dist/extension-chrome dist/extension-firefox
	@ls -l dist

## icons: redraw extension/icons/ (16, 32, 48, 128 px and the SVG) from scripts/icons.py
icons:
	$(PYTHON) scripts/icons.py

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
	$(BIN)/python bench/host_memory.py
	$(BIN)/python bench/prober_rtt.py
	$(BIN)/python bench/smtp_rtt.py
	$(BIN)/python bench/popup_open.py

clean:
	rm -rf $(VENV) node_modules dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
