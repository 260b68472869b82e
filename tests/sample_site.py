"""A generated site big enough to paginate, with every kind of page and awkward text.

Articles spread over three weeks (some on one day, one undated), several tags per
article, titles and fields with markup characters, bodies with links, images, lists,
code, quotes and raw HTML that the sanitizer must cut down. Built by the validator tests.
"""

from __future__ import annotations

from tests.conftest import article_text

TAGS = ("Harbour", "Council", "Floods", "Ünïcode Straße", "Schools")

BODY = """Ships returned on {day} March, the harbour authority said. See [the map](../map/) and
[the report](https://example.com/report?a=1&b=2 "Report & notes").

![A crane at the quay](crane.jpg)

- first point with `code`
- second point

> A quote from the council.

```python
print("<b>not bold</b>")
```

<script>alert(1)</script><p onclick="x()">Raw HTML paragraph, cleaned.</p>
"""


def sample_articles(count: int = 22) -> dict[str, str]:
    """File name -> Markdown text: ``count`` dated articles and one undated one."""
    articles = {}
    for n in range(count):
        day = 10 + n % 20
        articles[f"story-{n:02d}.md"] = article_text(
            f"Story {n}: harbour <news> & \"quotes\" {'— long title ' * (n % 3)}".strip(),
            BODY.format(day=day),
            date=f"2024-03-{day:02d}T{8 + n % 10:02d}:{n:02d}:00+01:00",
            author=["Jane Doe", "Ivan Petrov", None][n % 3],
            source="The Harbour Times" if n % 2 else None,
            source_url=f"https://harbour.example.com/news/{n}?ref=a&b=c" if n % 2 else None,
            image_caption="Cranes at dawn" if n % 4 == 0 else None,
            image_credit="Photo <Agency>" if n % 4 == 0 else None,
            tags=[TAGS[n % len(TAGS)], TAGS[(n * 2 + 1) % len(TAGS)]],
            summary=f"Summary {n} with <angle> & ampersand.",
        )
    articles["undated.md"] = article_text("An undated note", "No date is stated.", tags=["Floods"])
    return articles


def sample_config() -> dict:
    return {"pagination": {"per_page": 4}, "feeds": {"items": 6}}
