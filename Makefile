# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3.12
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Test processes (pytest-xdist): one per CPU core, each with its own test database on the same
# PostgreSQL server, handed tests two at a time (longest first, see tests/conftest.py).
# TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= auto

.PHONY: run test install lint format worker check-deploy clean-db backup restore audit

run: install
	$(PY) manage.py setup_platform --demo
	@echo "Plateforme : http://$(HOST)/  (Ctrl-C pour arrêter)"
	$(PY) manage.py recover_jobs
	$(PY) manage.py db_worker & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-0} DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load --maxschedchunk 2 $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

worker: install
	$(PY) manage.py recover_jobs
	$(PY) manage.py db_worker

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
	DJANGO_ENV=production SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=exemple.fr DATABASE_URL=$${DATABASE_URL:-postgresql://localhost/check-deploy} \
	$(PY) manage.py check --deploy --fail-level WARNING

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

clean-db:
	rm -rf .pgdata
