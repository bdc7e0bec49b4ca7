"""One headless Chromium for many pages, driven over the DevTools protocol on a pipe (no extra dependency).

Launching Chromium costs about a second of CPU; the browser tests open some twenty pages, so one
browser per test session serves them all. Each page gets what a fresh ``chromium --headless
--virtual-time-budget=N --dump-dom`` would give it: its own browser context (no cookie, storage
or cache shared with another page), a 1280×800 window, virtual time that runs until ``N`` ms
have passed with no network fetch pending, then the DOM (or a screenshot) and the page's console
messages and uncaught errors. For example::

    browser = Chromium("/usr/bin/chromium", tmp / "profile", ("--headless", "--no-sandbox"))
    dom, console = browser.open(page.as_uri(), budget_ms=5000)
    browser.close()
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any

WINDOW = {"width": 1280, "height": 800}


class Chromium:
    """A headless Chromium started with ``flags``; ``open`` loads one page in a fresh context."""

    def __init__(self, binary: str, profile: Path, flags: tuple[str, ...] = (), *, timeout: float = 60) -> None:
        self.timeout = timeout
        self.log_path = profile.with_suffix(".log")
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()
        # The browser reads commands on its fd 3 and writes replies on its fd 4: bash moves them there (dash cannot
        # redirect an fd above 9), from copies numbered 10 or more so that neither end is 3 or 4 already.
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]
        os.close(to_browser)
        os.close(from_browser)
        command = [*flags, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        with open(self.log_path, "w", encoding="utf-8") as log:
            self._process = subprocess.Popen(
                ["bash", "-c", f'exec "$0" "$@" 3<&{ends[0]} 4>&{ends[1]}', binary, *command],
                pass_fds=ends, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        for fd in ends:
            os.close(fd)
        self._buffer, self._next_id, self._events = b"", 0, []

    def open(self, url: str, *, budget_ms: int, screenshot: Path | None = None) -> tuple[str, str]:
        """Load ``url``, let ``budget_ms`` of virtual time pass: the DOM (or "" with ``screenshot``) and the console lines."""
        context = self.call("Target.createBrowserContext")["browserContextId"]
        target = self.call("Target.createTarget", {"url": "about:blank", "browserContextId": context, **WINDOW})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable", session=session)
            self.call("Emulation.setVirtualTimePolicy", {"policy": "pause"}, session=session)
            self.call("Page.navigate", {"url": url}, session=session)
            self.call("Emulation.setVirtualTimePolicy", {"policy": "pauseIfNetworkFetchesPending", "budget": budget_ms}, session=session)
            self._wait_for("Emulation.virtualTimeBudgetExpired", session)
            if screenshot:
                shot = self.call("Page.captureScreenshot", {"format": "png"}, session=session)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
                dom = ""
            else:
                found = self.call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML"}, session=session)
                dom = found["result"]["value"]
            return dom, "\n".join(self._console_lines(session))
        finally:
            self.call("Target.closeTarget", {"targetId": target})
            self.call("Target.disposeBrowserContext", {"browserContextId": context})
            self._events = []

    def log_tail(self, size: int = 2000) -> str:
        """The end of the browser's own log (stderr)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-size:]

    def close(self) -> None:
        """Close the browser and wait for it."""
        try:
            self.call("Browser.close")
        except (OSError, EOFError, TimeoutError):
            self._process.kill()
        self._process.wait(timeout=self.timeout)
        os.close(self._commands)
        os.close(self._replies)

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept for ``_wait_for``."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self._events.append(reply)

    def _wait_for(self, method: str, session: str) -> dict[str, Any]:
        while True:
            for event in self._events:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            self._events.append(self._receive())

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            if not select.select([self._replies], [], [], max(0, deadline - time.monotonic()))[0]:
                raise TimeoutError(f"Chromium said nothing for {self.timeout} s; its log ends with:\n{self.log_tail()}")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise EOFError(f"Chromium closed the pipe; its log ends with:\n{self.log_tail()}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _console_lines(self, session: str) -> list[str]:
        """The page's console messages and uncaught errors, one ``CONSOLE`` line each, as Chromium's log writes them."""
        lines = []
        for event in self._events:
            if event.get("sessionId") != session:
                continue
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled":
                text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
                lines.append(f'CONSOLE {params.get("type")}: "{text}"')
            elif event.get("method") == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                description = details.get("exception", {}).get("description", "")
                lines.append(f'CONSOLE error: "{details.get("text", "")} {description}"')
            elif event.get("method") == "Log.entryAdded":
                entry = params.get("entry", {})
                lines.append(f'CONSOLE {entry.get("level")}: "{entry.get("text", "")}", source: {entry.get("url", "")}')
        return lines
