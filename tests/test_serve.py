"""``serve``: over real HTTP on 127.0.0.1, with the real build, the watcher and a stop event."""

from __future__ import annotations

import http.client
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from generator import pipeline
from generator.config import load_config
from generator.errors import DigestError, display_path
from generator.pipeline import build
from generator.serve import local_host_header, serve
from generator.serve_files import Found, Redirect, locate, request_segments, with_local_links
from generator.serve_reload import BuildStatus, with_reload_script
from generator.watch import Changes, matters, watch_plan
from tests.conftest import THEME, article_text, upgrade

TIMEOUT = 30.0  # seconds any rebuild may take to show (polled: a loaded CI machine is slow)
BROKEN = "---\ntitle: [unclosed\n---\nBody\n"


def harbour(title: str = "Harbour reopens") -> str:
    return article_text(title, "Ships are back at the quay.", date="2024-03-10", slug="harbour")


ARTICLES = {
    "harbour.md": harbour(),
    "council.md": article_text("Council votes", "The budget passed.", date="2024-03-11", slug="council"),
}


@dataclass
class Running:
    """One ``serve`` on a thread, and what it reported."""

    url: str
    root: Path
    said: list[str] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def article(self, name: str = "harbour.md") -> Path:
        return self.root / "content" / "articles" / name

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def raw(self, path: str, method: str = "GET") -> http.client.HTTPResponse:
        """A request whose target is sent exactly as given, unnormalised."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{self.port}")
        connection.endheaders()
        return connection.getresponse()

    def status(self) -> dict:
        return json.loads(self.get("/__digest__/status")[1])


@pytest.fixture
def start(make_site, tmp_path: Path):
    """Start ``serve`` over a site of ``articles``, building through ``rebuild(build_site)`` if
    given; the server is stopped after the test, and must stop."""
    stops: list[tuple[threading.Event, threading.Thread]] = []

    def start(articles: dict[str, str] = ARTICLES,
              rebuild: Callable[[Callable[[], str]], str] | None = None) -> Running:
        config_path = make_site(articles)
        running = Running("", tmp_path)

        def build_site() -> str:
            report = build(load_config(config_path), running.warned.append, 1)
            return f"built {report.articles} articles, {report.pages} pages"

        outcome: queue.Queue = queue.Queue()
        stop = threading.Event()

        def run() -> None:
            try:
                serve(load_config(config_path), (lambda: rebuild(build_site)) if rebuild else build_site,
                      port=0, say=running.said.append, warn=running.warned.append, error=running.errors.append,
                      ready=outcome.put, stop=stop, settings=lambda: load_config(config_path))
            except BaseException as exc:  # reported to the test, not lost on the thread
                outcome.put(exc)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        stops.append((stop, thread))
        url = outcome.get(timeout=30)
        if isinstance(url, BaseException):
            raise url
        running.url = url
        return running

    yield start
    for stop, thread in stops:
        stop.set()
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "serve did not stop"


def eventually(check: Callable[[], object], what: str) -> object:
    """Poll ``check`` until it returns something true, for up to TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def page_with(site: Running, path: str, text: bytes) -> bytes | None:
    """The page at ``path`` once it holds ``text``."""
    page = site.get(path)[1]
    return page if text in page else None


def script_tag(generation: int) -> bytes:
    return f'<script src="/__digest__/reload.js" data-generation="{generation}"'.encode()


# --- over HTTP --------------------------------------------------------------------------------------


