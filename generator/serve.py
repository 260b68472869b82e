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
import ipaddress
import os
import secrets
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .config import SiteConfig
from .errors import DigestError, InputChanged, display_path
from .fingerprint import code_changed_on_disk
from .serve_files import Found, Redirect, read_plain_file, locate, request_target, with_local_links
from .serve_reload import (EVENTS, PLACEHOLDER_PAGE, RELOAD_JS, RELOAD_SCRIPT, RESERVED, STATUS, BuildStatus,
                           StatusBoard, event_message, with_reload_script)
from .watch import Changes, Watcher, watch_plan

Report = Callable[[str], None]

NOT_FOUND_PAGE = "/404.html"  # the site's, written by every build
QUIET_SECONDS = 0.25  # a change waits this long for the rest of its burst (an editor's save, a git checkout)
POLL_SECONDS = 0.2  # how often the build loop looks at ``stop``
KEEPALIVE_SECONDS = 15.0  # an idle event stream sends a comment this often, to notice closed pages
CODE_CHANGED = ("digest's code changed on disk since serve started (an upgrade, a git pull); this preview "
                "keeps building with the code it started with: restart digest serve to build with the new code")


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
        content = read_plain_file(found.path)
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
