# Devolution-spectrum explorer: everyday tasks.
#   make run                    serve the app on http://localhost:8501 (this machine only)
#   make run ADDRESS=0.0.0.0    serve it to the room (other machines use this machine's address)
#   make test                   lint + the whole test suite (what .ci/run does)
#   make lock                   regenerate the lock files after editing requirements*.txt
#   make test-latest            the suite in a throwaway venv with the newest releases the ranges allow

SHELL    := /bin/bash
PORT     ?= 8501
ADDRESS  ?= 127.0.0.1
VENV     := .venv
PY       := $(VENV)/bin/python
PIP      := $(PY) -m pip install --quiet --disable-pip-version-check
CHROMIUM := /usr/bin/chromium

UV_VERSION := 0.13.9

.PHONY: run serve install-dev system-packages browser lint test test-latest lock bench clean

# The virtual environment itself, created once.
$(PY):
	python3 -m venv $(VENV)

# Installs come from the lock files (exact versions with hashes), never from the ranges in requirements*.txt,
# so an upstream release cannot change what a fresh machine gets. Reinstalled only when a lock file changes.
$(VENV)/.stamp-run: requirements.lock | $(PY)
	$(PIP) --require-hashes -r requirements.lock
	touch $@

$(VENV)/.stamp-dev: requirements-dev.lock | $(PY)
	$(PIP) --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.stamp-run

# Regenerate both lock files from the human-readable ranges (run after editing requirements*.txt, or to take
# upstream releases on purpose; then run make test and commit the lock files).
lock: | $(PY)
	$(PIP) uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" requirements.txt -o requirements.lock
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" requirements-dev.txt -o requirements-dev.lock

# Start the app (Ctrl+C stops it).
run: $(VENV)/.stamp-run
	@echo "Devolution-spectrum explorer: http://localhost:$(PORT)  (listening on $(ADDRESS))"
	$(PY) -m streamlit run app.py --server.headless true --server.port $(PORT) --server.address $(ADDRESS)

# Serve many people: `make serve REPLICAS=n` (default 2) app processes on internal ports behind Debian's nginx (a private instance with its
# config, pid and logs in .run/), sticky sessions, a replica that dies is skipped and restarted. Ctrl+C stops all.
serve: $(VENV)/.stamp-run
	$(PY) deploy/serve.py --replicas $(or $(REPLICAS),2) --port $(PORT) --address $(ADDRESS)

# Test/lint packages plus the Debian packages the tests run for real: Chromium (browser tests), PostgreSQL
# (the store's second backend), nginx (replicas behind a load balancer) and DejaVu (the PDF's Unicode font).
install-dev: $(VENV)/.stamp-dev system-packages

# Debian package -> a file it installs; only missing ones are installed (apt-get needs root).
SYSTEM_PACKAGES := chromium:$(CHROMIUM) postgresql:/usr/lib/postgresql nginx:/usr/sbin/nginx \
                   fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

system-packages:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do \
	  [ -e "$${pair#*:}" ] || missing="$$missing $${pair%%:*}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq $$missing; \
	  else \
	    echo "The tests need these Debian packages: $$missing. Install them with: sudo apt-get install$$missing" >&2; \
	    exit 1; \
	  fi; \
	fi

browser: system-packages

# Static checks.
lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .

# Lint, then every test (tests/core, tests/app, tests/e2e); any pytest failure, including "no tests", fails.
test: install-dev lint
	$(PY) -m pytest

# Drift check: a throwaway venv with the newest releases requirements*.txt allows, then lint and every test.
# Finds an upstream release that breaks us on purpose, before anyone runs make lock.
test-latest: browser
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	norm() { tr 'A-Z_' 'a-z-' | sed -n 's/^\([a-z0-9.-]*==[^ ;]*\).*/\1/p' | sort; }; \
	python3 -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade -r requirements-dev.txt; \
	echo "== installed versions that differ from requirements-dev.lock:"; \
	drift=$$(comm -13 <(norm < requirements-dev.lock) <("$$tmp/venv/bin/python" -m pip freeze | norm)); \
	echo "$${drift:-(none)}" | sed 's/^/   /'; \
	"$$tmp/venv/bin/ruff" check .; \
	"$$tmp/venv/bin/python" -m pytest -p no:cacheprovider

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
