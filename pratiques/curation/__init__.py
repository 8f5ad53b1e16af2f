"""Curation of the grid by network admins: versions, comparison, reference lists, resources."""
