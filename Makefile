# Union Mall: `make run` serves the mall with demo data, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEPS := $(VENV)/.deps-installed

.PHONY: run test lint format bench worker migrate seed clean

$(DEPS): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(DEPS)
	scripts/install-system-packages
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	PORT=$(PORT) scripts/run-dev

worker: migrate
	$(BIN)/celery -A mall worker --loglevel=info

lint: $(DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(DEPS)
	scripts/install-system-packages --browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	scripts/run-tests $(PYTEST_ARGS)

bench: $(DEPS)
	scripts/install-system-packages
	$(BIN)/python -m bench $(BENCH_ARGS)

format: $(DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var
