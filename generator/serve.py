"""``digest serve``: build, serve the site on 127.0.0.1, rebuild on every edit and reload open pages.

The build itself is the caller's ``rebuild``; this module serves, watches and reports. Builds run
on the calling (main) thread, so Ctrl-C or SIGTERM stops a build the way it stops ``digest build``;
the HTTP server and the file watcher run on threads of their own.

What is served is read from the output folder afresh for every request: a build swaps the
folder whole (``write.py``), so a path is resolved per request, never an open folder kept. Only
files inside that folder are served, no listings and no dotfiles. HTML is served with a small
script added before ``</body>`` (in the bytes sent, never in the files: the built site stays the
bytes ``digest build`` writes) that listens for build news and reloads the page, or shows a
failed build's problems over the last good site.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import os
import re
import secrets
import socket
import stat
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .config import SiteConfig
from .errors import DigestError, InputChanged, display_path
from .fingerprint import code_changed_on_disk
from .watch import Changes, Watcher, watch_plan

Report = Callable[[str], None]

RESERVED = "/__digest__/"  # the server's own URLs; no site path starts with "__digest__"
RELOAD_JS = RESERVED + "reload.js"
EVENTS = RESERVED + "events"
STATUS = RESERVED + "status"
NOT_FOUND_PAGE = "/404.html"  # the site's, written by every build
QUIET_SECONDS = 0.25  # a change waits this long for the rest of its burst (an editor's save, a git checkout)
POLL_SECONDS = 0.2  # how often the build loop looks at ``stop``
KEEPALIVE_SECONDS = 15.0  # an idle event stream sends a comment this often, to notice closed pages
CODE_CHANGED = ("digest's code changed on disk since serve started (an upgrade, a git pull); this preview "
                "keeps building with the code it started with: restart digest serve to build with the new code")


# --- build status ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildStatus:
    """What the browsers are told after each build."""

    generation: int  # successful builds so far: a page served at an older one is stale
    error: str | None = None  # the last build's problems, one a line; None when it succeeded

    def succeeded(self) -> BuildStatus:
        return BuildStatus(self.generation + 1)

    def failed(self, error: str) -> BuildStatus:
        return BuildStatus(self.generation, error)  # the last good site is still the one served


class StatusBoard:
    """The latest build status, for any number of event streams to wait on."""

    def __init__(self, server: str) -> None:
        self.server = server  # differs per run of ``serve``: a page from an earlier run reloads
        self._changed = threading.Condition()
        self._status = BuildStatus(0)
        self._closed = False

    @property
    def status(self) -> BuildStatus:
        with self._changed:
            return self._status

    def publish(self, status: BuildStatus) -> None:
        with self._changed:
            self._status = status
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def next_after(self, seen: BuildStatus | None, timeout: float) -> BuildStatus | None:
        """The status once it is another object than ``seen`` (two failures alike are still two
        builds), or ``seen`` again after ``timeout``; None once the board is closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._status is not seen, timeout)
            return None if self._closed else self._status

    def as_json(self, status: BuildStatus) -> str:
        return json.dumps({"server": self.server, "generation": status.generation, "error": status.error})


def event_message(board: StatusBoard, status: BuildStatus) -> bytes:
    """One Server-Sent Event: ``reload`` after a good build, ``failure`` after a failed one
    (not ``error``: EventSource fires that name itself when the connection drops)."""
    name = "failure" if status.error is not None else "reload"
    return f"event: {name}\ndata: {board.as_json(status)}\n\n".encode("utf-8")


# --- what a request names -------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    path: Path  # real path of a plain file inside the output folder


@dataclass(frozen=True)
class Redirect:
    location: str  # the one address of what was asked for: a folder's with its slash, so relative links resolve


_ENCODED_SEPARATOR = re.compile(r"%(2f|5c)", re.IGNORECASE)


