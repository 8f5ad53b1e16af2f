"""The M.E.D.O.C. resources of kind « Exemples » become published examples (databases that have
them already; a new database gets them from ``setup_platform`` through the same service)."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from territoires.text import normalize

    Resource = apps.get_model("pratiques", "Resource")
    Example = apps.get_model("pratiques", "Example")
    ExampleEvent = apps.get_model("pratiques", "ExampleEvent")
    existing = set(Example.objects.values_list("title", flat=True))
    for resource in Resource.objects.filter(kind="exemples").order_by("pk"):
        if resource.title in existing:
            continue
        body = resource.description + (f"\n\nNote : {resource.note}" if resource.note else "")
        summary = resource.description or resource.title
        example = Example.objects.create(
            title=resource.title,
            summary=summary,
            body=body,
            practices=list(resource.attachments.values_list("practice_key", flat=True)),
            source=resource.source,
            source_url=resource.url,
            status="publie",
            published_at=timezone.now(),
            search_text=normalize(f"{resource.title} {summary} {body}"),
        )
        ExampleEvent.objects.create(
            example=example,
            to_status="publie",
            note="Ressource M.E.D.O.C. « Exemples » reprise dans la base d'exemples",
        )


class Migration(migrations.Migration):
    dependencies = [("pratiques", "0009_directory_and_examples")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
