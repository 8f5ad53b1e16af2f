"""Plotly figures drawn on the server: exported as SVG (or PNG) by kaleido and cached by their data.

One owner for every chart image, on the web pages and in the PDF report: the page shows the
picture as an ``<img>`` (no plotly.js on a phone), the report embeds it. One kaleido server (a
headless Chromium) is started per process on first use and kept warm; each exported figure is
cached on disk under ``settings.CACHE_DIR / "charts"`` by a hash of its JSON, so a chart seen once
is never exported again by any process. The cache holds pictures of data only; a per-person chart
is served by a view that checks its owner, the cache file is never reachable by URL.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import textwrap
import threading
from pathlib import Path

import plotly.graph_objects as go
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

FONT_FAMILY = "DejaVu Sans"

_lock = threading.Lock()
_server_started = 0
# Exports made by this process (the rest came from the disk cache); read by tests and the bench.
stats = {"exports": 0, "hits": 0}


def _browser_path() -> str | None:
    return (
        getattr(settings, "BROWSER_PATH", "")
        or os.environ.get("BROWSER_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def ensure_exporter() -> None:
    """Start the process-wide kaleido server once (its browser starts on the first export)."""
    global _server_started
    # The process id, not a flag: a process forked after the start (gunicorn --preload) has no
    # server thread and starts its own.
    if _server_started == os.getpid():
        return
    with _lock:
        if _server_started == os.getpid():
            return
        import kaleido

        path = _browser_path()
        if path:
            os.environ["BROWSER_PATH"] = path
        # mathjax=False: its default is a CDN URL, and the platform runs offline.
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _server_started = os.getpid()


def export_samples(samples: list[go.Figure]) -> None:
    """Export small figures so the browser is up, and their trace types loaded, before the first
    real chart (process start)."""
    ensure_exporter()
    import kaleido

    for fig in samples:
        fig.to_json(engine="json")
        with _lock:
            kaleido.calc_fig_sync(fig, opts={"format": "svg", "width": 200, "height": 150})


def _cache_dir() -> Path:
    path = Path(settings.CACHE_DIR) / "charts"
    path.mkdir(parents=True, exist_ok=True)
    return path


# PNG charts are drawn at this multiple of their CSS size (sharp in print at the report's widths).
PNG_SCALE = 2


def figure_image(fig: go.Figure, *, width: int, height: int, fmt: str = "svg") -> bytes:
    """The figure as SVG or PNG bytes, from the disk cache or exported by the warm kaleido
    server."""
    scale = PNG_SCALE if fmt == "png" else 1
    payload = fig.to_json(engine="json") + f"|{width}x{height}x{scale}"
    digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
    path = _cache_dir() / f"{digest}.{fmt}"
    if path.exists():
        stats["hits"] += 1
        return path.read_bytes()
    ensure_exporter()
    import kaleido

    with _lock:
        image = kaleido.calc_fig_sync(
            fig, opts={"format": fmt, "width": width, "height": height, "scale": scale}
        )
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
    response = HttpResponse(figure_svg(fig, width=width, height=height), content_type=MIME["svg"])
    # Set here, so the pages' policy (nonce-only styles) is not added by the CSP middleware.
    response["Content-Security-Policy"] = SVG_CSP
    response["Content-Security-Policy-Report-Only"] = SVG_CSP
    if public:
        patch_cache_control(response, public=True, max_age=300)
    return response


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
