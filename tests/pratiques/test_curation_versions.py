"""Services of the grid's life: copy → edit → publish → archive, and what a published version refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from pratiques.curation.services import (
    element_add,
    element_move,
    element_remove,
    element_update,
    version_copy,
    version_delete,
    version_errors,
    version_publish,
)
from pratiques.models import (
    Axis,
    CurationEvent,
    ElementType,
    GridStatus,
    GridVersion,
    Practice,
    ScaleStep,
    Situation,
)
from tests.pratiques.curation_helpers import copy_current

pytestmark = pytest.mark.django_db


def test_copy_keeps_every_key(nadia) -> None:
    current = GridVersion.objects.get(status=GridStatus.PUBLISHED)
    draft = copy_current(nadia)
    assert draft.status == GridStatus.DRAFT
    for model in (Axis, Situation, Practice):
        old = dict(model.objects.filter(version=current).values_list("key", "code"))
        new = dict(model.objects.filter(version=draft).values_list("key", "code"))
        assert old == new
    assert ScaleStep.objects.filter(version=draft).count() == 11
    event = CurationEvent.objects.get(action="version.copy")
    assert event.actor == nadia and event.version == draft
    assert event.after["copied_from"] == "2024"


def test_only_one_draft_at_a_time(nadia) -> None:
    copy_current(nadia)
    with pytest.raises(ValidationError, match="Un brouillon existe déjà"):
        version_copy(actor=nadia, label="2026")


def test_label_must_be_new(nadia) -> None:
    with pytest.raises(ValidationError, match="existe déjà"):
        version_copy(actor=nadia, label="2024")


def test_rename_keeps_key_and_is_recorded(nadia) -> None:
    draft = copy_current(nadia)
    practice = Practice.objects.get(version=draft, code="1.2")
    key = practice.key
    element_update(actor=nadia, element=practice, changes={"label": "Financer mon ingénierie"})
    practice.refresh_from_db()
    assert (practice.key, practice.label) == (key, "Financer mon ingénierie")
    event = CurationEvent.objects.get(action="practice.update")
    assert event.before["label"] == "Financer l'ingénierie que je porte"
    assert event.after["label"] == "Financer mon ingénierie"
    assert event.actor_name == "Nadia Admin"


def test_add_remove_and_reorder_renumber_contiguously(nadia) -> None:
    draft = copy_current(nadia)
    s1 = Situation.objects.get(version=draft, code="1")
    new = element_add(
        actor=nadia,
        version=draft,
        kind=ElementType.PRACTICE,
        fields={"situation": s1, "label": "Mutualiser les financements"},
    )
    assert new.code == "1.4"
    assert not Practice.objects.filter(key=new.key).exclude(pk=new.pk).exists()
    element_move(actor=nadia, element=new, direction="up")
    new.refresh_from_db()
    assert new.code == "1.3"
    element_remove(actor=nadia, element=Practice.objects.get(version=draft, code="1.1"))
    codes = list(
        Practice.objects.filter(version=draft, situation=s1)
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert codes == ["1.1", "1.2", "1.3"]
    assert version_errors(draft) == []
    actions = set(CurationEvent.objects.values_list("action", flat=True))
    assert {"practice.add", "practice.reorder", "practice.remove"} <= actions


def test_moving_a_situation_to_another_axis_renumbers(nadia) -> None:
    draft = copy_current(nadia)
    s3 = Situation.objects.get(version=draft, code="3")
    axis3 = Axis.objects.get(version=draft, code="3")
    element_update(actor=nadia, element=s3, changes={"axis": axis3})
    s3.refresh_from_db()
    assert s3.code == "8"
    assert (
        Situation.objects.get(version=draft, code="3").title == "Être à l'écoute de son écosystème"
    )
    assert Practice.objects.get(version=draft, code="8.1").label == "Cadrer les projets"
    assert CurationEvent.objects.filter(action="situation.move").exists()
    assert version_errors(draft) == []


def test_publish_lists_every_error_in_french(nadia) -> None:
    draft = copy_current(nadia)
    situation = Situation.objects.get(version=draft, code="2")
    Practice.objects.filter(situation=situation).delete()
    Practice.objects.filter(version=draft, code="5.1").update(label=" ")
    Axis.objects.filter(version=draft, code="2").update(code="9")
    with pytest.raises(ValidationError) as error:
        version_publish(actor=nadia, version=draft)
    messages = error.value.messages
    assert "La situation 2 « Contractualiser » n'a aucune pratique." in messages
    assert "La pratique 5.1 n'a pas de libellé." in messages
    assert any(m.startswith("Les codes des axes ne se suivent pas") for m in messages)
    draft.refresh_from_db()
    assert draft.status == GridStatus.DRAFT
    assert GridVersion.objects.get(slug="2024").status == GridStatus.PUBLISHED


def test_publish_archives_the_previous_version(nadia) -> None:
    draft = copy_current(nadia)
    version_publish(actor=nadia, version=draft)
    draft.refresh_from_db()
    previous = GridVersion.objects.get(slug="2024")
    assert draft.status == GridStatus.PUBLISHED and draft.published_at is not None
    assert previous.status == GridStatus.ARCHIVED and previous.archived_at is not None
    assert set(CurationEvent.objects.values_list("action", flat=True)) >= {
        "version.publish",
        "version.archive",
    }


def test_a_published_version_refuses_every_service(nadia) -> None:
    current = GridVersion.objects.get(slug="2024")
    practice = Practice.objects.filter(version=current).first()
    with pytest.raises(ValidationError, match="ne peut plus changer"):
        element_update(actor=nadia, element=practice, changes={"label": "Autre"})
    with pytest.raises(ValidationError, match="ne peut plus changer"):
        element_remove(actor=nadia, element=practice)
    with pytest.raises(ValidationError, match="ne peut plus changer"):
        element_add(
            actor=nadia,
            version=current,
            kind=ElementType.PRACTICE,
            fields={"situation": practice.situation, "label": "X"},
        )
    with pytest.raises(ValidationError, match="ne peut plus changer"):
        version_publish(actor=nadia, version=current)
    with pytest.raises(ValidationError, match="ne peut plus changer"):
        version_delete(actor=nadia, version=GridVersion.objects.get(slug="2023"))
    practice.refresh_from_db()
    assert practice.label != "Autre"


def raw(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE pratiques_practice SET label = 'Piraté' WHERE code = '1.1' AND version_id = %s",
        "DELETE FROM pratiques_practice WHERE code = '1.1' AND version_id = %s",
        "UPDATE pratiques_situation SET scope_note = '' WHERE code = '2' AND version_id = %s",
        "UPDATE pratiques_axis SET title = 'X' WHERE code = '1' AND version_id = %s",
        "UPDATE pratiques_scalestep SET label = 'X' WHERE value = 0 AND version_id = %s",
        "UPDATE pratiques_gridversion SET notes = 'X' WHERE id = %s",
        "UPDATE pratiques_gridversion SET status = 'draft' WHERE id = %s",
        "DELETE FROM pratiques_gridversion WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql_on_a_published_version(sql: str) -> None:
    current = GridVersion.objects.get(slug="2024")
    with pytest.raises(IntegrityError, match=r"2024.*publiée"):
        raw(sql, [current.pk])


def test_the_database_refuses_inserting_into_an_archived_version() -> None:
    archived = GridVersion.objects.get(slug="2023")
    situation = Situation.objects.filter(version=archived).first()
    with pytest.raises(
        IntegrityError, match=r"2023.*archivée.*une pratique ne peut plus y être ajouté"
    ):
        raw(
            'INSERT INTO pratiques_practice (version_id, key, code, "order", situation_id, label)'
            " VALUES (%s, gen_random_uuid(), '1.9', 9, %s, 'Nouvelle')",
            [archived.pk, situation.pk],
        )


def test_the_database_lets_a_published_version_be_archived_only() -> None:
    current = GridVersion.objects.get(slug="2024")
    raw(
        "UPDATE pratiques_gridversion SET status = 'archived', archived_at = now() WHERE id = %s",
        [current.pk],
    )
    current.refresh_from_db()
    assert current.status == GridStatus.ARCHIVED
    with pytest.raises(IntegrityError, match="archivée"):
        raw("UPDATE pratiques_gridversion SET status = 'published' WHERE id = %s", [current.pk])


def test_the_database_refuses_changes_once_a_draft_is_published(nadia) -> None:
    draft = copy_current(nadia)
    raw(
        "UPDATE pratiques_practice SET label = 'Libre' WHERE code = '1.1' AND version_id = %s",
        [draft.pk],
    )
    version_publish(actor=nadia, version=draft)
    with pytest.raises(IntegrityError, match=r"2025.*publiée"):
        raw(
            "UPDATE pratiques_practice SET label = 'Bloqué' WHERE code = '1.1' AND version_id = %s",
            [draft.pk],
        )


def test_delete_draft(nadia) -> None:
    draft = copy_current(nadia)
    version_delete(actor=nadia, version=draft)
    assert not GridVersion.objects.filter(slug="2025").exists()
    assert CurationEvent.objects.filter(action="version.delete", version=None).exists()


def test_a_version_created_in_a_later_transaction_still_receives_its_elements() -> None:
    """Once a session has used it, the setting listing the versions created in the transaction
    reads '' (not NULL) in later transactions: a new version must still be found in it."""
    raw("SELECT set_config('pratiques.new_grid_versions', '', true)")
    version = GridVersion.objects.create(label="t1", slug="t1", status=GridStatus.ARCHIVED)
    Axis.objects.create(version=version, code="1", title="A", lever="gestion")
    assert Axis.objects.filter(version=version).count() == 1
