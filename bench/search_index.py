"""Size and build time of the search index on a synthetic site: python bench/search_index.py [N].

Articles get 700 words drawn from a Zipf-like vocabulary of 40,000 made-up words, seeded, so
runs are comparable. Prints the build time, file count, total and largest file size.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from generator.config import load_config
from generator.model import Article, Site
from generator.search import search_files

ROOT = Path(__file__).resolve().parents[1]


def synthetic_site(count: int, seed: int = 7) -> Site:
    rng = random.Random(seed)
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    letter_weights = [1 / (i + 1) ** 0.7 for i in range(len(letters))]
    vocabulary = sorted({"".join(rng.choices(letters, letter_weights, k=rng.randint(3, 10))) for _ in range(40000)})
    rng.shuffle(vocabulary)
    word_weights = [1 / (i + 1) for i in range(len(vocabulary))]
    articles = []
    for n in range(count):
        articles.append(Article(
            source_path=Path(f"a{n}.md"), stem=f"a{n}", id=f"id-{n}", slug=f"a{n}",
            title=" ".join(rng.choices(vocabulary, word_weights, k=8)),
            date=datetime(2024, 1, 1, tzinfo=timezone.utc), updated=None, author=None, source=None,
            source_url=None, image_caption=None, image_credit=None, tags=(), summary=None,
            body=" ".join(rng.choices(vocabulary, word_weights, k=700))))
    return Site(tuple(articles), (), {}, datetime(2024, 1, 1, tzinfo=timezone.utc))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    site = synthetic_site(count)
    config = load_config(ROOT / "site.yaml")
    start = time.perf_counter()
    files = list(search_files(site, config))
    seconds = time.perf_counter() - start
    sizes = sorted(len(f.content) for f in files)
    print(f"{count} articles: search index built in {seconds:.2f} s, {len(files)} files, "
          f"{sum(sizes) / 1e6:.1f} MB in all, largest {sizes[-1] / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
