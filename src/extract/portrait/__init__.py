"""Portraits: a ``Document`` → portraits (``segment``, ``profile``), each tied
to its city (``identify``) and read into records (``extract``: the indicator
table, quotes, sections, list entries, contacts)."""
