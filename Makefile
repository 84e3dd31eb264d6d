# The two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
.DEFAULT_GOAL := help
.PHONY: help run test test-services test-all test-lms test-browser pii_check fuzz docs bench loadtest quality quality-checks upgrade extract_translations pull_translations clean

VENV ?= .venv
# The virtualenv's Python: the machine's python3 (3.11 or 3.12).
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin
# tox needs python3.11 and python3.12 on PATH. Under pyenv only one is global, so the bin folders
# of every installed 3.11/3.12 go at the end of PATH (what is found first stays as it was).
PYENV_PYTHON_BINS := $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.1[12].*/bin)
ifneq ($(PYENV_PYTHON_BINS),)
empty :=
space := $(empty) $(empty)
export PATH := $(PATH):$(subst $(space),:,$(strip $(PYENV_PYTHON_BINS)))
endif

help: ## list the targets
	@grep -E '^[a-z_-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/$$(HOST)/$(HOST)/g' -e 's/$$(PORT)/$(PORT)/g' \
	  | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

# A virtualenv made by another Python than 3.11 or 3.12 (an older checkout, a python3 that has
# changed since) is made again, with everything installed in it.
ifneq ($(wildcard $(BIN)/python),)
ifneq ($(shell $(BIN)/python -c 'import sys; print(sys.version_info[:2] in ((3, 11), (3, 12)))' 2>/dev/null),True)
$(shell rm -rf $(VENV))
endif
endif

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(None if sys.version_info[:2] in ((3, 11), (3, 12)) else \
	  f"$(PYTHON) is Python {sys.version.split()[0]}: this project needs 3.11 or 3.12 (make PYTHON=python3.12 ...)")'
	$(PYTHON) -m venv $(VENV)

