"""The base of inspiring examples (statuses, search, import)."""
