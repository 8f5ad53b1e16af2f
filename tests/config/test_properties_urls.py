"""Property-based: every URL pattern of the platform, with arbitrary path segments,
query parameters and form fields, as anonymous and as each role, never answers a 5xx.

Hypothesis draws the requests; a deterministic sweep first sends each pattern the nastiest values
found by hand (NUL, over-long, huge numbers) so that every pattern is covered on every run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pratiques.models import Practice, Resource
from territoires.models import Level
from territoires.services import project_create
from tests.pratiques.curation_helpers import copy_current
from tests.pratiques.helpers import current_practices, start

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Rendering these for a real object takes seconds (PDF); arbitrary values still reach them.
SLOW = {"territory_report", "assessment_pdf"}
# Posting these would log the test client out or change its password.
NO_POST = {"logout", "password_change"}
NASTY = ["94080%00", "a" * 300, "99999999999999999999"]
# Who gets the nasty values: the roles that pass the access checks of most views.
NASTY_ROLES = {"nadia", "alice"}
FIELD_NAMES = [
    "name",
    "description",
    "kind",
    "code",
    "label",
    "title",
    "q",
    "level",
    "member",
    "confirm",
    "year",
    "version",
    "de",
    "a",
    "page",
    "territory",
    "organisation_name",
    "join_code",
    "comment",
    "note",
    "consent_statistics",
    "share_with_organisation",
    "username",
    "password",
    "email",
    "ecosystem",
    "pivots",
    "skills",
    "fragility",
    "source",
    "direction",
    "position",
    "parent",
    "url",
]


@dataclass
class Route:
    name: str
    route: str
    parameters: list[tuple[str, str]]  # (converter, name)


def routes() -> list[Route]:
    def walk(patterns: list[Any], prefix: str) -> list[Route]:
        found: list[Route] = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                route = prefix + str(pattern.pattern)
                parameters = [
                    (match["converter"] or "str", match["name"])
                    for match in PARAMETER.finditer(route)
                ]
                found.append(Route(pattern.name or "", route, parameters))
        return found

    return walk(get_resolver().url_patterns, "/")


ROUTES = [route for route in routes() if not route.route.startswith("/admin/")]
ADMIN_ROUTES = [route for route in routes() if route.route.startswith("/admin/")]


def build(route: Route, values: dict[str, str]) -> str:
    return PARAMETER.sub(lambda match: values[match["name"]], route.route)


@pytest.fixture
def world(geo: Any, nadia: User, alice: User, elise: User) -> dict[str, Any]:
    """Real objects, so that drawn requests also reach the views behind the 404s."""
    assessment = start(alice, geo.vincennes)
    draft = copy_current(nadia)
    project = project_create(name="Pays test", members=[geo.grand_paris], user=nadia)
    practice = current_practices()[0]
    draft_practice = Practice.objects.filter(version=draft).select_related("situation").first()
    resource = Resource.objects.order_by("pk").first()
    real: dict[str, list[str]] = {
        "level": [level.value for level in Level],
        "code": ["94080", "200054781", "94", "11", "FR", project.code],
        "space": ["catalyseur", "administration", "elu"],
        "pk": [
            str(assessment.pk),
            str(resource.pk if resource else 1),
            str(draft_practice.pk),
            str(draft_practice.situation.pk),
            str(draft_practice.situation.axis_id),
            "1",
        ],
        "practice_pk": [str(practice.pk)],
        "member_id": [str(geo.grand_paris.pk)],
        "slug": [draft.slug, "2024", "2023"],
        "version": ["2024", "2023"],
        "kind": [
            "axe",
            "situation",
            "pratique",
            "echelon",
            "maturite",
            "critere",
            "segment",
            "acteur",
        ],
        "batch_id": ["0" * 32],
        "uidb64": ["MQ"],
        "token": ["abc-def"],
    }
    clients = {"anonyme": Client(raise_request_exception=False)}
    for user in (nadia, alice, elise):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[user.username] = client
    fields = FIELD_NAMES + [
        f"p{practice.pk}-{name}"
        for name in ("frequency", "involvement", "carrying", "develop", "comment")
    ]
    return {"real": real, "clients": clients, "fields": fields}


def send(client: Client, method: str, path: str, query: dict[str, str], form: dict) -> int:
    url = path + ("?" + urlencode(query) if query else "")
    response = client.get(url) if method == "GET" else client.post(url, form)
    return response.status_code


def test_every_pattern_with_nasty_values_as_every_role(world: dict[str, Any]) -> None:
    failures = []
    long_form = {field: "é" * 5_000 for field in world["fields"]}
    for route in ROUTES:
        real = {name: world["real"].get(name, ["x"])[0] for _, name in route.parameters}
        if route.name in SLOW:
            real = {name: "zz" for name in real}
        post = [] if route.name in NO_POST else [("POST", long_form)]
        for role, client in world["clients"].items():
            attempts = [(real, {"q": "\x00"}, [("GET", {})]), (real, {}, [("GET", {}), *post])]
            if role in NASTY_ROLES:
                attempts += [({name: value for name in real}, {}, [("GET", {})]) for value in NASTY]
            for values, query, requests in attempts:
                path = build(route, values)
                for method, form in requests:
                    status = send(client, method, path, query, form)
                    if status >= 500:
                        failures.append((role, method, path[:120], query, status))
    assert failures == []


def segment(converter: str, name: str, real: dict[str, list[str]]) -> st.SearchStrategy[str]:
    drawn = st.text(min_size=0, max_size=40).map(lambda text: quote(text, safe=""))
    if converter == "int":
        drawn = st.integers(min_value=0, max_value=10**20).map(str)
    return st.one_of(st.sampled_from(real.get(name, ["x"])), drawn)


@st.composite
def requests(draw: Any, world: dict[str, Any]) -> tuple[str, str, str, dict, dict, str]:
    route = draw(st.sampled_from(ROUTES + ADMIN_ROUTES[:10]))
    values = {}
    for converter, name in route.parameters:
        if route.name in SLOW:
            values[name] = draw(st.text(min_size=1, max_size=30).map(lambda t: quote(t, safe="")))
        else:
            values[name] = draw(segment(converter, name, world["real"]))
    keys = st.one_of(st.sampled_from(world["fields"]), st.text(max_size=20))
    query = draw(st.dictionaries(keys, st.text(max_size=200), max_size=4))
    form = draw(st.dictionaries(keys, st.text(max_size=300), max_size=8))
    methods = ["GET"] if route.name in NO_POST else ["GET", "POST"]
    method = draw(st.sampled_from(methods))
    role = draw(st.sampled_from(sorted(world["clients"])))
    return route.name, method, build(route, values), query, form, role


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_request_gets_an_answer_below_500(world: dict[str, Any], data: Any) -> None:
    name, method, path, query, form, role = data.draw(requests(world))
    status = send(world["clients"][role], method, path, query, form)
    assert status < 500, (name, method, path, query, form, role)


def test_the_sweep_covers_every_pattern() -> None:
    names = {route.name for route in ROUTES}
    assert {"detail", "answer_save", "history", "report_batch_progress", "import_upload"} <= names
    assert len(ROUTES) >= 70
