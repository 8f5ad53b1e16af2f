"""What every curation page shares: the admins' role, a version by its slug, a
service's refusal put on a form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from config.roles import Role, role_required
from pratiques.models import GridVersion

admin_required = role_required(Role.NETWORK_ADMIN)


def add_service_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def validation_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def get_version(slug: str) -> GridVersion:
    return get_object_or_404(GridVersion, slug=slug)