def test_pages_are_served_with_the_reload_script_and_the_files_on_disk_are_not_changed(start):
    site = start()
    code, page = site.get("/articles/harbour/")
    on_disk = (site.root / "site" / "articles" / "harbour" / "index.html").read_bytes()
    assert code == 200 and b"Harbour reopens" in page and script_tag(1) in page
    assert b"__digest__" not in on_disk
    start_of_tag = page.index(b"<script src=\"/__digest__/")
    tag = page[start_of_tag:page.index(b"</script>", start_of_tag) + len(b"</script>")]
    assert page.replace(tag, b"") == on_disk and page.index(tag) == page.rindex(b"</body>") - len(tag)
    assert site.get("/rss.xml") == (200, (site.root / "site" / "rss.xml").read_bytes())  # not HTML: as built
    assert site.said[0].startswith("built 2 articles") and site.said[1].startswith("serving ")

    script = site.raw("/__digest__/reload.js")
    body = script.read().decode()
    assert script.status == 200 and script.getheader("Content-Type").startswith("text/javascript")
    assert "EventSource" in body and "textContent" in body and "innerHTML" not in body

    folder = site.raw("/articles/harbour")  # a folder without its slash: redirected, so links resolve
    assert folder.status == 302 and folder.getheader("Location") == "/articles/harbour/"
    assert site.raw("/articles/harbour?from=rss").getheader("Location") == "/articles/harbour/?from=rss"
    code, missing = site.get("/static/")  # a folder without index.html: no listing
    assert code == 404 and b"Page not found" in missing
    assert site.get("/no/such/page/")[0] == 404
    head = site.raw("/articles/harbour/", "HEAD")
    assert head.status == 200 and head.read() == b"" and int(head.getheader("Content-Length")) == len(page)


def test_the_404_page_links_into_the_preview_not_to_the_published_site(start):
    # The built 404 page links to base_url (a host serves it at any depth); in the preview its
    # "latest news" link and its stylesheet must be the preview's.
    site = start()
    on_disk = (site.root / "site" / "404.html").read_bytes()
    assert b'href="https://news.example.org/tags/"' in on_disk
    for code, page in (site.get("/no/such/page/"), site.get("/404.html")):
        assert b"Page not found" in page and b'href="/tags/"' in page and b'href="/static/' in page
        assert b'href="https://news.example.org/' not in page
    assert site.get("/no/such/page/")[0] == 404 and site.get("/404.html")[0] == 200
    assert (site.root / "site" / "404.html").read_bytes() == on_disk


def test_the_404_page_keeps_the_served_builds_base_url_when_a_build_with_another_fails(start):
    # The site served is the last good build's, its 404 page written with that build's base_url.
    site = start()
    broken = site.article("broken.md")
    broken.write_text(BROKEN, encoding="utf-8")
    eventually(lambda: len(site.errors) == 1, "the failed build")
    config = site.root / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://news.example.org/",
                                                                 "https://moved.example.net/"), encoding="utf-8")
    eventually(lambda: len(site.errors) == 2, "the failed build with the other base_url")
    page = site.get("/no/such/page/")[1]
    assert b'href="/tags/"' in page and b'href="https://news.example.org/' not in page
    broken.unlink()  # the next good build is written with the new base_url, and shown as the preview's
    eventually(lambda: site.status()["generation"] == 2, "the recovery")
    assert b'href="https://moved.example.net/tags/"' in (site.root / "site" / "404.html").read_bytes()
    page = site.get("/no/such/page/")[1]
    assert b'href="/tags/"' in page and b'href="https://moved.example.net/' not in page


def test_an_unsupported_method_is_answered_501_and_is_no_warning(start):
    site = start()
    warned = list(site.warned)
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "BREW"):
        response = site.raw("/articles/harbour/", method)
        assert response.status == 501 and b"Harbour" not in response.read(), method
    assert site.warned == warned and site.get("/articles/harbour/")[0] == 200


def test_an_edited_article_is_served_after_the_rebuild(start):
    site = start()
    site.article().write_text(harbour("Harbour closes again"), encoding="utf-8")
    page = eventually(lambda: page_with(site, "/articles/harbour/", b"Harbour closes again"), "the edited title")
    assert b"Harbour reopens" not in page
    # The build is published before it is announced: a page served in between carries the old
    # generation (one needless reload later), never a new generation with old bytes.
    eventually(lambda: site.status()["generation"] == 2, "the rebuild's announcement")
    assert script_tag(2) in site.get("/articles/harbour/")[1]
    assert site.status()["error"] is None and site.errors == []
    assert (site.root / "site" / "articles" / "harbour" / "index.html").read_bytes().count(b"__digest__") == 0


