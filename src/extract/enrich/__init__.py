"""Enrichment of the extracted rows: theme tags (``themes``), dated facts
(``events``) and each city's closest partners (``partners``)."""
