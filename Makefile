# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-slow lint test-fast benchmarks clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	# XStatic-Bootstrap ships only an sdist built with pkg_resources (setuptools < 81).
	$(BIN)/pip install --quiet "setuptools<81" wheel
	$(BIN)/pip install --quiet --no-build-isolation XStatic-Bootstrap==5.3.8.0
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	DJANGO_DEBUG=true $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=true $(BIN)/python manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the demo accounts above."
	@echo "The web server and the background worker run together; Ctrl-C stops both."
	DJANGO_DEBUG=true $(BIN)/python manage.py run_all $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install lint
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY="check-deploy-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
	  DJANGO_ALLOWED_HOSTS=poems.example.org DJANGO_DEBUG=false \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python -m pytest -m "not slow"

test-slow: install
	$(BIN)/python -m pytest -m slow

test-fast: install
	$(BIN)/python -m pytest -m "not browser" -x -q

benchmarks: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) staticfiles test-artifacts
