# Yilu: the two commands are `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-quick venv venv-dev migrate seed lint lint-imports format messages check-deploy clean bench

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# XStatic-Bootstrap ships as an sdist whose setup needs pkg_resources, so it is
# built without isolation against setuptools<81 before the rest.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet "setuptools<81" wheel
	$(PIP) install --quiet --no-build-isolation "$$(grep -i '^xstatic-bootstrap==' requirements.txt)"
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## make run: set up, load the demo data and serve http://127.0.0.1:8000 with a Celery worker and beat.
run: seed
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start

## make test: the whole suite (PostgreSQL/Redis when DATABASE_URL / CELERY_BROKER_URL are set).
test: venv-dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## make test-quick: stop at the first failure, skip the integration tests.
test-quick: venv-dev
	$(VENV)/bin/pytest -x -q -m "not integration" $(PYTEST_ARGS)

lint: venv-dev lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

## make lint-imports: the layers and boundaries of pyproject.toml (docs/architecture.md).
lint-imports: venv-dev
	$(VENV)/bin/lint-imports --no-logo

format: venv-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make messages: refresh the catalogues after adding strings, then compile them.
messages: venv-dev
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

## make bench: seed the bench database if it is empty (BENCH_SCALE, default 1; PostgreSQL at
## BENCH_DATABASE_URL), then measure it with gunicorn, Redis and Celery and write
## docs/benchmarks.md; fails when a page errs or a target is missed. BENCH_QUICK=1: a small,
## fast run on its own database (scale 0.05, fewer rounds, 1,000 import rows).
## BENCH_ONLY=staff,reports: only those sections (public, cached, staff, signup, reports,
## import, outbox), reported in var/bench-only.md.
ifdef BENCH_ONLY
BENCH_OUT ?= var/bench-only.md
endif
ifdef BENCH_QUICK
BENCH_SCALE ?= 0.05
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/yilu_bench_quick
BENCH_OUT ?= var/benchmarks-quick.md
BENCH_FLAGS := --quick
else
BENCH_SCALE ?= 1
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/yilu_bench
BENCH_OUT ?= docs/benchmarks.md
BENCH_FLAGS :=
endif
BENCH_IMPORT_ROWS ?= $(if $(BENCH_QUICK),1000,10000)
BENCH_PORT ?= 8765
BENCH_REDIS_PORT ?= 6399
bench: venv
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_bench --scale $(BENCH_SCALE) --if-empty
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=config.settings.bench $(PY) manage.py bench \
		$(BENCH_FLAGS) $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) --import-rows $(BENCH_IMPORT_ROWS) --port $(BENCH_PORT) --redis-port $(BENCH_REDIS_PORT) --out $(BENCH_OUT) \
		--scale $(BENCH_SCALE) --command-line "make bench$(if $(BENCH_QUICK), BENCH_QUICK=1) BENCH_SCALE=$(BENCH_SCALE) BENCH_IMPORT_ROWS=$(BENCH_IMPORT_ROWS)"

check-deploy: venv
	DJANGO_SECRET_KEY=check-deploy-$$(printf '%064d' 0) $(PY) manage.py check --deploy --fail-level WARNING --settings=config.settings.production

clean:
	rm -rf $(VENV) var db.sqlite3