def test_a_content_folder_deleted_and_made_again_is_watched_again(start):
    # The watch of a deleted folder ends with it: a git checkout or rm -rf and a new ingest
    # left serve deaf to every later edit.
    site = start()
    content = site.root / "content" / "articles"
    saved = {path.name: path.read_text(encoding="utf-8") for path in content.iterdir()}
    shutil.rmtree(content)
    eventually(lambda: site.status()["error"], "the failed build's status")
    content.mkdir()
    for name, text in saved.items():
        (content / name).write_text(text, encoding="utf-8")
    eventually(lambda: site.status()["error"] is None, "the build of the folder made again")
    site.article().write_text(harbour("Harbour after the checkout"), encoding="utf-8")
    eventually(lambda: page_with(site, "/articles/harbour/", b"Harbour after the checkout"), "the later edit")


def test_a_theme_named_in_an_edited_site_yaml_is_watched(start):
    site = start()
    alternative = site.root / "alt"
    shutil.copytree(THEME, alternative)
    config = site.root / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(THEME), str(alternative)), encoding="utf-8")
    eventually(lambda: site.status()["generation"] == 2, "the build with the other theme")
    base = alternative / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>ALTMARK</p></footer>"), encoding="utf-8")
    eventually(lambda: page_with(site, "/articles/harbour/", b"ALTMARK"), "the edit in the new theme")


def test_a_touched_article_is_built_again(start):
    # The build's fingerprint counts modification times; a touch is a change.
    site = start()
    moment = site.article().stat().st_mtime + 5
    os.utime(site.article(), (moment, moment))
    eventually(lambda: site.status()["generation"] == 2, "the build after the touch")


def test_a_broken_article_keeps_the_last_good_page_served_and_reports_the_error(start):
    site = start()
    broken = site.article("broken.md")
    broken.write_text(BROKEN, encoding="utf-8")
    error = eventually(lambda: site.status()["error"], "the failed build's status")
    problem = (f"{display_path(broken)}:2: bad front matter YAML: while parsing a flow sequence "
               "did not find expected ',' or ']'")
    assert error == problem and site.errors == [problem]
    assert site.status()["generation"] == 1
    code, page = site.get("/articles/harbour/")
    assert code == 200 and b"Harbour reopens" in page and script_tag(1) in page

    broken.unlink()  # fixed: the next good build clears the error and bumps the generation
    eventually(lambda: site.status()["generation"] == 2, "the recovery")
    assert site.status()["error"] is None


def test_requests_reaching_outside_the_site_are_refused(start, tmp_path: Path):
    site = start()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET 4f1c\n", encoding="utf-8")
    published = tmp_path / "site"
    (published / "articles" / "leak.html").symlink_to(secret)
    (published / "leak").symlink_to(tmp_path, target_is_directory=True)
    attempts = [
        "/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E/secret.txt", "/articles/..%2f..%2fsite.yaml",
        "/articles/..%2F..%2Fsecret.txt", "/articles/..%5c..%5csecret.txt", "/..\\secret.txt",
        "/../../etc/passwd", "/../../../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
        "/secret.txt%00.html", "/%00", "/.digest-build", "/articles/%2e%2e/%2e%2e/secret.txt",
        "/articles/leak.html", "/leak/secret.txt", "/leak/site.yaml", "/leak/", str(secret), "/" + str(secret),
        "http://127.0.0.1/../secret.txt", "/%c0%ae%c0%ae/secret.txt", "/%252e%252e/secret.txt",
    ]
    for attempt in attempts:
        response = site.raw(attempt)
        body = response.read()
        assert response.status in (403, 404), attempt
        assert b"TOP SECRET" not in body and b"base_url" not in body and b"root:" not in body, attempt
    assert site.get("/articles/harbour/")[0] == 200  # the site itself is still served


