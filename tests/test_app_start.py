"""app.py: a clear error, not a traceback, when the log is invalid at start."""
import subprocess
import sys

from .conftest import DATA, ROOT


def test_invalid_log_at_start_is_a_clear_error():
    result = subprocess.run([sys.executable, "app.py", "--events", str(DATA / "duplicate-id.yaml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "duplicate-id" in result.stderr and "Traceback" not in result.stderr
