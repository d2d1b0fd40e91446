# Two commands do all set-up: `make run` (ingest the bundled sample) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SAMPLE := data/samples/haninge-ks-arsredovisning-2024.pdf

.PHONY: install run test test-fast bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/arw ingest $(SAMPLE)

# pytest-xdist processes; each test file goes whole to one of them (its module fixtures run once),
# in the order tests/conftest.py gives them: the longest files first, so none starts last
TEST_WORKERS ?= 2

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test-fast: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -m "not slow"

bench: install  # timings side by side, against pdfplumber's extract_tables() (README: Performance)
	sh bench/run.sh

clean:
	rm -rf $(VENV) .state warehouse/*.duckdb dbt_project/target dbt_project/target-gw* dbt_project/logs
