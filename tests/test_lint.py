"""ruff (configured in pyproject.toml) is clean on the files that have been brought up to it.

LINTED grows until it is the whole repository; then it becomes ["."].
"""
import importlib.util
import subprocess
import sys

import pytest

from .conftest import ROOT

LINTED = ["timeline/devtools", "timeline/web/guard.py", "timeline/web/memo.py", "tests/test_web.py",
          "tests/test_app_start.py", "timeline/yamlread.py", "timeline/frame.py", "timeline/cache.py",
          "timeline/source.py", "timeline/load.py", "tests/test_devtools.py", "tests/test_lint.py"]


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed (requirements-test.txt)")
def test_ruff_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                          *LINTED], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
