"""ruff (configured in pyproject.toml) is clean on the whole repository: CI fails on lint.
ruff is a test requirement (requirements-test.txt), so this test always runs."""
import subprocess
import sys

from .conftest import ROOT

LINTED = ["."]


def test_ruff_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                          *LINTED], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