def test_the_event_stream_tells_pages_of_each_build(start):
    site = start()
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=TIMEOUT)
    connection.request("GET", "/__digest__/events")
    stream = connection.getresponse()
    assert stream.status == 200 and stream.getheader("Content-Type").startswith("text/event-stream")

    def next_event() -> tuple[str, dict]:
        name, data = "", ""
        while (line := stream.readline().decode()) != "\n":
            assert line, "the stream ended"
            if line.startswith("event: "):
                name = line[7:].strip()
            elif line.startswith("data: "):
                data = line[6:].strip()
        return (name, json.loads(data)) if name else next_event()  # skip retry: and keep-alives

    name, first = next_event()
    assert name == "reload" and first["generation"] == 1 and first["error"] is None  # no needless reload
    site.article().write_text(harbour("Harbour closes again"), encoding="utf-8")
    name, rebuilt = next_event()
    assert name == "reload" and rebuilt == {**first, "generation": 2}
    site.article("broken.md").write_text(BROKEN, encoding="utf-8")
    name, failed = next_event()
    assert name == "failure" and failed["generation"] == 2 and "broken.md:2: bad front matter" in failed["error"]
    connection.close()


def test_a_first_build_that_fails_with_no_site_serves_a_placeholder_with_the_error(start):
    site = start({"broken.md": BROKEN})
    code, page = site.get("/")
    assert code == 404 and b"not been built yet" in page and script_tag(0) in page
    assert "broken.md:2: bad front matter YAML" in site.status()["error"]
    assert site.errors and site.errors[0].endswith("did not find expected ',' or ']'")
    site.article("broken.md").write_text(harbour(), encoding="utf-8")
    eventually(lambda: site.status()["generation"] == 1, "the first good build")
    assert site.status()["error"] is None and site.get("/")[0] == 200


def test_a_first_build_that_fails_serves_the_previous_site(start, make_site):
    build(load_config(make_site(ARTICLES)), lambda message: None, 1)
    site = start({"broken.md": BROKEN})  # beside the articles built
    code, page = site.get("/articles/harbour/")
    assert code == 200 and b"Harbour reopens" in page and script_tag(0) in page
    assert site.status()["generation"] == 0 and "broken.md:2" in site.status()["error"]


def test_a_change_during_a_build_is_built_after_it_and_builds_never_overlap(start):
    running, most, calls = [0], [0], [0]
    lock = threading.Lock()

    def rebuild(build_site: Callable[[], str]) -> str:
        with lock:
            running[0] += 1
            calls[0] += 1
            most[0] = max(most[0], running[0])
            call = calls[0]
        try:
            summary = build_site()
            if call == 2:  # the first rebuild: an edit lands after it read the articles, before it ends
                site.article().write_text(harbour("Harbour edited mid-build"), encoding="utf-8")
            return summary
        finally:
            with lock:
                running[0] -= 1

    site = start(rebuild=rebuild)
    site.article("council.md").write_text(article_text("Council votes again", "Again.", date="2024-03-11",
                                                       slug="council"), encoding="utf-8")
    eventually(lambda: page_with(site, "/articles/harbour/", b"Harbour edited mid-build"), "the build after the build")
    assert b"Council votes again" in site.get("/articles/council/")[1]
    assert most[0] == 1 and calls[0] == 3


def test_an_article_edited_while_a_build_reads_it_is_built_again_and_shown_as_no_error(start, monkeypatch):
    planned, edit_now = pipeline.plan_listings, threading.Event()

    def edit_then_plan(*args, **kwargs):  # after the articles are loaded, before the feeds read their text
        if edit_now.is_set():
            edit_now.clear()
            site.article().write_text(harbour("Harbour edited mid-build").replace("Ships are", "Ferries are"),
                                      encoding="utf-8")
        return planned(*args, **kwargs)
    monkeypatch.setattr(pipeline, "plan_listings", edit_then_plan)
    site = start()
    edit_now.set()
    site.article("council.md").write_text(article_text("Council votes again", "Again.", date="2024-03-11",
                                                       slug="council"), encoding="utf-8")
    eventually(lambda: page_with(site, "/articles/harbour/", b"Ferries are back"), "the build after the build")
    assert f"{display_path(site.article())} changed during the build; building again" in site.said
    assert site.errors == [] and site.status()["error"] is None


