# Quick start: `make demo` runs the demo job, `make test` the whole test suite.
# Both create or update what they need (venvs, the bridge jar, the wheel); running them again
# only redoes what changed.
#
# Each Flink line has its own venv, .venvs/flink-<version>: that apache-flink, then this
# package's wheel with its dev extras (which must leave apache-flink as it was; the rule
# checks). Jobs and tests run with the checkout first on PYTHONPATH, so an edit needs no
# reinstall; tests/packaging runs a job from the installed wheel itself.
PYTHON ?= python3
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
DEFAULT_FLINK := 2.3.0
SMOKE_FLINK := 1.20.5
MATRIX_FLINK := 1.20.5 2.0.2 2.1.3 2.2.1 2.3.0
VENVS := .venvs
PY := $(VENVS)/flink-$(DEFAULT_FLINK)/bin/python
LS_VENV := .venv-localstack
LS_PY := $(LS_VENV)/bin/python
JAR := pyflink_sqs/_jar/pyflink-sqs-bridge.jar
WHEEL := dist/pyflink_sqs-$(VERSION)-py3-none-any.whl
JAR_INPUTS := $(shell find java-bridge/src/main -type f) java-bridge/pom.xml \
	java-bridge/generate_resources.py pyflink_sqs/config.py pyflink_sqs/error_codes.py \
	pyflink_sqs/large_payload.py pyflink_sqs/message.py pyflink_sqs/message_rules.py \
	pyflink_sqs/retries.py pyflink_sqs/python_backend/rate_limited_log.py
PACKAGE_INPUTS := $(shell find pyflink_sqs -name '*.py') pyproject.toml setup.py MANIFEST.in
MVN := mvn -B -q -f java-bridge/pom.xml -Dpython.executable=$(PYTHON)
RUN = PYTHONPATH=$(CURDIR) PYFLINK_SQS_LOCALSTACK_PYTHON=$(abspath $(LS_PY))
PYTEST_ARGS ?=

.PHONY: demo test test-matrix soak junit jar wheel localstack bench bench-large bench-upstream profile clean

demo: $(VENVS)/flink-$(DEFAULT_FLINK)/.installed
	$(RUN) $(PY) examples/demo.py

# The whole suite on the default line, then the smoke set on the LTS line 1.20.
test: junit localstack $(VENVS)/flink-$(DEFAULT_FLINK)/.installed $(VENVS)/flink-$(SMOKE_FLINK)/.installed
	$(RUN) $(PY) -m pytest --durations=15 $(PYTEST_ARGS)
	$(RUN) $(VENVS)/flink-$(SMOKE_FLINK)/bin/python -m pytest -m smoke --durations=5 $(PYTEST_ARGS)

# The whole suite on every line, one after the other; a summary line per line at the end.
test-matrix: junit localstack $(foreach v,$(MATRIX_FLINK),$(VENVS)/flink-$(v)/.installed)
	@status=0; for v in $(MATRIX_FLINK); do \
		start=$$(date +%s); \
		$(RUN) $(VENVS)/flink-$$v/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS) \
			> $(VENVS)/flink-$$v/test-matrix.log 2>&1; rc=$$?; \
		[ $$rc -eq 0 ] || status=1; \
		echo "flink $$v: $$(tail -n 1 $(VENVS)/flink-$$v/test-matrix.log) (exit $$rc, $$(( $$(date +%s) - start )) s)" \
			| tee -a $(VENVS)/test-matrix.summary; \
	done; exit $$status

# The soaks (marker soak, never in make test), their figures printed (-s): 2-minute outages of
# the endpoint (tests/integration/test_outages.py) and a million records through the fault
# proxy while task managers are killed (tests/cluster/test_task_manager_kill.py), each backend.
soak: localstack $(VENVS)/flink-$(DEFAULT_FLINK)/.installed
	$(RUN) $(PY) -m pytest -m soak -s -p no:cacheprovider $(PYTEST_ARGS)

# The JUnit tests of the Java logic (no LocalStack).
junit:
	$(MVN) test

jar: $(JAR)

$(JAR): $(JAR_INPUTS)
	$(MVN) package -DskipTests
	touch $@

wheel: $(WHEEL)

$(WHEEL): $(JAR) $(PACKAGE_INPUTS) README.md
	$(PYTHON) -m pip wheel -q --no-deps -w dist .

# apache-flink first, alone, so pip resolves it as a user's install would; then the wheel,
# with PATH holding no javac (installing needs none); then proof that Flink is as it was.
$(VENVS)/flink-%/.installed: $(WHEEL)
	test -x $(VENVS)/flink-$*/bin/python || $(PYTHON) -m venv $(VENVS)/flink-$*
	$(VENVS)/flink-$*/bin/python -m pip install -q --upgrade pip
	$(VENVS)/flink-$*/bin/python -m pip install -q apache-flink==$*
	PATH=$(abspath $(VENVS)/flink-$*/bin) $(VENVS)/flink-$*/bin/python -m pip install -q \
		--force-reinstall --no-deps $(WHEEL)
	$(VENVS)/flink-$*/bin/python -m pip install -q "$(WHEEL)[dev]"
	$(VENVS)/flink-$*/bin/python -c "from pyflink.version import __version__ as v; \
		assert v == '$*', f'installing pyflink-sqs changed apache-flink $* to {v}'"
	touch $@

localstack: $(LS_VENV)/.installed

$(LS_VENV)/.installed: tests/integration/localstack-requirements.txt
	test -x $(LS_PY) || $(PYTHON) -m venv $(LS_VENV)
	$(LS_PY) -m pip install -q --upgrade pip
	$(LS_PY) -m pip install -q -r tests/integration/localstack-requirements.txt
	touch $@

bench: localstack $(VENVS)/flink-$(DEFAULT_FLINK)/.installed
	$(PY) -m pip install -q -r benchmarks/requirements.txt
	$(RUN) $(PY) benchmarks/run.py
	$(RUN) $(PY) benchmarks/python_clients.py

# Large-payload offload: 1 MiB and 4 MiB messages through each backend beside S3 PUTs alone.
bench-large: $(VENVS)/flink-$(DEFAULT_FLINK)/.installed
	$(PY) -m pip install -q -r benchmarks/requirements.txt
	$(RUN) $(PY) benchmarks/large_payloads.py

# One row of make bench with its CPU by thread, JFR and py-spy: make profile ROW="java backend"
profile: $(VENVS)/flink-$(DEFAULT_FLINK)/.installed
	$(PY) -m pip install -q -r benchmarks/requirements.txt "py-spy>=0.3"
	$(RUN) $(PY) benchmarks/cpu_profile.py

# Upstream's flink-connector-sqs beside ours, on the LTS line (its newest jar is for 1.20).
bench-upstream: $(VENVS)/flink-$(SMOKE_FLINK)/.installed
	mvn -B -q -f benchmarks/upstream/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
		-DexcludeArtifactIds=slf4j-api -DoutputDirectory=$(CURDIR)/benchmarks/build/upstream-lib
	$(VENVS)/flink-$(SMOKE_FLINK)/bin/python -m pip install -q "psutil>=5.9"  # not matplotlib: its numpy breaks Beam 2.48's pin
	$(RUN) $(VENVS)/flink-$(SMOKE_FLINK)/bin/python benchmarks/upstream.py

clean:
	rm -rf $(VENVS) $(LS_VENV) pyflink_sqs/_jar java-bridge/target build dist *.egg-info
