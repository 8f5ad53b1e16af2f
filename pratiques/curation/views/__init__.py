"""Pages of the network admins under /pratiques/administration/ (and the catalyst's offer to
move a draft to the current version), one module per subject. Every admin page: full page, or
its fragment for HTMX.
"""