def request_segments(target: str) -> tuple[str, ...] | None:
    """The names a request path walks through, or None when it could name anything outside the
    site or hidden in it: ``..`` (plain or percent-encoded), encoded slashes, backslashes,
    control characters such as NUL, a target that is not a path (``http://...``), dotfiles."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or "\\" in path or _ENCODED_SEPARATOR.search(path):
        return None
    try:
        text = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in text or any(ord(c) < 0x20 or c == "\x7f" for c in text):
        return None
    segments = tuple(part for part in text.split("/") if part)
    if any(part.startswith(".") for part in segments):  # "..", ".", .digest-build, .git
        return None
    return segments


def locate(output_dir: Path, target: str) -> Found | Redirect | None:
    """The file a request target names in ``output_dir``, looked up now; None for none or for
    one outside the folder by any route, links included (a link to a file outside is refused)."""
    segments = request_segments(target)
    if segments is None:
        return None
    path, mark, query = target.partition("?")
    root = os.path.realpath(output_dir)
    named = os.path.realpath(os.path.join(root, *segments))
    folder = os.path.isdir(named)
    if folder:
        index = os.path.realpath(os.path.join(named, "index.html"))
        if not (_inside(named, root) and _inside(index, root) and os.path.isfile(index)):
            return None  # no listings
        named = index
    elif path.endswith("/"):
        return None  # a file named as a folder: "page.html/" is no page on a static host either
    if not (_inside(named, root) and os.path.isfile(named)):
        return None
    if "//" in path or (folder and not path.endswith("/")):
        # Relative links resolve wrongly from "/a//b/" and "/a": sent to the one address, as hugo server does.
        return Redirect(_address(segments, folder) + mark + query)  # the query kept: a page's script may read it
    return Found(Path(named))


def request_target(requestline: str, path: str) -> str:
    """The target as the request line sent it: Python's parser makes a leading "//" one "/"
    (``path``), so "//articles/x/" would be served where "/articles//x/" is redirected. Only
    that change is undone; anything else the parser made of the line stands."""
    words = requestline.split()
    sent = words[1] if len(words) >= 2 else path
    return sent if sent.startswith("//") and "/" + sent.lstrip("/") == path else path


def _address(segments: tuple[str, ...], folder: bool) -> str:
    """The one path of a file or folder: single slashes, a folder's ending in one. Built from
    checked names, never "//host" (an open redirect)."""
    return "/" + "/".join(quote(part) for part in segments) + ("/" if folder and segments else "")


def _inside(path: str, root: str) -> bool:
    """Whether real path ``path`` is real folder ``root`` or in it, reached through no hidden name."""
    if path == root:
        return True
    if not path.startswith(root.rstrip(os.sep) + os.sep):
        return False
    return not any(part.startswith(".") for part in path[len(root.rstrip(os.sep)) + 1:].split(os.sep))


def with_local_links(page: bytes, base_url: str) -> bytes:
    """``page`` with its links into the site published at ``base_url`` made root-relative. The 404
    page's links are absolute, since a host serves it at any depth; the preview's must lead to the preview."""
    published = re.escape(html.escape(base_url).encode("utf-8"))  # as the templates write it
    return re.sub(rb"""((?:href|src)=["'])""" + published, rb"\1/", page)


# --- the reload script ----------------------------------------------------------------------------


def with_reload_script(page: bytes, status: BuildStatus, server: str) -> bytes:
    """``page`` with the reload script's tag before its last ``</body>`` outside comments and
    scripts (``body_end``; at the end if none).

    A same-origin script file, not inline code, so a theme's Content-Security-Policy with
    ``script-src 'self'`` allows it; the tag carries the build the page was served at."""
    tag = (f'<script src="{RELOAD_JS}" data-generation="{status.generation}" '
           f'data-server="{server}"></script>').encode("ascii")
    at = body_end(page)
    at = len(page) if at is None else at
    return page[:at] + tag + page[at:]


# A comment, a script or style element (their text is no markup: "</body>" in a JS string), or
# a closing body tag; each runs to the end of the page when it is not closed, as a browser reads it.
_BODY_END = re.compile(rb"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|(</body\b)",
                       re.IGNORECASE | re.DOTALL)


def body_end(page: bytes) -> int | None:
    """Where the last real ``</body>`` of ``page`` starts: not one inside a comment, a script or
    a style element; None if there is none."""
    found = None
    for match in _BODY_END.finditer(page):
        if match.group(2):
            found = match.start()
    return found


# Reloads a page served before the latest good build; shows a failed build's problems in a fixed
# box, as text only (they can quote scraped article text), and removes it after the next good one.
# Styles are set through the CSSOM, which a CSP's style-src does not block.
RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var me = document.currentScript;
  var server = me ? me.getAttribute("data-server") : "";
  var generation = me ? Number(me.getAttribute("data-generation")) : 0;
  var overlay = null, text = null;

  function show(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.id = "digest-build-error";
      Object.assign(overlay.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647",
        maxHeight: "60vh", overflow: "auto", margin: "0", padding: "1em 1.25em",
        background: "#2b0b0b", color: "#ffecec", borderTop: "4px solid #e5484d",
        font: "13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", textAlign: "left"
      });
      var heading = document.createElement("strong");
      heading.textContent = "digest: the build failed; this is the last good site";
      text = document.createElement("pre");
      Object.assign(text.style, { margin: "0.5em 0 0", whiteSpace: "pre-wrap", font: "inherit" });
      overlay.appendChild(heading);
      overlay.appendChild(text);
      document.body.appendChild(overlay);
    }
    text.textContent = problems;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = text = null;
    }
  }

  function update(event) {
    var status;
    try {
      status = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (status.server !== server || status.generation > generation) {
      location.reload();
    } else if (status.error) {
      show(status.error);
    } else {
      hide();
    }
  }

  var events = new EventSource("/__digest__/events");
  events.addEventListener("reload", update);
  events.addEventListener("failure", update);
})();
"""

# Served where the site has no such page and no 404.html (nothing built yet): the overlay tells why.
PLACEHOLDER_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>digest serve</title></head>
<body>
<h1>No page here</h1>
<p>The site has no such page, or has not been built yet.</p>
</body>
</html>
"""


