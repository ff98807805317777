# The two commands a 街道's IT team needs:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-test lint check test-sqlite test-postgres bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## make run: install, migrate the embedded SQLite database under ./var, load the demo 街道, serve on :8000.
## The org tree and its people load first; the rest of the demo (agriculture, the appeals' two-year history, the
## greenhouses, meetings, the mediation centre, enterprises, activities, the cherry cluster) is generated in the background
## through the real actions while the server already answers; the 工作台 shows the history's progress and
## var/demo-history.log the whole output. A second run finds the database at its latest migration and the demo
## loaded, and serves within seconds (`minsheng run`, one process).
run: $(VENV)/.installed
	$(BIN)/minsheng run --host $(HOST) --port $(PORT)

## make test: lint, Django checks, the suite on SQLite and (when reachable, always in CI) on PostgreSQL, side by side
test: $(VENV)/.installed-test
	bash scripts/ensure-test-deps.sh
	$(MAKE) --no-print-directory lint check
	@# The two passes share no database: side by side they take the time of the longer one, not the sum.
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint:
	$(BIN)/ruff check minsheng bench
	$(BIN)/ruff format --check minsheng bench
	bash scripts/mypy.sh $(BIN)

check:
	MINSHENG_VAR_DIR=$$(mktemp -d) $(BIN)/python manage.py check
	MINSHENG_VAR_DIR=$$(mktemp -d) $(BIN)/python manage.py makemigrations --check --dry-run
	MINSHENG_DEBUG=0 MINSHENG_BEHIND_PROXY=1 MINSHENG_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-looking-secret-value-xyz \
	  MINSHENG_ALLOWED_HOSTS=minsheng.example MINSHENG_VAR_DIR=$$(mktemp -d) \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite:
	MINSHENG_VAR_DIR=$$(mktemp -d) $(BIN)/pytest -q

test-postgres:
	bash scripts/test-postgres.sh $(BIN)

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
