"""The read-only open-data API (``/api/v1/``), built with django-ninja (see docs/donnees-ouvertes.md)."""
