"""Plotly figures drawn on the server: exported as SVG (or PNG) by kaleido and cached by their data.

One owner for every chart image, on the web pages and in the PDF report: the page shows the
picture as an ``<img>`` (no plotly.js on a phone), the report embeds it. One kaleido server (a
headless Chromium) is started per process on first use and kept warm; each exported figure is
cached on disk under ``settings.CACHE_DIR / "charts"`` by a hash of its JSON, so a chart seen once
is never exported again by any process. The cache holds pictures of data only; a per-person chart
is served by a view that checks its owner, the cache file is never reachable by URL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import logging
import os
import shutil
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

FONT_FAMILY = "DejaVu Sans"

logger = logging.getLogger(__name__)

# Every wait on the browser is bounded (seconds): its start, one export, a busy exporter.
START_TIMEOUT = float(os.environ.get("CHART_START_TIMEOUT", "30"))
EXPORT_TIMEOUT = float(os.environ.get("CHART_EXPORT_TIMEOUT", "15"))
# After a failure, the exporter is restarted in the background at most this often (at once when
# a browser appears where there was none).
RETRY_SECONDS = float(os.environ.get("CHART_RETRY_SECONDS", "60"))

# Exports made by this process (the rest came from the disk cache); read by tests and the bench.
stats = {"exports": 0, "hits": 0}


class ChartsUnavailable(Exception):
    """The exporter cannot draw now (no browser, or it stopped): the page or the report goes out
    without its charts and says so."""


def _browser_path() -> str | None:
    """The browser to start: the configured one if it can be run (never another one then),
    else Chromium found on the PATH."""
    configured = getattr(settings, "BROWSER_PATH", "") or os.environ.get("BROWSER_PATH", "")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


class _Exporter:
    """One kaleido browser per process, driven from its own event-loop thread; every call waits
    a bounded time, and a failure makes the next calls answer at once until a restart."""

    def __init__(self) -> None:
        self.export_lock = threading.Lock()
        self.start_lock = threading.Lock()
        self.pid = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.kaleido: Any = None
        self.reason = ""  # why the charts are unavailable ("" when they are not known to be)
        self.failed_at = 0.0
        self.failed_browser: str | None = None
        self.logged = ""
        self.restarting = threading.Event()

    # -- state ------------------------------------------------------------------------------

    def _reset_if_forked(self) -> None:
        # A process forked after the start (gunicorn --preload) has no loop thread: its own.
        if self.pid != os.getpid():
            self.pid = os.getpid()
            self.loop = None
            self.kaleido = None
            self.reason = ""
            self.restarting.clear()

    def _alive(self) -> bool:
        process = getattr(self.kaleido, "subprocess", None)
        return process is not None and process.poll() is None

    def _fail(self, reason: str) -> None:
        self.reason = reason
        self.failed_at = time.monotonic()
        self.failed_browser = _browser_path()
        self._stop()
        if reason != self.logged:  # once per cause, without a traceback
            logger.warning(
                "Graphiques indisponibles : %s. Les pages et les rapports sont servis sans "
                "graphiques jusqu'au redémarrage de l'export.",
                reason,
            )
            self.logged = reason

    def _stop(self) -> None:
        kaleido, loop = self.kaleido, self.loop
        self.kaleido = None
        self.loop = None
        if kaleido is not None:
            process = getattr(kaleido, "subprocess", None)
            if process is not None and process.poll() is None:
                process.kill()
        if loop is not None and loop.is_running():

            async def shutdown() -> None:
                if kaleido is not None:
                    with contextlib.suppress(BaseException):
                        await asyncio.wait_for(kaleido.close(), 5)
                asyncio.get_running_loop().stop()

            asyncio.run_coroutine_threadsafe(shutdown(), loop)

    def _retry_due(self) -> bool:
        browser = _browser_path()
        if browser is None:
            return False
        if browser != self.failed_browser:  # a browser appeared (or another one)
            return True
        return time.monotonic() - self.failed_at >= RETRY_SECONDS

    def available(self) -> bool:
        """Whether charts can be drawn now, without waiting (a due restart starts in the
        background)."""
        with contextlib.suppress(RuntimeError):
            self._reset_if_forked()
        if self.kaleido is not None:
            if self._alive():
                return True
            self._fail("le navigateur de l'export s'est arrêté")
        if self.reason:
            if self._retry_due():
                self.restart_in_background()
            return False
        if _browser_path() is None:
            self._fail(_no_browser_reason())
            return False
        return True

    # -- start ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the browser (bounded by ``START_TIMEOUT``); ``ChartsUnavailable`` if it
        cannot."""
        if not self.start_lock.acquire(timeout=START_TIMEOUT):
            raise ChartsUnavailable("démarrage de l'export en cours")
        try:
            self._reset_if_forked()
            if self.kaleido is not None and self._alive():
                return
            browser = _browser_path()
            if browser is None:
                self._fail(_no_browser_reason())
                raise ChartsUnavailable(self.reason)
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="chart-exporter", daemon=True).start()
            self.loop = loop

            async def open_browser() -> Any:
                import kaleido

                # mathjax=False: its default is a CDN URL, and the platform runs offline.
                k = kaleido.Kaleido(n=1, timeout=EXPORT_TIMEOUT, mathjax=False, path=browser)
                await k.open()
                return k

            future = asyncio.run_coroutine_threadsafe(open_browser(), loop)
            try:
                self.kaleido = future.result(timeout=START_TIMEOUT)
            except concurrent.futures.TimeoutError:
                future.cancel()
                self._fail(f"le navigateur {browser} n'a pas démarré en {START_TIMEOUT:g} s")
                raise ChartsUnavailable(self.reason) from None
            except Exception as error:
                self._fail(f"le navigateur {browser} n'a pas démarré ({_short(error)})")
                raise ChartsUnavailable(self.reason) from None
            if self.logged:
                logger.warning("Export des graphiques rétabli (%s).", browser)
            self.reason = self.logged = ""
        finally:
            self.start_lock.release()

    def restart_in_background(self) -> None:
        if self.restarting.is_set():
            return
        self.restarting.set()

        def run() -> None:
            try:
                self.start()
            except ChartsUnavailable:
                pass
            finally:
                self.restarting.clear()

        threading.Thread(target=run, name="chart-exporter-restart", daemon=True).start()

    def wait_restarted(self, timeout: float) -> bool:
        """Wait (bounded) for a background restart to end; whether the charts are available."""
        deadline = time.monotonic() + timeout
        while self.restarting.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.kaleido is not None and self._alive()

    # -- export -----------------------------------------------------------------------------

    def export(self, fig: go.Figure, opts: dict[str, Any]) -> bytes:
        if not self.available():
            raise ChartsUnavailable(self.reason)
        if self.kaleido is None:
            self.start()
        if not self.export_lock.acquire(timeout=EXPORT_TIMEOUT):
            raise ChartsUnavailable("l'export des graphiques est occupé")
        try:
            k, loop = self.kaleido, self.loop
            if k is None or loop is None or not self._alive():
                self._fail("le navigateur de l'export s'est arrêté")
                raise ChartsUnavailable(self.reason)
            future = asyncio.run_coroutine_threadsafe(k.calc_fig(fig, opts=opts), loop)
            try:
                image: bytes = future.result(timeout=EXPORT_TIMEOUT)
                return image
            except concurrent.futures.TimeoutError:
                future.cancel()
                self._fail(f"le navigateur n'a pas répondu en {EXPORT_TIMEOUT:g} s")
            except Exception as error:
                reason = "le navigateur de l'export s'est arrêté"
                self._fail(reason if not self._alive() else f"export impossible ({_short(error)})")
            raise ChartsUnavailable(self.reason)
        finally:
            self.export_lock.release()


