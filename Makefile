# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install chromium migrate demo worker clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -e ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

# The demo ward is loaded once; its marker lives beside the database under var/.
demo: migrate
	@if [ ! -f var/.demo-loaded ] || [ -n "$$DATABASE_URL" ]; then \
		$(PY) manage.py seed_demo --if-empty && touch var/.demo-loaded; \
	fi
	@$(PY) manage.py seed_demo --print-accounts

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

worker: migrate
	$(PY) manage.py db_worker

# Browser tests drive Debian's Chromium; install it when missing and we are root.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq chromium fonts-liberation2 poppler-utils >/dev/null; \
		else \
			echo "Chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests." >&2; \
		fi; \
	fi

test: install chromium
	$(PY) -m pytest -q

# Benchmarks on their own PostgreSQL databases (bench/RESULTS.md): the province tier, generated
# when missing, then the six scenarios and their table; `make bench NATION=1` adds the nation tier.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_TIERS := province $(if $(NATION),nation)
bench: install
	@test -x $(VENV)/bin/gunicorn || $(VENV)/bin/uv pip install --quiet --python $(PY) gunicorn
	@if ! command -v wrk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
		else \
			echo "wrk is missing: run 'sudo apt-get install -y wrk' for the benchmarks." >&2; exit 1; \
		fi; \
	fi
	@for tier in $(BENCH_TIERS); do \
		BENCH_PG=$(BENCH_PG) $(PY) -m bench.generate --tier $$tier --if-missing || exit 1; \
		DATABASE_URL=$(BENCH_PG)/dangbo_bench_$$tier $(PY) manage.py migrate --noinput -v0 || exit 1; \
		BENCH_PG=$(BENCH_PG) $(PY) -m bench.run all --tier $$tier || exit 1; \
	done

clean:
	rm -rf $(VENV) var/static
