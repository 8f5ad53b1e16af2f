from __future__ import annotations

from accounts.legal.models import LegalPage, LegalText

__all__ = ["LegalPage", "LegalText"]
