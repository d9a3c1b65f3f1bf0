"""The Docker files cannot be built here (no Docker engine); this checks what can be checked:
the compose file parses, and everything the images and scripts refer to exists."""
import os
import re

from ruamel.yaml import YAML

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCKER = os.path.join(ROOT, "docker")
IN_IMAGE = "/opt/pyflink-sqs/"


def compose():
    with open(os.path.join(DOCKER, "docker-compose.yml")) as f:
        return YAML(typ="safe").load(f)


def dockerfile() -> str:
    with open(os.path.join(DOCKER, "Dockerfile")) as f:
        return f.read()


def test_compose_has_the_cluster_localstack_and_a_one_shot_submitter():
    services = compose()["services"]
    assert set(services) == {"localstack", "jobmanager", "taskmanager", "submitter"}
    for name in ("jobmanager", "taskmanager", "submitter"):
        build = services[name]["build"]
        assert os.path.isfile(os.path.join(DOCKER, build["context"], build["dockerfile"]))
        assert "python.executable: /opt/pyflink-sqs/venv/bin/python" in \
            services[name]["environment"]["FLINK_PROPERTIES"]
    assert services["submitter"]["depends_on"]["localstack"]["condition"] == "service_healthy"


def test_files_the_containers_run_exist_and_are_copied_into_the_image():
    command = compose()["services"]["submitter"]["command"]
    script = next(part for part in command if part.startswith(IN_IMAGE))
    assert os.path.isfile(os.path.join(ROOT, script[len(IN_IMAGE):]))
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile(), re.M)
    for sources in copied:
        for source in sources.split():
            assert os.path.exists(os.path.join(ROOT, source)), source
    assert "COPY docker ./docker" in dockerfile() and "COPY examples ./examples" in dockerfile()
    with open(os.path.join(DOCKER, "submit-demo.sh")) as f:
        for path in re.findall(r"examples/\w+\.py", f.read()):
            assert os.path.isfile(os.path.join(ROOT, path)), path


def stages() -> dict:
    """FROM line -> the instructions of that stage."""
    parts = re.split(r"^(FROM .+)$", dockerfile(), flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_a_builder_stage_makes_the_wheel_as_a_checkout_does():
    builder = next(body for line, body in stages().items() if line.endswith(" AS builder"))
    assert re.search(r"^RUN .*make wheel", builder, re.M)
    with open(os.path.join(ROOT, "Makefile")) as f:
        assert re.search(r"^wheel:", f.read(), re.M)


def test_the_runtime_stage_is_the_official_flink_image_with_the_wheel_and_no_jdk():
    (line, runtime), = [(line, body) for line, body in stages().items()
                        if line.startswith("FROM flink:")]
    assert line == "FROM flink:${FLINK_IMAGE_TAG}"
    assert "COPY --from=builder /build/dist/*.whl" in runtime
    assert re.search(r"pip install .*\./dist/\*\.whl", runtime)
    instructions = "\n".join(line for line in runtime.lower().splitlines()
                             if not line.lstrip().startswith("#"))
    for jdk in ("jdk", "javac", "maven", "make wheel"):
        assert jdk not in instructions, jdk


def test_the_image_flink_version_is_a_supported_line_and_matches_its_tag():
    version = re.search(r"^ARG FLINK_VERSION=(\S+)$", dockerfile(), re.M).group(1)
    tag = re.search(r"^ARG FLINK_IMAGE_TAG=(\S+)$", dockerfile(), re.M).group(1)
    assert tag.startswith(version + "-")
    with open(os.path.join(ROOT, "pyproject.toml")) as f:
        low, high = re.search(r'"apache-flink>=([\d.]+),<([\d.]+)"', f.read()).groups()
    as_tuple = lambda v: tuple(int(p) for p in v.split("."))  # noqa: E731
    assert as_tuple(low) <= as_tuple(version) < as_tuple(high)
