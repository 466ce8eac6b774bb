"""Reading: a file → a ``Document`` (text or PDF, any encoding; ``ingest``,
``pdf``), its soft line breaks (``layout``), its format (``detect``), the
limits on the work it may cost (``limits``) and the text helpers the stages
share (``textutil``)."""