@pytest.mark.parametrize("host, code", [("evil.example", 403), ("evil.example:{port}", 403),
                                        ("127.0.0.1.evil.example", 403), ("[::1", 403),
                                        ("localhost:{port}", 200), ("127.0.0.1:{port}", 200),
                                        ("[::1]:{port}", 200), ("app.localhost", 200)])
def test_requests_for_other_host_names_are_refused(start, host, code):
    site = start()
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=TIMEOUT)
    connection.putrequest("GET", "/articles/harbour/", skip_host=True)
    connection.putheader("Host", host.format(port=site.port))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    assert response.status == code
    assert (b"Harbour reopens" in body) == (code == 200)


@pytest.mark.parametrize("host, named", [("192.0.2.1", "192.0.2.1:0"), ("2001:db8::1", "[2001:db8::1]:0")])
def test_a_host_of_another_machine_is_an_error_that_names_it_and_says_to_change_the_host(make_site, host, named):
    problem = listen_problem(load_config(make_site(ARTICLES)), host, 0)
    assert problem.startswith(f"cannot serve on {named}: ") and "--host" in problem and "--port" not in problem


def test_a_port_in_use_is_an_error_that_says_to_change_the_port(make_site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        problem = listen_problem(load_config(make_site(ARTICLES)), "127.0.0.1", port)
    assert problem.startswith(f"cannot serve on 127.0.0.1:{port}: ") and "--port" in problem


def listen_problem(config, host: str, port: int) -> str:
    """The one problem ``serve`` reports when it cannot listen, before any build."""
    with pytest.raises(DigestError) as caught:
        serve(config, lambda: pytest.fail("built"), host=host, port=port, say=print, warn=print, error=print)
    [problem] = caught.value.problems
    return str(problem)


# --- the parts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "/../x", "/%2e%2e/x", "/a/..%2fx", "/a%5cb", "/a\\b", "/x%00", "/%0a", "/.digest-build", "/a/./b",
    "http://host/x", "x", "", "/%ff", "/a/.git/config",
])
def test_request_segments_refuses_anything_that_could_leave_the_site(target):
    assert request_segments(target) is None


@pytest.mark.parametrize("value, local", [(None, True), ("localhost", True), ("LOCALHOST:80", True),
                                          ("127.0.0.2:8000", True), ("[::1]", True), ("a.localhost", True),
                                          ("localhost.:80", True),
                                          ("localhost.example", False), ("10.0.0.1", False), ("", False),
                                          ("[::1", False), ("evil.example:8000", False)])
def test_a_host_header_is_local_when_it_names_a_loopback_host(value, local):
    assert local_host_header(value) is local


def test_request_segments_decodes_plain_paths():
    assert request_segments("/") == ()
    assert request_segments("/articles/caf%C3%A9/?q=1#top") == ("articles", "café")
    assert request_segments("//a//b") == ("a", "b")


def test_locate_finds_files_and_index_pages_and_refuses_links_out(tmp_path: Path):
    out = tmp_path / "site"
    (out / "a").mkdir(parents=True)
    (out / "a" / "index.html").write_text("a")
    (out / "empty").mkdir()
    (out / "style.css").write_text("css")
    (tmp_path / "secret").write_text("secret")
    (out / "inner.css").symlink_to(out / "style.css")
    (out / "out.css").symlink_to(tmp_path / "secret")
    (out / "up").symlink_to(tmp_path, target_is_directory=True)
    real = Path(os.path.realpath(out))
    assert locate(out, "/") is None  # no index.html at the top: no listing
    assert locate(out, "/a/") == Found(real / "a" / "index.html")
    assert locate(out, "/a") == Redirect("/a/")
    assert locate(out, "/a/index.html") == Found(real / "a" / "index.html")
    assert locate(out, "/style.css") == Found(real / "style.css")
    assert locate(out, "/inner.css") == Found(real / "style.css")  # a link inside the site is fine
    assert locate(out, "/empty/") is None and locate(out, "/missing") is None
    assert locate(out, "/out.css") is None and locate(out, "/up/secret") is None and locate(out, "/up/") is None
    assert locate(tmp_path / "not-built", "/") is None


