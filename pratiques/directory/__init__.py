"""The directory of catalysts (opt-in profiles, contact through the platform)."""
