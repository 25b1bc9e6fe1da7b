"""Shared fixtures: paths to test data and a CLI runner."""

from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def data():
    return DATA