def test_a_file_named_as_a_folder_is_not_found(tmp_path: Path):
    # "page.html/" is a 404 on a static host (and in Python's and nginx's file servers): a link
    # written so must not work in the preview only.
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("a")
    (tmp_path / "style.css").write_text("css")
    assert locate(tmp_path, "/style.css/") is None and locate(tmp_path, "/a/index.html/") is None
    assert locate(tmp_path, "/style.css/?v=1") is None


def test_a_path_with_doubled_slashes_is_redirected_to_its_one_address(tmp_path: Path):
    # Relative links would resolve wrongly from "/a//b/"; hugo server redirects such paths too.
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text("b")
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "style.css").write_text("css")
    assert locate(tmp_path, "//a//b/") == Redirect("/a/b/") and locate(tmp_path, "/a//b") == Redirect("/a/b/")
    assert locate(tmp_path, "//style.css") == Redirect("/style.css") and locate(tmp_path, "//") == Redirect("/")
    assert locate(tmp_path, "/a/b//index.html") == Redirect("/a/b/index.html")
    assert locate(tmp_path, "//missing.css") is None and locate(tmp_path, "//style.css/") is None


def test_a_redirect_keeps_the_query_string(tmp_path: Path):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.html").write_text("search")
    assert locate(tmp_path, "/search?q=putin&page=2") == Redirect("/search/?q=putin&page=2")
    assert locate(tmp_path, "//search/?q=") == Redirect("/search/?q=")
    assert locate(tmp_path, "/search?") == Redirect("/search/?")


def test_local_links_replace_the_published_site_in_links_only():
    page = (b'<a href="https://x.org/news/">Home</a><link href="https://x.org/news/s.css">'
            b"<img src='https://x.org/news/a.png'><p>https://x.org/news/</p>"
            b'<a href="https://x.org/other/">other</a><a href="https://x.org/a&amp;b/tags/">amp</a>')
    assert with_local_links(page, "https://x.org/news/") == (
        b'<a href="/">Home</a><link href="/s.css">'
        b"<img src='/a.png'><p>https://x.org/news/</p>"
        b'<a href="https://x.org/other/">other</a><a href="https://x.org/a&amp;b/tags/">amp</a>')
    assert with_local_links(page, "https://x.org/a&b/").endswith(b'<a href="/tags/">amp</a>')


def test_the_reload_script_goes_before_the_last_closing_body_tag():
    status = BuildStatus(3)
    page = with_reload_script(b"<html><body><p>x</p></BODY >\n</html>", status, "abc")
    assert page == (b'<html><body><p>x</p><script src="/__digest__/reload.js" data-generation="3" '
                    b'data-server="abc"></script></BODY >\n</html>')
    assert with_reload_script(b"<p>no body", status, "abc").startswith(b"<p>no body<script ")


@pytest.mark.parametrize("page, expected", [
    (b"<body><p>x</p></body><!-- the end: </body> -->", b"<body><p>x</p>TAG</body><!-- the end: </body> -->"),
    (b'<body><script>var s = "</body>";</script></body>', b'<body><script>var s = "</body>";</script>TAG</body>'),
    (b"<body><STYLE>p::after{content:'</body>'}</STYLE></Body>",
     b"<body><STYLE>p::after{content:'</body>'}</STYLE>TAG</Body>"),
    (b"<body><p>x</p><!-- </body> unclosed", b"<body><p>x</p><!-- </body> unclosedTAG"),
    (b"<p>x</p><script>'</body>'", b"<p>x</p><script>'</body>'TAG"),
    (b"<body></bodyguard></body>", b"<body></bodyguard>TAG</body>"),
])
def test_the_reload_script_goes_before_no_closing_body_tag_in_a_comment_or_script(page, expected):
    tag = b'<script src="/__digest__/reload.js" data-generation="1" data-server="abc"></script>'
    assert with_reload_script(page, BuildStatus(1), "abc") == expected.replace(b"TAG", tag)


