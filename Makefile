# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3.12
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Test processes (pytest-xdist): one per CPU core, each with its own test database on the same
# PostgreSQL server, handed tests two at a time (longest first, see tests/conftest.py).
# TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= auto

.PHONY: run test install lint format worker check-deploy clean-db backup restore audit \
	prerequisites prod-check

run: prerequisites install
	$(PY) manage.py setup_platform --demo
	@echo "Plateforme : http://$(HOST)/  (Ctrl-C pour arrêter)"
	$(PY) manage.py recover_jobs
	# One worker per queue: imports and e-mails never wait behind a batch of reports.
	$(PY) manage.py db_worker --queue-name default & SHORT=$$!; \
	$(PY) manage.py db_worker --queue-name long & LONG=$$!; \
	$(PY) manage.py scheduler & SCHEDULER=$$!; \
	trap 'kill $$SHORT $$LONG $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-0} DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py runserver $(HOST)

# Chromium, Pango and fonts: says, in French, the one command that installs what is missing.
prerequisites:
	@sh bin/check-prerequisites

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load --maxschedchunk 2 $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Both queues' workers (QUEUE=default or QUEUE=long for one of them).
worker: install
	$(PY) manage.py recover_jobs
	@if [ -n "$(QUEUE)" ]; then exec $(PY) manage.py db_worker --queue-name $(QUEUE); fi; \
	$(PY) manage.py db_worker --queue-name default & SHORT=$$!; \
	trap 'kill $$SHORT 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py db_worker --queue-name long

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# Type checking imports the settings: a placeholder URL keeps the embedded server asleep.
	DATABASE_URL=$${DATABASE_URL:-postgresql://localhost/typecheck} $(VENV)/bin/mypy
	# A model changed without its migration fails here, not on the next engineer's machine.
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: install
	$(PY) bin/check-deploy

# Known vulnerabilities in requirements.lock (pip-audit, in its own virtualenv).
audit: .venv-audit/.installed
	.venv-audit/bin/python .ci/audit.py

.venv-audit/.installed: .ci/requirements-audit.lock
	test -x .venv-audit/bin/python || $(PYTHON) -m venv .venv-audit
	.venv-audit/bin/python -m pip install --quiet --disable-pip-version-check -r .ci/requirements-audit.lock
	touch $@

# pg_dump custom format into var/backups/ (or FICHIER=…); restore replaces the database's content.
backup: install
	$(PY) -m config.backup backup $(FICHIER)

restore: install
	@test -n "$(FICHIER)" || (echo "Usage : make restore FICHIER=var/backups/….dump" >&2; exit 2)
	$(PY) -m config.backup restore $(FICHIER)

# The production stack of docker-compose.yml without containers: a PostgreSQL server over TCP with
# a password, setup_platform, gunicorn (DJANGO_ENV=production, WhiteNoise), a worker per queue;
# then /health/, a territory page, a PDF, an import by the worker, a backup and its restore.
prod-check: install
	$(PY) deploy/prod_check.py

clean-db:
	rm -rf .pgdata
