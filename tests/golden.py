"""The seed site's golden output: what `make site` produces from content/raw.

Regenerate after an intended change with `make goldens` (python -m tests.golden regenerate),
then review the diff with `git diff tests/golden`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "seeds"


def build_seed_site(work: Path) -> tuple[Path, Path]:
    """Ingest content/raw and build it with the project's site.yaml into ``work``."""
    articles, site = work / "articles", work / "site"
    config = str(ROOT / "site.yaml")
    quiet = ["--config", config, "--quiet"]
    epoch = os.environ.pop("SOURCE_DATE_EPOCH", None)  # the goldens date from their content
    try:
        if main([*quiet, "ingest", str(ROOT / "content" / "raw"), "--out", str(articles)]) != 0:
            raise RuntimeError("ingest of the seeds failed")
        if main([*quiet, "build", "--content", str(articles), "--output", str(site)]) != 0:
            raise RuntimeError("build of the seeds failed")
    finally:
        if epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return articles, site


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as temp:
        articles, site = build_seed_site(Path(temp))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        shutil.copytree(articles, GOLDEN / "articles", ignore=shutil.ignore_patterns(".*"))
        shutil.copytree(site, GOLDEN / "site")
    print(f"regenerated {GOLDEN.relative_to(ROOT)}; review with: git diff --stat tests/golden")


if __name__ == "__main__":
    if sys.argv[1:] != ["regenerate"]:
        sys.exit("usage: python -m tests.golden regenerate")
    regenerate()
