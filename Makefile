# The two commands of the README: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FCA_DB ?= data/fca.duckdb
PORT ?= 8501
TEST_WORKERS ?= 2
export FCA_DB

.PHONY: run test demo sector bench clean chromium java

run: $(VENV)/.runtime $(FCA_DB)
	$(BIN)/streamlit run dashboard/server.py --server.port $(PORT)

# Lint first; then the tests that need no browser, on $(TEST_WORKERS) processes (pytest-xdist);
# then the browser tests on their own, one at a time, against one Streamlit server.
test: $(VENV)/.dev chromium java
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not e2e" -n $(TEST_WORKERS)
	$(BIN)/python -m pytest tests/e2e

# (Re)build the demo database; the app picks up the new file without a restart.
demo: $(VENV)/.runtime
	$(BIN)/python -m dashboard.demo --out $(FCA_DB)

# The sector-scale database for benchmarks (3,000 sites, 20 M lots; a few minutes).
sector: $(VENV)/.runtime
	$(BIN)/python -m dashboard.demo --out data/sector.duckdb --scale sector

bench: $(VENV)/.dev
	$(BIN)/python -m benchmarks

$(FCA_DB):
	$(MAKE) demo

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# pyxform checks the shipped XLSForms with ODK Validate, a Java program (tests/test_forms.py).
java:
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless; }

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
