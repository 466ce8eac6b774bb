"""Tools for the people who check the output, not stages: ``diff`` (what a
run changed), ``review`` (every value highlighted in its source), ``evaluate``
(scores against the gold) and ``docs`` (the README's generated parts)."""
