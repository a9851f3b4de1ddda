# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install chromium migrate demo worker clean

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

clean:
	rm -rf $(VENV) var/static
