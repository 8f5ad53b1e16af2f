"""One way for a service to refuse an action: raise a ``Refused`` (or one of its named subclasses).

A refusal carries a stable ``code`` (for tests and logs, never shown) and a French message (for
people). It is a ``ValidationError``, so a view puts it on its form as it is
(``form.add_error(None, refusal)``, field messages included); forms still raise plain
``ValidationError`` for their own validation. An import refusal also lists its ``problems``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A business rule refuses the action; nothing was written."""

    default_code = "refused"
    default_message = "Cette action n'est pas possible."

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        problems: Sequence[Any] = (),
    ) -> None:
        """``message``: a French text, or ``{field: text}`` to land on a form's fields."""
        code = code or self.default_code
        super().__init__(self.default_message if message is None else message, code, params)
        self.code = code
        self.problems = list(problems)

    @property
    def text(self) -> str:
        """The French message(s), formatted, on one line."""
        return " ".join(str(message) for message in self.messages)

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take other arguments than ``args``: pickle the state, not the call.
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[Refused], args: tuple[Any, ...]) -> Refused:
    refusal = Exception.__new__(cls)
    refusal.args = args
    return refusal


def full_clean_or_refuse(instance: Any, *, code: str, **options: Any) -> None:
    """`instance.full_clean(**options)`, its errors raised as a `Refused` (fields kept): a service
    validates a model the one way views expect to catch."""
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        message = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise Refused(message, code=code) from error
