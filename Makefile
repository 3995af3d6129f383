# STPulse — the two set-up commands are `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install system-deps lint unit integration demo serve clean

run: install            ## install, migrate, seed the demo cabinet, serve on http://127.0.0.1:8000 (SQLite)
	$(BIN)/stpulse demo
	$(BIN)/stpulse serve

test: install system-deps lint   ## the whole suite against PostgreSQL and Redis (fails if either is down)
	$(BIN)/pytest -q

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

system-deps:            ## Debian's chromium (browser tests), postgresql-client (pg_dump, backups), Java (Nu HTML checker), clamd (antivirus)
	@{ command -v chromium && command -v pg_dump && command -v java && test -x /usr/sbin/clamd; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium postgresql-client default-jre-headless clamav-daemon; }

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q tests/unit

integration: install system-deps
	$(BIN)/pytest -q tests/integration

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
