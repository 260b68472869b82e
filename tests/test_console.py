"""The build's progress bar: shown on a terminal for large builds, silent for small ones."""

import io

from rich.console import Console

from generator.console import MIN_ARTICLES, ProgressBar


def terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=120), out


def test_a_large_build_shows_each_step_with_its_count():
    console, out = terminal()
    with ProgressBar(console) as bar:
        bar.stage("Loading articles", MIN_ARTICLES)
        bar.advance(MIN_ARTICLES // 2)
        bar._bar.refresh()
        bar.stage("Rendering pages", 40)
        bar.advance(40)
        bar._bar.refresh()
    shown = out.getvalue()
    assert "Loading articles" in shown and f"{MIN_ARTICLES // 2}/{MIN_ARTICLES}" in shown
    assert "Rendering pages" in shown and "40/40" in shown


def test_a_small_build_shows_nothing():
    console, out = terminal()
    with ProgressBar(console) as bar:
        bar.stage("Loading articles", MIN_ARTICLES - 1)
        bar.advance(10)
        bar.stage("Rendering pages", 40)
        bar.advance(40)
    assert out.getvalue() == ""


def test_a_step_that_cannot_be_counted_shows_no_count_and_no_time_left():
    console, out = terminal()
    with ProgressBar(console) as bar:
        bar.stage("Loading articles", MIN_ARTICLES)
        bar.stage("Relating articles", None)
        bar._bar.refresh()
    last = out.getvalue().split("Relating articles")[-1]
    assert "elapsed" in last and "/?" not in last and "left" not in last
