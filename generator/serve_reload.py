"""What browsers of ``digest serve`` are told: each build's news, and the script added to every
HTML page served (never to the files) that listens for it and reloads the page, or shows a
failed build's problems over the last good site."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass

RESERVED = "/__digest__/"  # the server's own URLs; no site path starts with "__digest__"
RELOAD_JS = RESERVED + "reload.js"
EVENTS = RESERVED + "events"
STATUS = RESERVED + "status"


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
