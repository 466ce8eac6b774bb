"""Challenge pages: a ``Document`` → one ``ChallengePage`` (``page``)."""
