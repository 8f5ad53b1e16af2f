"""200 catalysts autosaving their draft + elected officials searching and downloading reports.

Driven by bench/load/run.py (LOAD_PLAN: sessions, assessments, practices; LOAD_ACKS: where every
acknowledged save is written at the end, for the count of lost answers).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, between, events, task

with open(os.environ["LOAD_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
CATALYSTS = itertools.cycle(PLAN["catalysts"])
OFFICIALS = itertools.cycle(PLAN["officials"])
# Per (assessment, practice), in order: [value, acknowledged?] of every save sent.
SAVES: dict[str, list[list]] = {}


def headers(session: dict, htmx: bool = False) -> dict[str, str]:
    # Production cookies are Secure: the client passes them itself over loopback HTTP, and says
    # it came through a TLS proxy (SECURE_PROXY_SSL_HEADER) so that CSRF checks the Origin.
    h = {
        "Cookie": f"sessionid={session['session']}; csrftoken={PLAN['csrf']}",
        "X-CSRFToken": PLAN["csrf"],
        "X-Forwarded-Proto": "https",
        "Origin": PLAN["origin"],
        "Referer": PLAN["origin"] + "/",
    }
    if htmx:
        h["HX-Request"] = "true"
    return h


def random_answer() -> dict:
    if random.random() < 0.08:
        return {"nc": True, "frequency": None, "involvement": None, "carrying": None,
                "develop": random.random() < 0.3, "comment": ""}  # fmt: skip
    frequency = random.choice([0, 1, 2, 3])
    return {
        "nc": False,
        "frequency": frequency,
        "involvement": random.choice([0, 1, 2, 3, None]),
        "carrying": random.choice([1, 2, 3, None]),
        "develop": random.random() < 0.3,
        "comment": random.choice(["", "", "", f"note {random.randint(1, 10**6)} — « essai »"]),
    }


class Catalyst(FastHttpUser):
    fixed_count = int(os.environ.get("LOAD_CATALYSTS", "200"))
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.me = next(CATALYSTS)
        self.client.get(
            f"/pratiques/evaluations/{self.me['assessment']}/",
            headers=headers(self.me),
            name="formulaire (page)",
        )

    @task
    def autosave(self) -> None:
        practice = random.choice(self.me["practices"])
        value = random_answer()
        prefix = f"p{practice}-"
        form = {prefix + "frequency": "nc" if value["nc"] else value["frequency"]}
        if value["involvement"] is not None:
            form[prefix + "involvement"] = value["involvement"]
        if value["carrying"] is not None:
            form[prefix + "carrying"] = value["carrying"]
        if value["develop"]:
            form[prefix + "develop"] = "on"
        form[prefix + "comment"] = value["comment"]
        key = f"{self.me['assessment']}:{practice}"
        entry = [value, False]
        SAVES.setdefault(key, []).append(entry)
        with self.client.post(
            f"/pratiques/evaluations/{self.me['assessment']}/reponses/{practice}/",
            data=form,
            headers=headers(self.me, htmx=True),
            name="enregistrement auto (POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "Enregistré" in response.text:
                entry[1] = True
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class Official(FastHttpUser):
    fixed_count = int(os.environ.get("LOAD_OFFICIALS", "20"))
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        self.me = next(OFFICIALS)

    @task(3)
    def search(self) -> None:
        term = random.choice(PLAN["searches"])
        self.client.get(
            f"/territoires/recherche/?q={term}",
            headers=headers(self.me, htmx=True),
            name="recherche (fragment)",
        )

    @task(2)
    def territory(self) -> None:
        self.client.get(
            random.choice(PLAN["territories"]), headers=headers(self.me), name="fiche territoire"
        )

    @task(1)
    def report(self) -> None:
        with self.client.get(
            random.choice(PLAN["reports"]),
            headers=headers(self.me),
            name="rapport.pdf",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and response.content[:5] == b"%PDF-":
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


@events.quitting.add_listener
def write_saves(environment: object, **kwargs: object) -> None:
    with open(os.environ["LOAD_ACKS"], "w") as out:
        json.dump(SAVES, out)
