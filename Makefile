# The README's commands. Every target sets up what it needs, idempotently, on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages for rendering: Pango for WeasyPrint, HarfBuzz-Subset for fast font subsetting,
# the fonts the briefing names (fonts-noto-core holds Noto Nastaliq Urdu, for `--lang ur`;
# `dpkg -S NotoNastaliqUrdu-Regular.ttf` names it in bookworm), and poppler-utils to look at PDFs as pictures (pdftoppm); and
# for the loader's C extension (advisories/load/_quickyaml.c): gcc, libyaml's headers, Python's.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	fonts-noto-core poppler-utils gcc libyaml-dev python3-dev

# For the tests only: Debian's Chromium, which the browser tests drive through Playwright (no
# browser download works here; Playwright is given /usr/bin/chromium).
TEST_PACKAGES := chromium

# For the benchmarks only: wrk, the HTTP load generator that bench/load_bench.py drives (written
# in C, it takes little of the 2 cores that it shares with the server under test).
BENCH_PACKAGES := wrk

.PHONY: demo test check bench docs messages extract-messages compile-messages clean system \
	system-test system-bench install-debian

system:
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(DEBIAN_PACKAGES)"

system-test: system
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(TEST_PACKAGES)"

system-bench: system
	@$(MAKE) --no-print-directory install-debian PACKAGES="$(BENCH_PACKAGES)"

install-debian:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml advisories/load/_quickyaml.c | system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

demo: system $(STAMP)
	$(BIN)/advisory validate
	mkdir -p out
	$(BIN)/advisory check Quetta --on 2026-02-10 | tee out/quetta-2026-02-10.txt
	$(BIN)/advisory check Quetta --on 2026-02-10 --format json > out/quetta-2026-02-10.json
	$(BIN)/advisory brief Quetta --on 2026-02-10 -o out/quetta-2026-02-10.pdf
	$(BIN)/advisory brief Quetta --on 2026-02-10 --format html -o out/quetta-2026-02-10.html
	$(BIN)/advisory trip examples/trip-karachi-quetta-gwadar.yaml --org examples/organisation.yaml \
		-o out/trip-karachi-quetta-gwadar.pdf
	$(BIN)/advisory trip examples/trip-karachi-quetta-gwadar.yaml --org examples/organisation.yaml \
		--format html -o out/trip-karachi-quetta-gwadar.html

test: system-test $(STAMP)
	$(BIN)/python -m pytest

check: system-test $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# world_bench.py also runs check_latency.py and render_bench.py, and writes BENCHMARKS.md
# (about 20 minutes; BENCH_SIZES=1000,10000 for a shorter run); then load_bench.py loads
# `advisory serve` with wrk and writes its own section (about 5 minutes; --quick, LOAD_TREES).
bench: system-bench $(STAMP)
	$(BIN)/python bench/world_bench.py
	$(BIN)/python bench/load_bench.py

docs: $(STAMP)
	$(BIN)/python docs/make_schemas.py

# The briefings' message catalogues (advisories/locale; its babel.cfg says what is read): the marked
# text extracted into messages.pot and merged into each language's .po, which translators edit,
# then compiled to the .mo the package loads. The .mo is committed, so that a fresh clone renders
# Urdu without this step; tests/test_urdu.py fails when it falls behind its .po.
LOCALE := advisories/locale

messages: extract-messages compile-messages

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F advisories/locale/babel.cfg -c TRANSLATORS: --no-location --sort-output \
		--project advisories -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-fuzzy-matching

compile-messages: $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALE) --statistics

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
