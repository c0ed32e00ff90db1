"""The default install runs without PyTorch: nothing on the default path imports it."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from socialcem.analysis.base import get_classifier
from socialcem.report import build_report
from socialcem.cli.main import app
get_classifier().analyse(["Lovely staff, slow delivery."])
heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers", "sklearn", "scipy")
               if m in sys.modules)
assert not heavy, heavy
"""


def test_default_model_and_cli_import_no_heavy_dependency() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