def _no_browser_reason() -> str:
    configured = getattr(settings, "BROWSER_PATH", "") or os.environ.get("BROWSER_PATH", "")
    if configured:
        return f"aucun navigateur exécutable à BROWSER_PATH={configured}"
    return "aucun navigateur Chromium trouvé (installez le paquet chromium)"


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


exporter = _Exporter()


def available() -> bool:
    """Whether the charts can be drawn now (never waits): pages and reports say « sans
    graphiques » otherwise."""
    return exporter.available()


def ensure_exporter() -> None:
    """Start the process-wide browser now (bounded); ``ChartsUnavailable`` if it cannot."""
    if exporter.available() and exporter.kaleido is None:
        exporter.start()
    elif exporter.reason:
        raise ChartsUnavailable(exporter.reason)


def export_samples(samples: list[go.Figure]) -> None:
    """Export small figures so the browser is up, and their trace types loaded, before the first
    real chart (process start)."""
    ensure_exporter()
    for fig in samples:
        fig.to_json(engine="json")
        exporter.export(fig, {"format": "svg", "width": 200, "height": 150})


def _cache_dir() -> Path:
    path = Path(settings.CACHE_DIR) / "charts"
    path.mkdir(parents=True, exist_ok=True)
    return path


# PNG charts are drawn at this multiple of their CSS size (sharp in print at the report's widths).
PNG_SCALE = 2


