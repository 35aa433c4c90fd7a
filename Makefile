# Devolution-spectrum explorer: everyday tasks.
#   make run                    serve the app on http://localhost:8501 (this machine only)
#   make run ADDRESS=0.0.0.0    serve it to the room (other machines use this machine's address)
#   make test                   lint + the whole test suite (what .ci/run does)

PORT     ?= 8501
ADDRESS  ?= 127.0.0.1
VENV     := .venv
PY       := $(VENV)/bin/python
PIP      := $(PY) -m pip install --quiet --disable-pip-version-check
CHROMIUM := /usr/bin/chromium

.PHONY: run install-dev lint test bench clean

# The virtual environment itself, created once.
$(PY):
	python3 -m venv $(VENV)

# Runtime packages, reinstalled only when requirements.txt changes.
$(VENV)/.stamp-run: requirements.txt | $(PY)
	$(PIP) -r requirements.txt
	touch $@

# Runtime + test/lint packages, reinstalled only when either requirements file changes.
$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) -r requirements-dev.txt
	touch $@

# Start the app (Ctrl+C stops it).
run: $(VENV)/.stamp-run
	@echo "Devolution-spectrum explorer: http://localhost:$(PORT)  (listening on $(ADDRESS))"
	$(PY) -m streamlit run app.py --server.headless true --server.port $(PORT) --server.address $(ADDRESS)

# Test/lint packages plus Debian's Chromium for the browser tests.
install-dev: $(VENV)/.stamp-dev
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium" >&2; \
	    exit 1; \
	  fi; \
	fi

# Static checks.
lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .

# Lint, then every test (tests/core, tests/app, tests/e2e); any pytest failure, including "no tests", fails.
test: install-dev lint
	$(PY) -m pytest

# Run each benchmark script in bench/ (if any).
bench: $(VENV)/.stamp-dev
	@set -e; for f in bench/*.py; do \
	  [ -e "$$f" ] || continue; \
	  echo "== $$f"; PYTHONPATH=. $(PY) "$$f"; \
	done

# Remove install stamps and tool caches (keeps the venv's packages, scenarios and bench results).
clean:
	rm -f $(VENV)/.stamp-run $(VENV)/.stamp-dev
	rm -rf .pytest_cache .ruff_cache .hypothesis tests/e2e/artifacts
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
