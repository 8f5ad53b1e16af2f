"""Property-based: every form of the platform, posted to its own view with arbitrary
values for its own fields (text of any length, NUL, choices, real and unknown ids, any file),
answers below 500 and, when it refuses, re-displays with a message.

A form re-displayed with errors answers 400 (or 409 for a refusal, or a redirect with
a message), never 200."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.context import Context
from django.test import Client
from django.test.utils import ContextList
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import forms as accounts_forms
from config.roles import Role
from observatoire import forms as observatoire_forms
from observatoire.report.views import BatchForm
from pratiques import forms as pratiques_forms
from pratiques.campaigns import forms as campaign_forms
from pratiques.curation import forms as curation_forms
from pratiques.models import Axis, Practice, Resource, ScaleStep, Situation
from territoires import forms as territoires_forms
from territoires.models import (
    ActorProfile,
    Fragility,
    FragilityCriterion,
    MaturityProfile,
    SizeSegment,
)
from territoires.services import project_create
from tests.conftest import make_user
from tests.pratiques.campaign_helpers import make_campaign
from tests.pratiques.curation_helpers import copy_current
from tests.pratiques.helpers import start

pytestmark = pytest.mark.django_db

PENDING_200_MODULES: tuple[str, ...] = ()


@dataclass
class Target:
    form: type[forms.BaseForm]
    url: str
    user: str  # "nadia", "alice", "bob", "elise" or "anonyme"
    prefix: str = ""
    extra: dict[str, str] | None = None
    method: str = "POST"


def targets(world: dict[str, Any]) -> list[Target]:
    draft, project = world["draft"], world["project"]
    version = f"/pratiques/administration/versions/{draft.slug}"
    admin = "/pratiques/administration"
    first = world["first"]
    found = [
        Target(territoires_forms.ProjectCreateForm, "/territoires/projet/nouveau/", "nadia"),
        Target(
            territoires_forms.ProjectUpdateForm,
            f"/territoires/projet/{project.code}/modifier/",
            "nadia",
        ),
        Target(
            territoires_forms.ProjectMemberForm,
            f"/territoires/projet/{project.code}/membres/ajouter/",
            "nadia",
        ),
        Target(
            territoires_forms.MaturityAssessmentForm,
            "/territoires/commune/94080/maturite/",
            "nadia",
        ),
        Target(
            territoires_forms.FragilityReadingForm,
            "/territoires/commune/94080/fragilites/",
            "nadia",
        ),
        Target(pratiques_forms.StartForm, "/pratiques/evaluations/nouvelle/", "bob"),
        Target(
            pratiques_forms.PreferencesForm,
            f"/pratiques/evaluations/{world['assessment'].pk}/valider/",
            "alice",
        ),
        Target(pratiques_forms.JoinForm, "/pratiques/organisations/rejoindre/", "alice"),
        Target(curation_forms.VersionNewForm, f"{admin}/versions/nouvelle/", "nadia"),
        Target(curation_forms.VersionNotesForm, f"{version}/notes/", "nadia"),
        Target(curation_forms.AxisForm, f"{version}/axe/{first['axe']}/modifier/", "nadia"),
        Target(curation_forms.AxisForm, f"{version}/axe/ajouter/", "nadia"),
        Target(
            curation_forms.SituationForm,
            f"{version}/situation/{first['situation']}/modifier/",
            "nadia",
        ),
        Target(curation_forms.SituationForm, f"{version}/situation/ajouter/", "nadia"),
        Target(
            curation_forms.PracticeForm,
            f"{version}/pratique/{first['pratique']}/modifier/",
            "nadia",
        ),
        Target(curation_forms.PracticeForm, f"{version}/pratique/ajouter/", "nadia"),
        Target(
            curation_forms.ScaleStepForm, f"{version}/echelon/{first['echelon']}/modifier/", "nadia"
        ),
        Target(curation_forms.LineageForm, f"{version}/filiations/", "nadia"),
        Target(curation_forms.ResourceForm, f"{admin}/ressources/nouvelle/", "nadia"),
        Target(
            curation_forms.ResourceForm,
            f"{admin}/ressources/{first['resource']}/modifier/",
            "nadia",
        ),
        Target(
            curation_forms.AttachForm, f"{admin}/ressources/{first['resource']}/rattacher/", "nadia"
        ),
        Target(
            observatoire_forms.CatalogueUploadForm,
            "/observatoire/imports/",
            "nadia",
            "catalogue",
            {"kind": "catalogue"},
        ),
        Target(
            observatoire_forms.ValuesUploadForm,
            "/observatoire/imports/",
            "nadia",
            "valeurs",
            {"kind": "valeurs"},
        ),
        Target(BatchForm, "/observatoire/rapports/", "nadia"),
        Target(curation_forms.CompareForm, f"{admin}/comparer/", "nadia", method="GET"),
        Target(accounts_forms.LoginForm, "/comptes/login/", "anonyme"),
        Target(auth_forms.PasswordResetForm, "/comptes/password_reset/", "anonyme"),
        Target(auth_forms.SetPasswordForm, "/comptes/reset/MQ/abc-def/", "anonyme"),
        Target(
            observatoire_forms.CatalogueFilterForm,
            "/observatoire/indicateurs/",
            "anonyme",
            method="GET",
        ),
        Target(
            observatoire_forms.ImportRunFilterForm, "/observatoire/imports/", "nadia", method="GET"
        ),
        Target(territoires_forms.MandateForm, "/territoires/mandats/declarer/", "elise"),
        Target(accounts_forms.SignupForm, "/comptes/inscription/", "anonyme"),
        Target(accounts_forms.SignupConfirmForm, "/comptes/inscription/confirmer/abc/", "anonyme"),
        Target(accounts_forms.SignupResendForm, "/comptes/inscription/renvoyer/", "anonyme"),
        Target(accounts_forms.InvitationAcceptForm, "/comptes/invitation/abc-def/", "anonyme"),
        Target(accounts_forms.InviteForm, "/comptes/personnes/inviter/", "nadia"),
        Target(accounts_forms.RolesForm, f"/comptes/personnes/{world['alice']}/roles/", "nadia"),
        Target(accounts_forms.DeleteAccountForm, "/comptes/supprimer-mon-compte/", "bob"),
        Target(campaign_forms.CampaignForm, "/pratiques/campagnes/nouvelle/", "nadia"),
        Target(
            campaign_forms.PopulationForm,
            f"/pratiques/campagnes/{world['campaign']}/population/",
            "nadia",
        ),
        Target(
            campaign_forms.SelfRegisterForm,
            f"/pratiques/campagnes/participer/{world['campaign_code']}/",
            "bob",
        ),
    ]
    for kind, (_model, form_class) in territoires_forms.REFERENCE_FORMS.items():
        found.append(Target(form_class, f"{admin}/listes/{kind}/{first[kind]}/modifier/", "nadia"))
    return found


@pytest.fixture
def world(geo: Any, nadia: User, alice: User, elise: User) -> dict[str, Any]:
    bob = make_user("bob", None)
    from django.contrib.auth.models import Group

    bob.groups.add(Group.objects.get(name=Role.CATALYST.value))
    draft = copy_current(nadia)
    campaign = make_campaign()
    world: dict[str, Any] = {
        "alice": alice.pk,
        "campaign": campaign.pk,
        "campaign_code": getattr(campaign, "open_code", "") or "inconnu",
        "draft": draft,
        "project": project_create(name="Pays test", members=[geo.grand_paris], user=nadia),
        "assessment": start(alice, geo.vincennes),
        "first": {
            "axe": Axis.objects.filter(version=draft).first().pk,
            "situation": Situation.objects.filter(version=draft).first().pk,
            "pratique": Practice.objects.filter(version=draft).first().pk,
            "echelon": ScaleStep.objects.filter(version=draft).first().pk,
            "resource": Resource.objects.first().pk if Resource.objects.exists() else 1,
            "maturite": MaturityProfile.objects.first().pk,
            "critere": FragilityCriterion.objects.first().pk,
            "fragilite": Fragility.objects.first().pk,
            "segment": SizeSegment.objects.first().pk,
            "acteur": ActorProfile.objects.first().pk,
        },
    }
    clients = {"anonyme": Client(raise_request_exception=False)}
    for user in (nadia, alice, bob, elise):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[user.username] = client
    world["clients"] = clients
    world["targets"] = targets(world)
    # Values a field may take: its choices, real ids of its queryset, or anything.
    world["choices"] = {
        (index, name): field_choices(field)
        for index, target in enumerate(world["targets"])
        for name, field in target.form.base_fields.items()
    }
    return world


def field_choices(field: forms.Field) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        return [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:5]]
    if isinstance(field, forms.ChoiceField):
        return [str(value) for value, _label in list(field.choices)[:10]]
    if isinstance(field, forms.BooleanField):
        return ["on", "", "1"]
    if isinstance(field, forms.DateField):
        return ["2024-02-29", "31/12/2023", "0000-00-00", "9999-99-99"]
    if isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        return ["0", "-1", "2024", "1e400", "nan", "99999999999999999999999"]
    return []


any_text = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=0, max_value=6_000).map(lambda n: "x" * n),
    st.sampled_from(["", " ", "\x00", "é" * 300, "=1+1", "<script>", "94080", "  2A004 "]),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_form_answers_any_data_below_500(world: dict[str, Any], data: Any) -> None:
    index = data.draw(st.sampled_from(range(len(world["targets"]))))
    target = world["targets"][index]
    payload: dict[str, Any] = dict(target.extra or {})
    for name, field in target.form.base_fields.items():
        key = f"{target.prefix}-{name}" if target.prefix else name
        if isinstance(field, forms.FileField):
            content = data.draw(st.binary(max_size=2_000))
            file_name = data.draw(st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f.exe", ""]))
            payload[key] = SimpleUploadedFile(file_name or "x", content)
            continue
        choices = world["choices"][(index, name)]
        value = data.draw(st.one_of(st.sampled_from(choices), any_text) if choices else any_text)
        if isinstance(field, forms.MultipleChoiceField):
            payload[key] = [
                value,
                *data.draw(st.lists(st.sampled_from(choices or ["1"]), max_size=3)),
            ]
        elif data.draw(st.booleans()) or field.required:
            payload[key] = value
    client = world["clients"][target.user]
    if target.method == "GET":
        response = client.get(target.url, payload)
    else:
        response = client.post(target.url, payload)
    assert response.status_code < 500, (target.url, payload)
    if response.status_code == 400 and "\x00" not in str(payload):
        assert response.content, target.url
    assert_not_200_with_errors(target, response)


def forms_with_errors(response: Any) -> list[forms.BaseForm]:
    """The bound forms the response's templates received that carry errors."""
    contexts = response.context
    if contexts is None:
        return []
    if not isinstance(contexts, ContextList):
        contexts = [contexts]
    found = []
    for context in contexts:
        layers = context.dicts if isinstance(context, Context) else [context]
        for layer in layers:
            for value in layer.values():
                if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
                    found.append(value)
    return found


