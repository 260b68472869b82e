"""Related links computed with a text model fitted on a share of the articles, as a large site's
model is until it is fitted again (README, "The text model of a large site").

    .venv/bin/python bench/text_model_staleness.py 0.9 OUT.json [CORPUS]
    python3 ../shared/eval/related-dev/score.py --gold ../shared/eval/related-dev/gold.json --related OUT.json

A share of 1 fits on every article, as a build does. The share is drawn at random (seeded),
then every article is weighed with the model, however many it was not fitted on.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path

from generator import text_model
from generator.analysis import analyse
from generator.config import default_config
from generator.index import newest_first
from generator.pipeline import _load_folder
from generator.related import related_links
from generator.similarity import text_features
from generator.stories import other_reports, story_index


def main(share: float, out: Path, corpus: Path) -> None:
    config = dataclasses.replace(default_config(corpus), content_dir=corpus.resolve())
    articles = sorted(_load_folder(config), key=newest_first)
    model = None
    if share < 1:
        rng = random.Random(1)
        fitted_on = [a for a in articles if rng.random() < share]
        model = text_features([(a.title, a.body) for a in fitted_on], keep_model=True).model
        text_model.REFIT_SHARE = 1.0  # used however far the articles have drifted
    analysis = analyse(articles, config, model=model, keep_model=True)
    story_of = story_index(analysis.stories)
    related = related_links(analysis.articles, config.related_top_k, config.related_weights, analysis.neighbours,
                            story_of, jobs=None)
    out.write_text(json.dumps({
        a.stem: ([r.stem for r in other_reports(a, story_of.get(a.id))]
                 + [link.target.stem for link in related.get(a.id, ())])[:config.related_top_k]
        for a in analysis.articles}))


if __name__ == "__main__":
    main(float(sys.argv[1]), Path(sys.argv[2]),
         Path(sys.argv[3] if len(sys.argv) > 3 else "../shared/eval/related-dev/corpus"))
