"""README's two set-up commands exist, and CI runs the test command exactly as written."""

import re

from .conftest import REPO


def setup_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2
    assert "clause-audit audit corpus/samples/" in commands[0]
    assert "pytest" in commands[1] and ".[test]" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_the_sample_named_in_readme_exists():
    path = setup_commands()[0].rsplit(" ", 1)[1]
    assert (REPO / path).is_file()
