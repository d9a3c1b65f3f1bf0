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
        assert "python.executable: /opt/pyflink-sqs/.venv/bin/python" in \
            services[name]["environment"]["FLINK_PROPERTIES"]
    assert services["submitter"]["depends_on"]["localstack"]["condition"] == "service_healthy"


def test_files_the_containers_run_exist_and_are_copied_into_the_image():
    command = compose()["services"]["submitter"]["command"]
    script = next(part for part in command if part.startswith(IN_IMAGE))
    assert os.path.isfile(os.path.join(ROOT, script[len(IN_IMAGE):]))
    copied = re.findall(r"^COPY (.+) \S+$", dockerfile(), re.M)
    for sources in copied:
        for source in sources.split():
            assert os.path.exists(os.path.join(ROOT, source)), source
    assert "COPY docker ./docker" in dockerfile() and "COPY examples ./examples" in dockerfile()
    with open(os.path.join(DOCKER, "submit-demo.sh")) as f:
        for path in re.findall(r"examples/\w+\.py", f.read()):
            assert os.path.isfile(os.path.join(ROOT, path)), path


def test_the_image_installs_with_the_readme_steps_not_a_second_recipe():
    assert re.search(r"^RUN make install jar", dockerfile(), re.M)
    with open(os.path.join(ROOT, "Makefile")) as f:
        assert re.search(r"^install:", f.read(), re.M)


def test_the_image_flink_version_matches_the_pinned_apache_flink():
    image_version = re.search(r"FLINK_IMAGE=flink:(\d+\.\d+)\.", dockerfile()).group(1)
    with open(os.path.join(ROOT, "pyproject.toml")) as f:
        pinned = re.search(r'"apache-flink>=(\d+\.\d+),<', f.read()).group(1)
    assert image_version == pinned
