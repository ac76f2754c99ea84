"""The command line as a packager and a Windows user meet it: --version, python -m, typing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import partygraph as pg
from partygraph.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"partygraph {pg.__version__}"


def test_python_dash_m_runs_the_command_line():
    out = subprocess.run([sys.executable, "-m", "partygraph", "examples"], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0 and "demo" in out.stdout


def test_the_package_says_it_is_typed():
    assert (Path(pg.__file__).parent / "py.typed").exists()
