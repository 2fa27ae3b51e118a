# The README's commands. Every target sets up what it needs, idempotently, on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/advisory validate
	mkdir -p out
	$(BIN)/advisory check Quetta --on 2026-02-10 | tee out/quetta-2026-02-10.txt
	$(BIN)/advisory check Quetta --on 2026-02-10 --format json > out/quetta-2026-02-10.json
	@echo "wrote out/quetta-2026-02-10.txt and out/quetta-2026-02-10.json"

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/check_latency.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
