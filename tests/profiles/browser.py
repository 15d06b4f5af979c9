"""Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe),
with nothing but the standard library: the browser reads commands on its fd 3 and
writes replies and events on its fd 4, each a JSON message ended by a NUL byte.

Used by the profile tests to open a page from a file, record every network request,
console message, uncaught exception and browser log entry, read the DOM, and take
screenshots and PDFs.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    # nothing can leave the machine even if a page tried: every host name fails to
    # resolve, while the attempt itself still shows as a request event
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
]
# requests that are not network traffic: the page itself and in-memory resources
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def find_chromium() -> str | None:
    override = os.environ.get("FOOTPRINT_CHROMIUM")
    if override:
        return override
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    pass


@dataclass
class PageLog:
    """What happened while a page was open."""

    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    exceptions: list[str] = field(default_factory=list)
    log_entries: list[tuple[str, str]] = field(default_factory=list)  # (level, text)

    @property
    def network_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]

    @property
    def errors(self) -> list[str]:
        return (
            [
                f"console.{kind}: {text}"
                for kind, text in self.console
                if kind in {"error", "assert"}
            ]
            + [f"exception: {text}" for text in self.exceptions]
            + [f"log {level}: {text}" for level, text in self.log_entries if level == "error"]
        )


def _high_fd(fd: int) -> int:
    """A copy of fd numbered 10 or above, so that dup2 onto 3 and 4 cannot clobber it."""
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return copy


class Browser:
    """One headless Chromium process; use as a context manager."""

    def __init__(self, executable: str, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="footprint-chromium-")
        command_read, self._command_write = (_high_fd(fd) for fd in os.pipe())
        self._reply_read, reply_write = (_high_fd(fd) for fd in os.pipe())

        def wire_pipes() -> None:  # runs in the child, before exec
            os.dup2(command_read, 3)
            os.dup2(reply_write, 4)

        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire_pipes,
        )
        os.close(command_read)
        os.close(reply_write)
        self._next_id = 0
        self._lock = threading.Lock()
        self._replies: dict[int, dict[str, Any]] = {}
        self._events: list[dict[str, Any]] = []
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # --- protocol -----------------------------------------------------------------

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._reply_read, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._arrived:
                    self._arrived.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self._arrived:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self._events.append(message)
                self._arrived.notify_all()

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None):
        with self._lock:
            self._next_id += 1
            message_id = self._next_id
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._command_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        with self._arrived:
            while message_id not in self._replies:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._process.poll() is not None:
                    raise BrowserError(f"no reply to {method} (browser exited or timed out)")
                self._arrived.wait(remaining)
            reply = self._replies.pop(message_id)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for_event(self, method: str, session: str, since: int = 0) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        with self._arrived:
            while True:
                for event in self._events[since:]:
                    if event.get("method") == method and event.get("sessionId") == session:
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BrowserError(f"timed out waiting for {method}")
                self._arrived.wait(remaining)

    def events(self, session: str) -> list[dict[str, Any]]:
        with self._arrived:
            return [e for e in self._events if e.get("sessionId") == session]

    # --- pages --------------------------------------------------------------------

    @contextlib.contextmanager
    def page(
        self, path: Path, width: int = 1100, height: int = 900, mobile: bool = False
    ) -> Iterator[Page]:
        """Open a file in a new tab (as a phone's browser lays it out when `mobile`);
        yields a Page once it has loaded and drawn."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        try:
            for domain in ("Page", "Runtime", "Network", "Log"):
                self.send(f"{domain}.enable", session=session)
            self.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                session=session,
            )
            with self._arrived:
                mark = len(self._events)
            self.send("Page.navigate", {"url": path.resolve().as_uri()}, session=session)
            self.wait_for_event("Page.loadEventFired", session, since=mark)
            page = Page(self, session)
            page.wait_for_charts()
            yield page
        finally:
            with contextlib.suppress(BrowserError):
                self.send("Target.closeTarget", {"targetId": target})

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.send("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for fd in (self._command_write, self._reply_read):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def evaluate(self, expression: str) -> Any:
        result = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for_charts(self) -> None:
        """Until every plotly chart on the page has drawn its SVG."""
        deadline = time.monotonic() + self.browser.timeout
        expression = (
            "Array.from(document.querySelectorAll('.plotly-graph-div'))"
            ".every(d => d.querySelector('.main-svg') !== null)"
        )
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                log = self.log()
                raise BrowserError(f"charts did not draw; page errors: {log.errors}")
            time.sleep(0.1)

    def log(self) -> PageLog:
        log = PageLog()
        for event in self.browser.events(self.session):
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                log.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled":
                text = " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params["args"]
                )
                log.console.append((params["type"], text))
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                log.exceptions.append(
                    details.get("exception", {}).get("description", details.get("text", ""))
                )
            elif method == "Log.entryAdded":
                entry = params["entry"]
                log.log_entries.append((entry["level"], f"{entry.get('url', '')} {entry['text']}"))
        return log

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            metrics = self.browser.send("Page.getLayoutMetrics", session=self.session)
            size = metrics["cssContentSize"]
            params |= {
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": size["height"],
                    "scale": 1,
                },
            }
        data = self.browser.send("Page.captureScreenshot", params, session=self.session)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def pdf(self, path: Path) -> Path:
        """Printed as Chromium prints: print media, beforeprint and afterprint."""
        data = self.browser.send(
            "Page.printToPDF",
            {"printBackground": True, "preferCSSPageSize": True},
            session=self.session,
        )["data"]
        path.write_bytes(base64.b64decode(data))
        return path