def is_pending(target: Target) -> bool:
    module = resolve(target.url.split("?")[0]).func.__module__
    return any(module == m or module.startswith(m + ".") for m in PENDING_200_MODULES)


def assert_not_200_with_errors(target: Target, response: Any) -> None:
    if response.status_code != 200 or is_pending(target):
        return
    invalid = forms_with_errors(response)
    assert not invalid, (target.url, "re-displayed with errors and 200", invalid[0].errors)


def test_an_empty_or_wrong_post_answers_400_never_200_with_errors(world: dict[str, Any]) -> None:
    """Every target once, deterministically: nothing, then a value no field accepts."""
    refused = 0
    for target in world["targets"]:
        client = world["clients"][target.user]
        send = client.get if target.method == "GET" else client.post
        for value in ("", "\u2603" * 300):
            payload: dict[str, Any] = dict(target.extra or {})
            for name in target.form.base_fields:
                payload[f"{target.prefix}-{name}" if target.prefix else name] = value
            response = send(target.url, payload)
            assert response.status_code < 500, (target.url, payload)
            assert_not_200_with_errors(target, response)
            refused += bool(forms_with_errors(response))
    assert refused > len(world["targets"])  # the check above does see re-displayed forms


def test_every_platform_form_is_targeted(world: dict[str, Any]) -> None:
    """A new form class must be added to the targets above."""
    modules = [
        territoires_forms,
        pratiques_forms,
        curation_forms,
        observatoire_forms,
        accounts_forms,
        campaign_forms,
    ]
    declared = {
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
        and not value.__name__.startswith("_")  # a private base, posted through its subclasses
        and value is not pratiques_forms.ContextForm  # shared base of StartForm, SelfRegisterForm
    }
    assert declared <= {target.form for target in world["targets"]}
