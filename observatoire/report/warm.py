"""Start the report's expensive machinery when a web or worker process starts, in a thread, so
that the first report of the process does not pay for it: kaleido's headless Chromium (~4 s) and
WeasyPrint's import, fonts and stylesheet (~1–2 s).

Management commands other than the servers and the task worker (migrate, test, shell…) never
start it; ``REPORT_WARMUP=1`` forces it, ``REPORT_WARMUP=0`` turns it off.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import threading
import time

logger = logging.getLogger(__name__)

SERVER_COMMANDS = {"runserver", "db_worker"}
_started = threading.Event()
done = threading.Event()


def wanted(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> bool:
    """Whether this process serves pages or runs tasks (and so will render reports)."""
    argv = sys.argv if argv is None else argv
    environ = dict(os.environ) if environ is None else environ
    forced = environ.get("REPORT_WARMUP", "")
    if forced in {"0", "1"}:
        return forced == "1"
    program = os.path.basename(argv[0]) if argv else ""
    if "gunicorn" in program or "uvicorn" in program:
        return True
    if len(argv) > 1 and argv[1] in SERVER_COMMANDS:
        # runserver's autoreloader: only the child that serves (RUN_MAIN) renders reports.
        if argv[1] == "runserver" and "--noreload" not in argv:
            return environ.get("RUN_MAIN") == "true"
        return True
    return False


def warm() -> None:
    """Start Chromium through kaleido and draw a tiny PDF with the report's fonts."""
    from config.charts import ChartsUnavailable, available
    from observatoire.report import charts, render

    started = time.monotonic()
    try:
        charts.warm_exporter()
    except ChartsUnavailable:  # no browser: the exporter has said why, once; reports say so
        pass
    except Exception:
        logger.exception("Démarrage anticipé de l'export des graphiques impossible")
    try:
        render.warm()
    except Exception:
        logger.exception("Préparation anticipée du rendu PDF impossible")
    logger.info(
        "Rapports prêts en %.1f s (%s).",
        time.monotonic() - started,
        "graphiques compris" if available() else "sans graphiques",
    )
    done.set()


# What the warm-up imports, imported first by the thread that starts it: two threads importing
# numpy or pandas at once leave one with a « partially initialized module » (issue of the
# warm-up racing the server's own imports).
WARM_IMPORTS = (
    "numpy",
    "pandas",
    "plotly.graph_objects",
    "plotly.io",
    "kaleido",
    "weasyprint",
    "observatoire.report.charts",
    "observatoire.report.render",
)


def import_modules() -> None:
    for name in WARM_IMPORTS:
        # pandas is optional: plotly then never imports it either.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def start_in_background(force: bool = False) -> bool:
    """Start ``warm`` once in a daemon thread if this process needs it."""
    if _started.is_set() or not (force or wanted()):
        return False
    _started.set()
    import_modules()
    threading.Thread(target=warm, name="report-warmup", daemon=True).start()
    return True
