"""Reading: a file → a ``Document`` (text or PDF, any encoding; ``ingest``,
``pdf``; two columns set side by side read column by column, ``columns``),
its soft line breaks (``layout``), its format (``detect``), the limits on the
work it may cost (``limits``) and the text helpers the stages share
(``textutil``)."""