# --- HTTP -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What every request handler reads: where the site is, and the build news."""

    output_dir: Path
    board: StatusBoard
    base_url: Callable[[], str]  # the last build's
    log: Report  # access log lines, when asked for
    warn: Report
    verbose: bool


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds up the exit
    preview: Preview

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a page closed or reloaded mid-response
        self.preview.warn(f"serving {client_address[0]}: {traceback.format_exc().rstrip()}")


class PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


class PreviewHandler(SimpleHTTPRequestHandler):
    """GET and HEAD of the built site and of the server's own ``/__digest__/`` URLs."""

    server: PreviewServer
    server_version = "digest-serve"

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        preview = self.server.preview
        if _is_loopback(self.server.server_address[0]) and not local_host_header(self.headers.get("Host")):
            # A page of another site whose name was made to point here (DNS rebinding) could
            # otherwise read the preview, its build errors and the local paths they name.
            return self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8",
                              b"digest serve answers requests for localhost only\n", with_body)
        target = request_target(self.requestline, self.path)
        path = target.split("?", 1)[0]
        if path == EVENTS and with_body:
            return self._stream_events(preview.board)
        if path == RELOAD_JS:
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_SCRIPT.encode(), with_body)
        if path == STATUS:
            body = preview.board.as_json(preview.board.status).encode()
            return self._send(HTTPStatus.OK, "application/json", body, with_body)
        # Taken before the file is read: a build landing in between costs one needless reload,
        # never a stale page that believes it is current.
        status = preview.board.status
        found = None if path.startswith(RESERVED) else locate(preview.output_dir, target)
        if isinstance(found, Redirect):
            self.send_response(HTTPStatus.FOUND)  # not 301: browsers would keep it past a rebuild
            self.send_header("Location", found.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        content = self._site_file(found) if found is not None else None
        if content is not None:
            media_type = self.guess_type(str(found.path))
            return self._send(HTTPStatus.OK, media_type, self._page(content, media_type, status), with_body)
        missing = locate(preview.output_dir, NOT_FOUND_PAGE)
        content = self._site_file(missing, not_found_page=True) if isinstance(missing, Found) else None
        body = self._page(content if content is not None else PLACEHOLDER_PAGE, "text/html", status)
        return self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, with_body)

    def _site_file(self, found: Found, not_found_page: bool = False) -> bytes | None:
        """A file of the site as the preview serves it: the 404 page (served for a missing file,
        or asked for by name) with its links kept in the preview."""
        preview = self.server.preview
        content = _read_plain_file(found.path)
        # ``found`` is a real path, as is the 404 page's: one comparison, not a second lookup.
        not_found_page = not_found_page or found.path == Path(
            os.path.realpath(os.path.join(preview.output_dir, NOT_FOUND_PAGE.lstrip("/"))))
        if content is None or not not_found_page:
            return content
        return with_local_links(content, preview.base_url())

    def _page(self, content: bytes, media_type: str, status: BuildStatus) -> bytes:
        if media_type.split(";")[0] != "text/html":
            return content
        return with_reload_script(content, status, self.server.preview.board.server)

    def _send(self, code: HTTPStatus, media_type: str, body: bytes, with_body: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must fetch the new build
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _stream_events(self, board: StatusBoard) -> None:
        """The current status at once, then each new one, until the page goes or the server stops."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            self.wfile.write(b"retry: 1000\n\n")  # reconnect soon after a restart of the server
            while True:
                status = board.next_after(seen, KEEPALIVE_SECONDS)
                if status is None:
                    return
                self.wfile.write(b": still here\n\n" if status is seen else event_message(board, status))
                self.wfile.flush()
                seen = status
        except (ConnectionError, TimeoutError):
            return

    def log_message(self, format: str, *args) -> None:
        # log_error comes here too: a request answered with an error (POST: 501, a bad request
        # line: 400) is the client's mistake, for the access log; the server's own go to handle_error.
        if self.server.preview.verbose:
            self.server.preview.log(f"{self.address_string()} {format % args}")


def _read_plain_file(path: Path) -> bytes | None:
    """The bytes of a plain file, not following a link put there since it was checked."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            return None
        return file.read()


def _listen(host: str, port: int, preview: Preview) -> PreviewServer:
    kind = PreviewServer6 if ":" in host else PreviewServer
    try:
        server = kind((host, port), PreviewHandler)
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DigestError.at(f"cannot serve on {host_port(host, port)}: {reason}", None,
                             hint=listen_hint(exc)) from None
    server.preview = preview
    return server


def listen_hint(error: Exception) -> str:
    """What to change after a failed listen: the port when it is taken or needs root, else the host
    (a name that does not resolve, an address of another machine)."""
    if isinstance(error, OverflowError) or getattr(error, "errno", None) in (errno.EADDRINUSE, errno.EACCES):
        return "choose another port with --port"
    return "give --host a name or address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for every address"


def host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # an IPv6 address in brackets


def server_url(server: PreviewServer) -> str:
    return f"http://{host_port(*server.server_address[:2])}/"


def local_host_header(value: str | None) -> bool:
    """Whether a request's ``Host`` names this machine by a loopback name or address (any port);
    a request without one (HTTP/1.0, no browser) passes."""
    if value is None:
        return True
    try:
        host = urlsplit(f"//{value}").hostname
    except ValueError:  # "[bad", a malformed IPv6 literal
        return False
    if host is None:
        return False
    host = host.removesuffix(".")  # "localhost." is the same name, fully qualified
    return host == "localhost" or host.endswith(".localhost") or _is_loopback(host)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


# --- the loop -------------------------------------------------------------------------------------


def serve(config: SiteConfig, rebuild: Callable[[], str], *, host: str = "127.0.0.1", port: int = 8000,
          say: Report, warn: Report, error: Report, ready: Callable[[str], None] | None = None,
          stop: threading.Event | None = None, verbose: bool = False,
          settings: Callable[[], SiteConfig] | None = None) -> None:
    """Build, serve ``config.output_dir`` on ``host:port`` (0: any free port) and rebuild after
    every change to the site's inputs, until ``stop`` is set or Ctrl-C (which ends a build under
    way as it ends ``digest build``, and returns normally).

    ``rebuild()`` runs one build and returns its one-line summary, raising DigestError for bad
    input; a failed build's problems go to ``error`` one by one (without an "error: " prefix) and
    to the open pages, and the last good site stays served. ``ready`` gets the URL once the
    first build is done and requests are answered. ``verbose`` logs every request through ``say``.
    ``settings()`` gives the configuration the last build used: its folders are watched from then on.
    """
    stop = stop or threading.Event()
    board = StatusBoard(secrets.token_hex(8))
    latest = settings or (lambda: config)
    # The base_url of the build whose site is served: a failed build with another base_url in
    # site.yaml leaves the last good site, and its 404 page, written with the old one.
    published = [config.base_url]
    server = _listen(host, port, Preview(config.output_dir, board, lambda: published[0], say, warn, verbose))
    changes = Changes()
    watcher = Watcher(watch_plan(config), changes)
    serving = threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), name="digest-serve-http",
                               daemon=True)
    try:
        watcher.start()  # before the first build: an edit during it is built next
        if _build_once(rebuild, board, say, error, changes):
            published[0] = latest().base_url
        serving.start()
        url = server_url(server)
        if not _is_loopback(server.server_address[0]):
            warn(f"serving on {server.server_address[0]}: anyone who can reach this machine can read the site")
        say(f"serving {display_path(config.output_dir)} at {url} - rebuilding on every change; Ctrl-C stops")
        if ready is not None:
            ready(url)
        told_of_code = False
        while not stop.is_set():
            if changes.settled(QUIET_SECONDS, POLL_SECONDS):
                if not told_of_code and code_changed_on_disk():
                    # Python cannot load a new version over the running one; builds go on with
                    # the code loaded, and record it as such (``fingerprint.loaded_code``).
                    warn(CODE_CHANGED)
                    told_of_code = True
                # One build at a time, here: changes during it are noted and built next, as one.
                if _build_once(rebuild, board, say, error, changes):
                    published[0] = latest().base_url
                if settings is not None:
                    watcher.follow(watch_plan(settings()))
            # Input folders made (again) since they were last looked at are watched now, and
            # built: what was written into them meanwhile was seen by no watch.
            if watcher.watch_new_folders():
                changes.note()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        board.close()  # ends the event streams
        if serving.is_alive():
            server.shutdown()
            serving.join()
        server.server_close()
        watcher.stop()


def _build_once(rebuild: Callable[[], str], board: StatusBoard, say: Report, error: Report,
                changes: Changes) -> bool:
    """Run one build, report it, and tell the pages: reload, or here is what failed; whether it
    succeeded. An input that changed while it ran is no error to show, only a change to build
    next (noted here too: a file made unreadable may pass no watch filter)."""
    try:
        summary = rebuild()
    except InputChanged as exc:
        for problem in exc.problems:
            say(f"{display_path(problem.path or '')} changed during the build; building again")
        changes.note()
        return False
    except DigestError as exc:
        problems = [str(problem) for problem in exc.problems]
    except OSError as exc:
        problems = [f"{exc.filename or ''}: {exc.strerror or exc}"]
    except Exception:  # a bug in a build must not take the preview down with it
        problems = [f"the build crashed:\n{traceback.format_exc().rstrip()}"]
    else:
        say(summary)
        board.publish(board.status.succeeded())
        return True
    for problem in problems:
        error(problem)
    board.publish(board.status.failed("\n".join(problems)))
    return False
