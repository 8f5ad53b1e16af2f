import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accounts import schedule
from accounts.schedule import JOBS, Job, due

PARIS = dt.timezone(dt.timedelta(hours=1))
DAILY = next(job for job in JOBS if job.period == "daily")
HOURLY = next(job for job in JOBS if job.period == "hourly")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=PARIS)


def test_every_job_runs_at_start():
    assert all(due(job, None, at(6, 3)) for job in JOBS)


def test_a_daily_job_runs_once_a_day_after_six():
    assert not due(DAILY, at(6, 3), at(6, 5, 59))
    assert due(DAILY, at(6, 3), at(6, 6))
    assert not due(DAILY, at(6, 6), at(6, 23))
    assert not due(DAILY, at(6, 6), at(7, 5))
    assert due(DAILY, at(6, 6), at(7, 6, 1))


def test_an_hourly_job_runs_every_hour():
    assert not due(HOURLY, at(6, 3), at(6, 3, 59))
    assert due(HOURLY, at(6, 3), at(6, 4))


@pytest.mark.django_db
def test_once_runs_every_recurring_job_on_the_real_services():
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert [line.split(" : ")[0] for line in out.getvalue().splitlines()] == [
        job.label for job in JOBS
    ]


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    def broken() -> int:
        raise RuntimeError("serveur de courrier injoignable")

    monkeypatch.setattr(schedule, "JOBS", (Job("x", "travail cassé", "daily", broken), *JOBS))
    monkeypatch.setattr("accounts.management.commands.scheduler.JOBS", schedule.JOBS)
    out, err = StringIO(), StringIO()
    call_command("scheduler", "--once", stdout=out, stderr=err)
    assert (
        "travail cassé : échec (RuntimeError : serveur de courrier injoignable)" in err.getvalue()
    )
    assert len(out.getvalue().splitlines()) == len(JOBS)
