# Parcours — `make run` serves the demo, `make test` runs every check. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: run install test lint types check-migrations check-deploy pytest bench messages compilemessages clean

$(VENV)/.installed: pyproject.toml assets.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) tools/fetch_assets.py
	touch $@

install: $(VENV)/.installed

compilemessages: install
	$(MANAGE) compile_translations

run: install compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_referential
	$(MANAGE) load_catalogue
	$(MANAGE) seed_demo
	@echo "Parcours on http://127.0.0.1:$(PORT)/ (stop with Ctrl-C)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check src bench tools manage.py
	$(VENV)/bin/ruff format --check src bench tools manage.py

types: install
	$(VENV)/bin/mypy

check-migrations: install
	$(MANAGE) makemigrations --check --dry-run

check-deploy: install
	PARCOURS_ENV=production SECRET_KEY=check-deploy-only-$$(date +%s)-a-long-random-enough-value-for-the-check \
	  ALLOWED_HOSTS=parcours.example.org $(MANAGE) check --deploy --fail-level WARNING

pytest: install compilemessages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint types check-migrations check-deploy pytest

bench: install compilemessages
	$(PY) bench/run.py

# Refresh the .po files from the source (needs GNU gettext); translators then fill them in.
messages: install
	$(MANAGE) makemessages --locale fr --locale en --ignore '.venv/*' --ignore 'build/*' --no-obsolete

clean:
	rm -rf $(VENV) staticfiles parcours.sqlite3
