"""The README's option table agrees with the one table of options."""
import os
import re

from pyflink_sqs import config

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")


def test_readme_quick_start_commands_are_make_demo_and_make_test():
    text = open(README).read()
    quick_start = text.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make (\w+)", quick_start, re.M) == ["demo", "test"]


def test_readme_table_shows_each_options_default():
    text = open(README).read()
    for option in config.OPTIONS.values():
        default = str(option.default) if option.kind is int else repr(option.default)
        assert f"| `set_{option.name}` | `{default}` |" in text, option.name


def test_ci_runs_exactly_the_readme_test_command():
    ci = open(os.path.join(os.path.dirname(README), ".ci", "run")).read()
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ",
                                                                                  "cd "))]
    assert commands == ["make test"]


def test_readme_sql_table_lists_every_sql_key_of_the_option_table():
    text = open(README).read()
    for option in config.OPTIONS.values():
        if option.sql_key:
            assert f"| `{option.sql_key}` | `{option.name}` |" in text, option.name


def test_every_relative_link_of_the_readme_and_docs_names_a_file_that_exists():
    root = os.path.dirname(README)
    pages = [README] + [os.path.join(root, "docs", name)
                        for name in os.listdir(os.path.join(root, "docs"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", open(page).read()):
            if "://" in target:
                continue
            path = os.path.normpath(os.path.join(os.path.dirname(page), target))
            assert os.path.exists(path), f"{os.path.relpath(page, root)} links to {target}"