# Reinstalled when the package metadata or a pinned requirements file changes.
$(VENV)/.installed: $(BIN)/python setup.py tutor-plugin/setup.py $(wildcard requirements/*.txt)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements/dev.txt -e . -e ./tutor-plugin
	touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed ## install, migrate, print a demo key, and serve on $(HOST):$(PORT)
	mkdir -p var/emails
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py tahoe_standalone_setup --port $(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Everything a developer needs, the slow property-based tests included; for a quicker loop:
#   .venv/bin/python -m pytest -m "not slow and not services and not browser"
test: $(VENV)/.installed ## install and run the test suite (SQLite)
	$(BIN)/python -m django check --settings test_settings
	$(BIN)/python -m django makemigrations --check --dry-run --settings test_settings
	$(BIN)/python -m pytest

# The servers .ci/services starts (MariaDB, memcached, Redis) and the drivers to reach them. Where
# they listen comes from .ci/services itself (TEST_DB_PORT, TEST_CACHE_PORT, TEST_REDIS_PORT, or
# TEST_CACHE_LOCATION/TEST_REDIS_LOCATION given whole), so the two never disagree.
SERVICES_ENV = eval "$$(.ci/services environment)" &&

$(VENV)/.services-installed: $(VENV)/.installed requirements/services.txt
	$(BIN)/python -m pip install -q -r requirements/services.txt
	touch $@

test-services: $(VENV)/.services-installed ## the suite on MariaDB + the multi-worker tests (needs .ci/services start)
	$(SERVICES_ENV) $(BIN)/python -m pytest -m services
	$(SERVICES_ENV) TEST_DB=mysql $(BIN)/python -m django makemigrations --check --dry-run --settings test_settings
	$(SERVICES_ENV) TEST_DB=mysql $(BIN)/python -m pytest -m "not browser"

# Inside a Tutor dev LMS: the API-level tests against the real platform (see docs/operations.md).
LMS_TESTS ?= tests/rest_api/test_views.py tests/rest_api/v1/test_views.py tests/rest_api/test_authentication.py tests/rest_api/test_permissions.py
test-lms: ## run the API-level tests inside a Tutor dev LMS (needs tutor; see docs/operations.md)
	tutor dev run --mount=$(CURDIR):/mnt/tahoe-registration-plugin lms bash -c \
	  "pip install -e /mnt/tahoe-registration-plugin && cd /openedx/edx-platform && \
	   pytest -p no:cacheprovider --ds=lms.envs.test --rootdir=/mnt/tahoe-registration-plugin \
	   $(addprefix /mnt/tahoe-registration-plugin/,$(LMS_TESTS))"

test-all: $(VENV)/.installed ## the tox matrix: Python 3.11/3.12 x Django 4.2/5.2, and quality
	$(BIN)/tox

docs: $(VENV)/.installed ## regenerate docs/openapi.yaml from the code (a test fails when they differ)
	$(BIN)/python -m django generate_swagger --settings test_settings -f yaml -o docs/openapi.yaml \
	  --generator-class tahoe_registration_plugin.rest_api.schema.RegistrationSchemaGenerator

$(VENV)/.e2e-installed: $(VENV)/.installed requirements/e2e.txt
	$(BIN)/python -m pip install -q -r requirements/e2e.txt
	touch $@

test-browser: $(VENV)/.e2e-installed ## the admin in headless Chromium (needs Debian's chromium: .ci/services install-browser)
	$(BIN)/python -m pytest -m browser

pii_check: $(VENV)/.installed ## every model's PII annotation (code-annotations)
	DJANGO_SETTINGS_MODULE=test_settings $(BIN)/code_annotations django_find_annotations \
	  --config_file .pii_annotations.yml --lint --report --coverage

fuzz: $(VENV)/.e2e-installed ## schemathesis against a live standalone server, from docs/openapi.yaml
	PYTHON=$(abspath $(BIN))/python ST=$(abspath $(BIN))/st .ci/fuzz

bench: $(VENV)/.installed ## a registration's cost beside its floors, and scaling (TEST_DB=mysql, TEST_CACHE_LOCATION as for the tests); writes bench/results.json
	$(BIN)/python bench/run.py

$(VENV)/.loadtest-installed: $(VENV)/.installed requirements/loadtest.txt
	$(BIN)/python -m pip install -q -r requirements/loadtest.txt
	touch $@

loadtest: $(VENV)/.loadtest-installed ## gunicorn under 16 clients: the API beside a reference endpoint (TEST_DB=mysql: on MariaDB); writes bench/loadtest.json
	$(BIN)/python bench/loadtest.py

quality: $(VENV)/.installed ## pylint (edx-lint), pycodestyle, isort, the settings' and switches' annotations
	PATH=$(abspath $(BIN)):$$PATH $(MAKE) quality-checks

quality-checks:
	pylint tahoe_registration_plugin tutor-plugin/tutor_tahoe_registration tests bench examples test_settings.py test_urls.py dev_settings.py manage.py setup.py
	pycodestyle tahoe_registration_plugin tutor-plugin tests bench examples *.py
	isort --check-only --diff tahoe_registration_plugin tutor-plugin tests bench examples *.py
	code_annotations static_find_annotations --config_file setting_annotations.yaml --lint --no_report
	code_annotations static_find_annotations --config_file feature_toggle_annotations.yaml --lint --no_report

# The catalogs live in the app's locale/, where Django finds an installed app's translations.
LOCALE_CONFIG := $(CURDIR)/tahoe_registration_plugin/locale/config.yaml
DJANGO_ADMIN := cd tahoe_registration_plugin && DJANGO_SETTINGS_MODULE=test_settings PYTHONPATH=.. ../$(BIN)/django-admin
extract_translations: $(VENV)/.installed ## the English catalog from the code, the dummy "eo" catalog from it, both compiled
	$(DJANGO_ADMIN) makemessages -l en --ignore "standalone/*" --no-location --no-obsolete -v 0
	$(BIN)/i18n_tool dummy --config $(LOCALE_CONFIG)
	$(DJANGO_ADMIN) compilemessages -v 0

# Open edX's pipeline (OEP-58): the English catalog is the source; translators work in Transifex
# on openedx/openedx-translations, whose translations/<repo>/<module>/conf/locale folders
# openedx-atlas pulls. This project is not in openedx-translations yet, so this pulls nothing
# until it is (docs/translations.md). ATLAS_OPTIONS: e.g. --filter=fr,es --revision=release/verawood.
ATLAS_OPTIONS ?=
pull_translations: $(VENV)/.installed ## the catalogs translators made, from openedx-translations (openedx-atlas), compiled
	$(BIN)/python -m pip install -q openedx-atlas
	$(BIN)/atlas pull $(ATLAS_OPTIONS) \
	  translations/tahoe-registration-plugin/tahoe_registration_plugin/conf/locale:tahoe_registration_plugin/locale
	$(DJANGO_ADMIN) compilemessages -v 0

# Each file pins what its .in asks for, within constraints.txt; the order follows their includes.
REQUIREMENTS := base test quality dev services e2e loadtest django42
upgrade: $(VENV)/.installed ## compile requirements/*.in to pinned *.txt with pip-tools, upgrading every pin
	for name in $(REQUIREMENTS); do \
	  $(BIN)/pip-compile -q --upgrade --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	    -o requirements/$$name.txt requirements/$$name.in || exit 1; \
	done

clean: ## remove the virtualenv, tox envs, the dev database and emails
	rm -rf $(VENV) .tox var build dist *.egg-info
