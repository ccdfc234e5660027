# Beredskabsportalen. Two commands: `make run` (the demo) and `make test` (every check).
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3
# Where `make run` serves the demo, e.g. `make run ADDR=127.0.0.1:8001` when 8000 is taken.
ADDR ?= 127.0.0.1:8000
TOOLS := var/tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
RUN := $(UV) run --locked

.PHONY: run test bench lint sync migrate demo-data messages compilemessages clean backup restore

# Without DJANGO_ENV the settings are production's (and refuse to start without their
# variables). The demo, the tests and the benchmarks ask for demo mode explicitly; the
# helper targets default to it and follow DJANGO_ENV when it is set.
run test bench: export DJANGO_ENV := demo
lint migrate demo-data messages compilemessages backup restore: export DJANGO_ENV ?= demo

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

sync: $(if $(filter $(TOOLS)/bin/uv,$(UV)),$(TOOLS)/bin/uv)
	$(UV) sync --locked

migrate: sync
	$(RUN) python manage.py migrate --noinput

demo-data: migrate
	$(RUN) python manage.py load_plan
	$(RUN) python manage.py load_demo

## The demo: SQLite under var/, a real Celery worker and beat, on http://$(ADDR)
run: demo-data
	$(RUN) python manage.py run_demo --addr $(ADDR)

lint: sync
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) python manage.py makemigrations --check --dry-run

## Every check: lint, format, missing migrations, the whole test suite
test: lint
	$(RUN) pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests (exit 5): nothing ran"; exit 0; fi; \
	exit $$rc

## Benchmarks (not run by CI): one `name=value unit` line per figure
bench: sync
	$(RUN) python tests/bench/run.py

## Backups (README "Backups"): a dated archive under var/backups/, and its restore
backup: sync
	$(RUN) python manage.py backup

restore: sync
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/beredskab-backup-....tar"; exit 2; }
	$(RUN) python manage.py restore "$(ARCHIVE)"

messages: sync
	$(RUN) python manage.py makemessages -l da --ignore=var --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete
	$(RUN) python manage.py compilemessages -l da --ignore=var --ignore=.venv

compilemessages: sync
	$(RUN) python manage.py compilemessages -l da --ignore=var --ignore=.venv

clean:
	rm -rf var/db.sqlite3 var/celery var/celerybeat-schedule*
