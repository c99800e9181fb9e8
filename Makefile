# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
# The worker `make run` starts beside the server (and `make worker` alone): beat included, for
# the outbox relay and the rollups; no gossip, mingle or heartbeats, which only cost file writes
# on the embedded transport.
WORKER_CONCURRENCY ?= 2
CELERY_WORKER = $(VENV)/bin/celery -A backend worker --beat \
	--concurrency $(WORKER_CONCURRENCY) --without-gossip --without-mingle --without-heartbeat --loglevel=INFO

.PHONY: code run serve test lint bench load install install-dev secret worker clean

# The project's packages are installed by uv (from PyPI, into the venv), five times faster than
# pip: a clean clone's install took 75 s with pip, 16 s with uv (2026-12-05), a minute of every
# CI run. pip installs uv itself.
$(PY):
	$(PYTHON) -m venv $(VENV)

# (A venv made before uv was used gets it the first time it installs again.)
$(VENV)/.uv: | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	@touch $@
UV_PIP := $(PY) -m uv pip install --quiet --python $(PY)

# Re-install whenever pyproject.toml changes; otherwise reuse what is there.
$(VENV)/.installed: pyproject.toml | $(VENV)/.uv
	$(UV_PIP) -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/.uv
	$(UV_PIP) -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A secret key generated once per checkout, kept in the git-ignored var/ folder.
var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# The personal data keys (encryption, and the HMAC of lookups): demo keys, never committed.
var/personal_data_keys:
	@mkdir -p var
	@$(PYTHON) -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())" > $@
	@chmod 600 $@

var/personal_data_index_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(32))" > $@
	@chmod 600 $@

secret: var/secret_key var/personal_data_keys var/personal_data_index_key

run: install secret
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Joint inspections is starting at http://$(HOST):$(PORT)/"
	@echo "    Field officers      http://$(HOST):$(PORT)/field/  (the phone app; sign in as demo-inspector)"
	@echo "    API documentation   http://$(HOST):$(PORT)/api/docs/"
	@echo "    OpenAPI schema      http://$(HOST):$(PORT)/api/schema/"
	@echo "    Administration      http://$(HOST):$(PORT)/admin/"
	@echo "    Registry imports    http://$(HOST):$(PORT)/registry/imports/  (demo-admin; samples in backend/registry_import/samples/)"
	@echo "    Health              http://$(HOST):$(PORT)/healthz"
	@echo "  Demo logins (role username password; demo data only):"
	@$(PY) manage.py demo_logins | sed 's/^/    /'
	@echo "  Sign in at http://$(HOST):$(PORT)/sign-in/. Planners, reviewers, victim protection, data-protection"
	@echo "  officers and the administrator also give a six-digit code: the first sign-in shows a QR code and"
	@echo "  key for an authenticator app; without a phone, give the password first, then"
	@echo "  \`make code LOGIN=demo-planner\` prints the current code."
	@echo "  Background tasks (planning runs, the outbox relay, rollups) run in a Celery worker started"
	@echo "  beside the server, on $${CELERY_BROKER_URL:-filesystem://} (messages under $${CELERY_BROKER_FOLDER:-var/broker/})."
	@echo "  Ctrl-C stops both."
	@echo ""
	@export CELERY_BROKER_URL="$${CELERY_BROKER_URL:-filesystem://}"; \
	$(CELERY_WORKER) & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker; exit 0' INT TERM; \
	trap 'kill -TERM $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# The current second-factor code of a demo login (demo data only): make code LOGIN=demo-planner
code: install
	@$(PY) manage.py demo_code $(LOGIN)

test: install-dev secret
	$(PY) -m pytest

lint: install-dev secret
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev secret
	@for f in tests/benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

# N simulated officers each syncing a day's work (V submissions with photos) through the production
# stack on PostgreSQL and Redis (README, "Benchmarks"): make load OFFICERS=200 VISITS=20
OFFICERS ?= 200
VISITS ?= 20
load: install-dev secret
	$(PY) -m tests.load.load_officers --officers $(OFFICERS) --visits $(VISITS)

worker: install secret
	CELERY_BROKER_URL="$${CELERY_BROKER_URL:-filesystem://}" $(CELERY_WORKER)

# The production layout on one machine (see README, "Deploying"): the Procfile's gunicorn web
# processes (WEB_CONCURRENCY), a Celery worker and beat, started together by honcho, DEBUG off,
# static files collected once (hashed, compressed, cached for a year), on the environment's
# database and broker (kombu's filesystem transport when no CELERY_BROKER_URL is set).
serve: install secret
	$(PY) manage.py migrate --noinput
	STATIC_COLLECTED=1 DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	@export STATIC_COLLECTED=1 DEBUG=0 CELERY_BROKER_URL="$${CELERY_BROKER_URL:-filesystem://}" \
		PATH="$(CURDIR)/$(VENV)/bin:$$PATH"; \
	exec $(VENV)/bin/honcho start --procfile Procfile --port $(PORT)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
