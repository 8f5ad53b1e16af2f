"""Start-up warm-up of the report machinery: which processes start it, and what it prepares."""

from __future__ import annotations

from observatoire.report import warm


def test_servers_and_worker_warm_up() -> None:
    assert warm.wanted(["gunicorn", "config.wsgi"], {})
    assert warm.wanted(["manage.py", "db_worker"], {})
    assert warm.wanted(["manage.py", "runserver", "--noreload"], {})
    # runserver's autoreloader: the serving child only
    assert warm.wanted(["manage.py", "runserver"], {"RUN_MAIN": "true"})
    assert not warm.wanted(["manage.py", "runserver"], {})


def test_other_commands_do_not_pay_for_it() -> None:
    for argv in (["manage.py", "migrate"], ["manage.py", "test"], ["pytest"], ["manage.py"]):
        assert not warm.wanted(argv, {})


def test_environment_forces_or_disables() -> None:
    assert warm.wanted(["manage.py", "migrate"], {"REPORT_WARMUP": "1"})
    assert not warm.wanted(["gunicorn"], {"REPORT_WARMUP": "0"})


def test_warm_prepares_the_pdf_renderer(settings, tmp_path) -> None:
    from observatoire.report import render

    settings.CACHE_DIR = tmp_path
    before = render.stats["renders"]
    render.warm()  # a tiny PDF with the report's stylesheet; not counted as a report
    assert render.stats["renders"] == before