def test_only_changes_to_inputs_matter(make_site):
    config = load_config(make_site(ARTICLES))
    plan = watch_plan(config)
    root, content = config.root, config.content_dir
    for path in (content / "a.md", content / "sub" / "b.md", root / "site.yaml", root / "templates",
                 root / "templates" / "article.html", root / "static" / "x.css", config.theme_dir / "base.html",
                 content / "#1-hash.md"):  # the build reads it: only emacs's #x# is scratch
        assert matters(plan, str(path)), path
    for path in (content / ".a.md.swp", content / "a.md~", content / ".#a.md", content / "#a.md#",
                 content / "4913", content / ".hidden" / "a.md", root / "site" / "index.html", root / "site",
                 root / ".digest-cache" / "x", root / ".digest-tmp-1" / "x", root / "README.md", root / "notes"):
        assert not matters(plan, str(path)), path


def test_changes_are_handed_over_once_a_burst_settles():
    changes = Changes()
    assert not changes.settled(0.01, 0.01)
    for _ in range(5):
        changes.note()
    started = time.monotonic()
    assert changes.settled(0.05, 1.0) and time.monotonic() - started >= 0.04
    assert not changes.settled(0.01, 0.01)  # the burst was taken whole


# --- digest upgraded under a running serve ----------------------------------------------------------


def lines_of(stream) -> queue.Queue:
    """Each line of ``stream`` as it comes, read on a thread of its own."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in stream], daemon=True).start()
    return lines


def line_with(lines: queue.Queue, text: str) -> str:
    deadline = time.monotonic() + TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if text in line:
            return line
    raise AssertionError(f"timed out waiting for a line with {text!r}")


def test_digest_upgraded_under_serve_is_told_and_the_next_build_builds_with_the_new_code(
        make_site, installed_copy, tmp_path):
    # serve keeps the code it loaded: its rebuilds must be recorded as that code's, or the next
    # digest build, with the new code, would call the old code's pages current.
    config = make_site(ARTICLES)
    folder = installed_copy()
    env = {**os.environ, "PYTHONPATH": str(folder), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    digest = [sys.executable, "-m", "generator", "--config", str(config)]
    serving = subprocess.Popen([*digest, "serve", "--port", "0"], env=env, cwd=tmp_path, text=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        said, warned = lines_of(serving.stdout), lines_of(serving.stderr)
        line_with(said, "serving ")
        upgrade(folder)
        with (tmp_path / "content" / "articles" / "harbour.md").open("a", encoding="utf-8") as article:
            article.write("\nMore on the quay.\n")
        assert line_with(warned, "warning: ") == (
            "warning: digest's code changed on disk since serve started (an upgrade, a git pull); this preview "
            "keeps building with the code it started with: restart digest serve to build with the new code")
        line_with(said, "built ")
    finally:
        serving.terminate()
        serving.wait(TIMEOUT)
    page = tmp_path / "site" / "articles" / "harbour" / "index.html"
    assert b"More on the quay." in page.read_bytes() and b"<!--v2-->" not in page.read_bytes()  # the old code's
    built = subprocess.run([*digest, "build"], env=env, cwd=tmp_path, text=True, capture_output=True,
                           timeout=120)
    assert built.returncode == 0 and "nothing changed" not in built.stdout, built
    assert b"<!--v2-->" in page.read_bytes()


def test_a_target_with_a_leading_double_slash_is_redirected_as_sent(start):
    # Python's request parser makes "//a/" "/a/": it was served, where "/a//b/" is redirected.
    site = start()
    for sent, location in (("//articles/harbour/", "/articles/harbour/"),
                           ("///articles//harbour/?q=1", "/articles/harbour/?q=1"), ("//", "/")):
        response = site.raw(sent)
        assert (response.status, response.getheader("Location")) == (302, location), sent
    assert site.raw("/articles/harbour/").status == 200
