# Quick start: `make demo` runs the demo job, `make test` the whole test suite.
# Both create or update the venvs they need; running them again only redoes what changed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LS_VENV := .venv-localstack
LS_PY := $(LS_VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: demo test install jar localstack bench clean

demo: install jar
	$(PY) examples/demo.py

test: install jar localstack
	PYFLINK_SQS_LOCALSTACK_PYTHON=$(abspath $(LS_PY)) $(PY) -m pytest $(PYTEST_ARGS)

bench: install jar localstack
	$(PY) -m pip install -q -r benchmarks/requirements.txt
	PYFLINK_SQS_LOCALSTACK_PYTHON=$(abspath $(LS_PY)) $(PY) benchmarks/run.py
	$(PY) benchmarks/python_clients.py

install: $(VENV)/.installed

# The build requirements come from pyproject.toml (read with the TOML parser pip carries, so
# Python 3.9+ works); the package is then built against the
# venv's own apache-flink (no build isolation), and must come with its jar.
$(VENV)/.installed: pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -c "import subprocess, sys; from pip._vendor import tomli; subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q', *tomli.load(open('pyproject.toml', 'rb'))['build-system']['requires']])"
	PYFLINK_SQS_REQUIRE_JAR=1 $(PY) -m pip install -q --no-build-isolation -e '.[dev]'
	touch $@

# Rebuilds the bridge jar when a Java source or config.py changed (a no-op otherwise).
jar: install
	$(PY) java-bridge/build.py

localstack: $(LS_VENV)/.installed

$(LS_VENV)/.installed: tests/integration/localstack-requirements.txt
	test -x $(LS_PY) || $(PYTHON) -m venv $(LS_VENV)
	$(LS_PY) -m pip install -q --upgrade pip
	$(LS_PY) -m pip install -q -r tests/integration/localstack-requirements.txt
	touch $@

clean:
	rm -rf $(VENV) $(LS_VENV) pyflink_sqs/_jar build *.egg-info
