# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: run test lint bench install install-dev secret worker clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes; otherwise reuse what is there.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A secret key generated once per checkout, kept in the git-ignored var/ folder.
var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

secret: var/secret_key

run: install secret
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Joint inspections is starting at http://$(HOST):$(PORT)/"
	@echo "    API documentation   http://$(HOST):$(PORT)/api/docs/"
	@echo "    OpenAPI schema      http://$(HOST):$(PORT)/api/schema/"
	@echo "    Administration      http://$(HOST):$(PORT)/admin/"
	@echo "    Health              http://$(HOST):$(PORT)/healthz"
	@echo "  Demo logins (role username password; demo data only):"
	@$(PY) manage.py demo_logins | sed 's/^/    /'
	@echo "  Background tasks run in-process (CELERY_BROKER_URL is unset). Stop with Ctrl-C."
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

test: install-dev secret
	$(PY) -m pytest

lint: install-dev secret
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev secret
	@for f in tests/benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

worker: install secret
	$(VENV)/bin/celery -A backend worker --beat --loglevel=INFO

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