def figure_image(fig: go.Figure, *, width: int, height: int, fmt: str = "svg") -> bytes:
    """The figure as SVG or PNG bytes, from the disk cache or exported by the warm kaleido
    browser; ``ChartsUnavailable`` (at once, or after a bounded wait) when it cannot draw."""
    scale = PNG_SCALE if fmt == "png" else 1
    payload = fig.to_json(engine="json") + f"|{width}x{height}x{scale}"
    digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
    path = _cache_dir() / f"{digest}.{fmt}"
    if path.exists():
        stats["hits"] += 1
        return path.read_bytes()
    image = exporter.export(fig, {"format": fmt, "width": width, "height": height, "scale": scale})
    stats["exports"] += 1
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(image)
    tmp.replace(path)
    return bytes(image)


def figure_svg(fig: go.Figure, *, width: int, height: int) -> bytes:
    """The figure as SVG bytes (see ``figure_image``)."""
    return figure_image(fig, width=width, height=height, fmt="svg")


MIME = {"svg": "image/svg+xml", "png": "image/png"}


# An SVG shown by <img> runs no script; plotly's SVG styles its shapes with style attributes.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def svg_response(fig: go.Figure, *, width: int, height: int, public: bool) -> HttpResponse:
    """The figure as an ``image/svg+xml`` response for an ``<img>`` of a page.

    ``public``: the same picture for everyone (a territory's indicators), kept 5 minutes by any
    cache like the public report; otherwise the chart is one person's and gets what every
    signed-in response gets (``private, no-store``, config.middleware).
    """
    try:
        image = figure_svg(fig, width=width, height=height)
    except ChartsUnavailable:
        # The page says « sans graphiques »; the picture says it too, and is never cached.
        response = HttpResponse(
            _unavailable_svg(width, height), content_type=MIME["svg"], status=503
        )
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = SVG_CSP
        response["Content-Security-Policy-Report-Only"] = SVG_CSP
        return response
    response = HttpResponse(image, content_type=MIME["svg"])
    # Set here, so the pages' policy (nonce-only styles) is not added by the CSP middleware.
    response["Content-Security-Policy"] = SVG_CSP
    response["Content-Security-Policy-Report-Only"] = SVG_CSP
    if public:
        patch_cache_control(response, public=True, max_age=300)
    return response


def _unavailable_svg(width: int, height: int) -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="#f4f5f7"/>'
        f'<text x="50%" y="50%" text-anchor="middle" font-family="{FONT_FAMILY}" '
        'font-size="14" fill="#1d2a3a">Graphique momentanément indisponible</text></svg>'
    ).encode()


# The widths (CSS pixels) the pages draw their charts at: a phone gets the narrow picture, drawn
# for its width with its own font sizes, never a wide one shrunk until its text cannot be read.
NARROW = "etroit"
WIDE = "large"
VARIANTS = (NARROW, WIDE)


def wrapped(text: str, width: int) -> str:
    """A chart label on lines of at most ``width`` characters (words never cut), joined by the
    ``<br>`` plotly breaks lines at."""
    words = " ".join(text.split())
    return "<br>".join(textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False))


def closed_loop[T](values: list[T]) -> list[T]:
    """A polar trace's values with the first repeated at the end, so its line closes."""
    return [*values, values[0]] if values else values
