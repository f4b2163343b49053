# The few verbs of this project. Every target creates the virtual environment first if needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?= -q
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 2 )))  # pytest-xdist: one per core and two more, as some tests
                                                 # mostly wait (a frozen leader, restarts, rate limits)

.PHONY: demo test lint fix serve migrate messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

demo: $(STAMP) ## the console demo on a seeded SQLite file
	@$(BIN)/alliance-bot demo $(ARGS)

# Our modules are compiled first: where PYTHONDONTWRITEBYTECODE is set, every test process and every command the
# tests start would compile them anew.
test: $(STAMP) ## lint, types, layer contract and the whole test suite (side by side); prints how long it took
	@start=$$(date +%s); \
	$(BIN)/python -m compileall -q bot handlers models scheduler tests > /dev/null; \
	$(MAKE) --no-print-directory lint > .lint.log 2>&1 & lint=$$!; \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS); tests=$$?; \
	wait $$lint; linted=$$?; cat .lint.log; rm -f .lint.log; \
	echo "make test: $$(( $$(date +%s) - start )) s (lint $$([ $$linted = 0 ] && echo ok || echo FAILED), tests $$([ $$tests = 0 ] && echo ok || echo FAILED))"; \
	[ $$linted = 0 ] && [ $$tests = 0 ]

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy
	@$(BIN)/mypy --strict bench  # scripts, not a package: checked on their own
	@$(BIN)/lint-imports --no-logo --no-cache

fix: $(STAMP)
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .

serve: $(STAMP)
	@$(BIN)/alliance-bot serve $(ARGS)

migrate: $(STAMP)
	@$(BIN)/alliance-bot db upgrade

messages: $(STAMP) ## refresh the Spanish catalog from the source strings
	@$(BIN)/pybabel extract -F babel.cfg -k n_:1,2 -o handlers/locales/messages.pot handlers scheduler bot
	@$(BIN)/pybabel update -i handlers/locales/messages.pot -d handlers/locales -l es --no-fuzzy-matching

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
