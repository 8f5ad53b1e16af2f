"""Reading, checking and loading the files of the Observatoire (catalogue and values).

``reading``: bytes → table (encoding, separator, CSV or XLSX); ``values`` and ``catalogue``: a
table → rows to load plus the list of every problem; ``loading``: PostgreSQL COPY and set-based apply.
"""
