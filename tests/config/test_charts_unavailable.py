"""Never hang, always say: without a browser, or when it has crashed, pages go out without their
charts at once and say « sans graphiques »; the exporter restarts by itself. The PDF report draws
its charts without a browser (observatoire.report.drawing): it keeps them."""

from __future__ import annotations

import logging
import os
from typing import Any

import pytest
from django.test import Client

from config import charts
from observatoire.services import catalogue_import, values_import
from tests.observatoire.report_helpers import pdf_text

pytestmark = pytest.mark.django_db

CATALOGUE = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif\n"
    "RSA;Allocataires du RSA;personnes;Essai;2022;Pauvreté / lutte contre l'exclusion;"
    "fragilite;oui\n"
)
VALUES = "CODGEO;RSA\n94080;1000\n94067;800\n"
PAGE = "/territoires/commune/94080/indicateurs/"
REPORT = "/territoires/commune/94080/rapport.pdf"


@pytest.fixture(autouse=True)
def fresh_exporter(settings: Any, tmp_path: Any, monkeypatch: Any) -> Any:
    """A new exporter and an empty chart cache: nothing drawn by another test is reused."""
    settings.CACHE_DIR = tmp_path
    exporter = charts._Exporter()
    monkeypatch.setattr(charts, "exporter", exporter)
    yield exporter
    exporter._stop()


@pytest.fixture
def indicators(geo: Any) -> None:
    assert catalogue_import(data=CATALOGUE.encode(), file_name="c.csv").status == "reussi"
    assert values_import(data=VALUES.encode(), file_name="v.csv", year=2022).status == "reussi"


class Spy:
    """Counts the bounded waits on the browser (a start or an export sent to it)."""

    def __init__(self, exporter: Any, monkeypatch: Any) -> None:
        self.starts = 0
        original = exporter.start

        def start() -> None:
            self.starts += 1
            original()

        monkeypatch.setattr(exporter, "start", start)


def chart_url(client: Client) -> str:
    page = client.get(PAGE).content.decode()
    return page.split('id="distribution-0" src="')[1].split('"')[0]


def test_without_a_browser_the_page_and_the_report_say_sans_graphiques(
    indicators: None, settings: Any, fresh_exporter: Any, monkeypatch: Any, caplog: Any
) -> None:
    settings.BROWSER_PATH = "/nonexistent/chromium"
    spy = Spy(fresh_exporter, monkeypatch)
    client = Client()
    with caplog.at_level(logging.WARNING, logger="config.charts"):
        page = client.get(PAGE)
        image = client.get(chart_url(client))
        report = client.get(REPORT)
        client.get(REPORT)
    assert page.status_code == 200
    assert "sans graphiques" in page.content.decode()
    assert image.status_code == 503
    assert image["Content-Type"] == "image/svg+xml"
    assert b"Graphique momentan" in image.content
    assert image["Cache-Control"] == "no-store"
    assert report.status_code == 200
    # The report's charts are written in Python (observatoire.report.drawing): no browser needed.
    assert "sans graphiques" not in pdf_text(report.content)
    assert "Allocataires du RSA" in pdf_text(report.content)
    # Nothing waited on a browser: no start was attempted.
    assert spy.starts == 0
    # The log says why, once, without a traceback.
    warnings = [r for r in caplog.records if r.name == "config.charts"]
    assert len(warnings) == 1
    assert "BROWSER_PATH=/nonexistent/chromium" in warnings[0].getMessage()
    assert warnings[0].exc_info is None


@pytest.mark.chromium
def test_a_browser_appearing_brings_the_charts_back(
    indicators: None, settings: Any, fresh_exporter: Any
) -> None:
    browser = os.environ.get("BROWSER_PATH") or charts.shutil.which("chromium")
    if not browser:
        pytest.skip("Chromium introuvable.")
    settings.BROWSER_PATH = "/nonexistent/chromium"
    assert not charts.available()
    settings.BROWSER_PATH = browser  # installed: the exporter restarts in the background
    charts.available()
    assert fresh_exporter.wait_restarted(charts.START_TIMEOUT + 5)
    client = Client()
    assert "sans graphiques" not in client.get(PAGE).content.decode()
    image = client.get(chart_url(client))
    assert image.status_code == 200
    assert image.content.startswith(b"<svg")


@pytest.mark.chromium
def test_a_crashed_browser_then_recovery(
    indicators: None, settings: Any, fresh_exporter: Any, monkeypatch: Any, caplog: Any
) -> None:
    browser = os.environ.get("BROWSER_PATH") or charts.shutil.which("chromium")
    if not browser:
        pytest.skip("Chromium introuvable.")
    settings.BROWSER_PATH = browser
    monkeypatch.setattr(charts, "RETRY_SECONDS", 3600.0)
    charts.ensure_exporter()
    process = fresh_exporter.kaleido.subprocess
    process.kill()
    process.wait(10)
    spy = Spy(fresh_exporter, monkeypatch)
    client = Client()
    with caplog.at_level(logging.WARNING, logger="config.charts"):
        page = client.get(PAGE)
        image = client.get(chart_url(client))
        report = client.get(REPORT)
    assert "sans graphiques" in page.content.decode()
    assert image.status_code == 503
    assert "sans graphiques" not in pdf_text(report.content)  # drawn without the browser
    assert spy.starts == 0  # told at once: no restart before the retry delay
    messages = [r.getMessage() for r in caplog.records if r.name == "config.charts"]
    assert len(messages) == 1 and "s'est arrêté" in messages[0]

    # The retry delay over, the next request starts a new browser in the background.
    monkeypatch.setattr(charts, "RETRY_SECONDS", 0.0)
    charts.available()
    assert fresh_exporter.wait_restarted(charts.START_TIMEOUT + 5)
    assert spy.starts == 1
    image = client.get(chart_url(client))
    assert image.status_code == 200 and image.content.startswith(b"<svg")
    report = client.get(REPORT)
    assert "sans graphiques" not in pdf_text(report.content)
