# Partnership Atlas — `make run` starts the app on the demo district, `make test` runs every test.
# Both create the virtual environment (.venv) and install what they need on first use.

VENV   := .venv
PYTHON := $(VENV)/bin/python
PORT   ?= 8501
# The test suite runs with networking cut off (loopback only) where the machine allows it
# (root with unshare): that proves the app and its exports need no internet.
OFFLINE := $(shell unshare -n true 2>/dev/null && command -v ip >/dev/null && echo yes)

.PHONY: run test lint format build clean system-deps

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PYTHON) -m streamlit run app.py --server.port $(PORT)

build: $(VENV)/.installed
	$(PYTHON) -m atlas build

# Debian's Chromium for the browser tests and image export (never a downloaded browser).
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-dejavu-core; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Two pytest workers (pytest-xdist): the browser tests wait on a Streamlit server and Chromium,
# so two of them keep a 2-core machine busy. Each worker has its own demo database, server and
# browser; idle workers take tests queued for the other one (worksteal).
PYTEST_WORKERS := -n 2 --dist worksteal

test: $(VENV)/.installed system-deps lint
ifeq ($(OFFLINE),yes)
	unshare -n sh -c 'ip link set lo up && $(PYTHON) -m pytest $(PYTEST_WORKERS)'
else
	@echo "note: cannot cut the network here (needs root and unshare); running online"
	$(PYTHON) -m pytest $(PYTEST_WORKERS)
endif

clean:
	rm -rf $(VENV) data/atlas.duckdb .pytest_cache test-artifacts
