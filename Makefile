# Two commands: `make run` (set up, migrate, demo data, serve) and `make test` (the whole suite).
# `make lint` (ruff and the import-layer contracts), `make lock` (pin the Python dependencies again).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
# `make test` runs the suite on this many pytest-xdist workers (`PYTEST_WORKERS=0` runs it in one process);
# PYTEST_ARGS passes more arguments to pytest.
PYTEST_WORKERS ?= 2

.PHONY: setup run test lint lock bench clean translations

TRANSLATIONS := mentormatch/translations

setup: $(VENV)/.installed static/vendor/.installed $(TRANSLATIONS)/.compiled

# What CI tested: every Python dependency pinned, with hashes, in requirements.lock (`make lock` writes it).
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/@picocss/pico/css/pico.min.css static/vendor/pico.min.css
	touch $@

# The catalogs (.po, in git) compiled to what the site reads (.mo, not in git).
$(TRANSLATIONS)/.compiled: $(VENV)/.installed $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
	$(BIN)/pybabel compile -d $(TRANSLATIONS)
	touch $@

# After marking or changing strings: extract them (babel.cfg) and bring every language's catalog up to date;
# then translate what is new in each messages.po (`make lint` fails while anything is untranslated).
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k N_ -k NP_:1,2 --no-location --sort-output --no-wrap \
		--ignore-dirs ".* __pycache__" \
		-o $(TRANSLATIONS)/messages.pot mentormatch templates
	$(BIN)/pybabel update -N --no-wrap --ignore-obsolete -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	$(MAKE) $(TRANSLATIONS)/.compiled

run: setup
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# Two passes: the suite on the xdist workers, then the tests marked `alone` (see tests/conftest.py) in one process.
# A pass that selects no test (exit 5, e.g. PYTEST_ARGS names one file) is fine; any other failure stops make.
test: setup
	@$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m "not alone" $(PYTEST_ARGS); s=$$?; [ $$s -eq 0 ] || [ $$s -eq 5 ] || exit $$s
	@$(BIN)/python -m pytest -m alone $(PYTEST_ARGS); s=$$?; [ $$s -eq 0 ] || [ $$s -eq 5 ] || exit $$s

# Every check runs, and any failing fails it: ruff's rules and the import-linter contracts ([tool.ruff] and
# [tool.importlinter] in pyproject.toml), no module using another's private name (.ci/private_names.py), and
# the translation catalogs whole: every marked string translated, no unmarked template text (.ci/catalogs.py).
# `$(BIN)/ruff check --fix .` fixes what ruff can.
lint: setup
	@status=0; \
	$(BIN)/ruff check --no-cache . || status=1; \
	$(BIN)/lint-imports --no-cache --no-logo || status=1; \
	$(BIN)/python .ci/private_names.py || status=1; \
	$(BIN)/python .ci/catalogs.py || status=1; \
	exit $$status

# After changing the dependencies in pyproject.toml: pins what is new and keeps the other pins;
# `make lock LOCK_ARGS=--upgrade` moves every pin to the newest version pyproject.toml allows.
lock:
	test -x $(BIN)/pip-compile || $(MAKE) $(VENV)/.installed
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --allow-unsafe --no-strip-extras --no-emit-find-links \
		--no-emit-index-url $(LOCK_ARGS) -o requirements.lock pyproject.toml

bench: setup
	$(BIN)/python bench/matching_bench.py

clean:
	rm -rf $(VENV) node_modules static/vendor instance
