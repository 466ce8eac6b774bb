"""The batch: input files → documents through the stages (``document``), in
worker processes or not (``workers``), added up (``batch``), checked
across documents and written (``run``); problems said on stderr
(``report``)."""
from extract.pipeline.inputs import Input, input_files
from extract.pipeline.report import one_line
from extract.pipeline.run import RunSummary, collect, document_rows, run

__all__ = ["Input", "RunSummary", "collect", "document_rows", "input_files", "one_line", "run"]
