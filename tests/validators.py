"""The Nu HTML Checker (vnu.jar, installed by `make test` from npm) run on a built site."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JAR = ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path:
    jar = Path(os.environ.get("VNU_JAR", DEFAULT_JAR))
    if not jar.is_file():
        pytest.fail(f"the Nu HTML Checker is not installed at {jar}: run `make test`, which installs it")
    return jar


def html_errors(folder: Path) -> list[str]:
    """Every error the checker reports for the HTML and CSS files under a folder."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--skip-non-html", "--also-check-css",
         "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or result.stdout)
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}"
              for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    if result.returncode and not errors:
        errors.append(f"vnu exited {result.returncode}: {result.stderr[-500:]}")
    return errors
