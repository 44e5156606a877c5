# công khai: the two commands a newcomer needs are `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site test serve validate lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/congkhai validate

site: validate
	$(BIN)/congkhai build --out site

# The repository's own records are checked first: CI fails when any misses a mandatory field.
test: validate
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

serve: $(STAMP)
	$(BIN)/python -m generator.publish --serve

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf site build .pytest_cache
