# Two commands do everything on a fresh machine:
#   make        set up .venv (first time only) and build every handout into output/
#   make test   run the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# WeasyPrint needs Pango; without libharfbuzz-subset0 it writes PDFs about 5 times slower.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# The accessibility tests run axe-core in Debian's Chromium (playwright cannot download browsers here).
TEST_DEBIAN_PACKAGES := chromium

.PHONY: all build check test schema clean system-packages

all: build

build: system-packages $(STAMP)
	$(PY) build.py

check: $(STAMP)
	$(PY) build.py check

test: system-packages $(STAMP)
	@$(MAKE) --no-print-directory system-packages DEBIAN_PACKAGES="$(TEST_DEBIAN_PACKAGES)"
	$(PY) -m pytest

schema: $(STAMP)
	$(PY) build.py schema

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Install the Debian packages when running as root; otherwise say clearly what is missing.
system-packages:
	@if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "NOTE: not a Debian system; make sure Pango and HarfBuzz (with its subset library) are installed."; \
	elif dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian packages: $(DEBIAN_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	else \
	  echo "WARNING: missing Debian packages. Ask an administrator to run:"; \
	  echo "  sudo apt-get install $(DEBIAN_PACKAGES)"; \
	  echo "(Without libharfbuzz-subset0, PDFs are written about 5 times slower;"; \
	  echo " without chromium, the accessibility tests are skipped outside CI.)"; \
	fi

clean:
	rm -rf output
