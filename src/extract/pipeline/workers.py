"""The documents of a batch extracted one after another, or in worker
processes (forkserver) when a run has several: each document's
``DocumentOutput`` (its rows as Arrow record batches and small summaries, no
Python row or portrait objects), in input order."""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from extract.pipeline.document import one_document
from extract.pipeline.inputs import Input
from extract.pipeline.output import DocumentOutput, batch_to_output
from extract.read.limits import Limits
from extract.rules import Rules


class _Worker:
    """What a worker process keeps from its start: the rules and limits, sent
    once (the rules hold a spaCy pipeline, too big to send with every document)."""

    rules: Rules | None = None
    limits: Limits = Limits()


def _start_worker(rules: Rules, limits: Limits) -> None:
    _Worker.rules, _Worker.limits = rules, limits


def document_output(item: Input, rules: Rules, limits: Limits) -> DocumentOutput:
    """One document through the stages → what the run keeps of it."""
    batch, portraits = one_document(item, rules, limits)
    return batch_to_output(item.document_id, batch, portraits, rules)


def _worker_document(item: Input) -> DocumentOutput:
    assert _Worker.rules is not None
    return document_output(item, _Worker.rules, _Worker.limits)


def documents(items: list[Input], rules: Rules, limits: Limits, workers: int) -> Iterator[DocumentOutput]:
    """``document_output`` of each item, in the items' order, over ``workers``
    processes (forked from a server process started before any thread)."""
    if workers <= 1 or len(items) < 2:
        yield from (document_output(item, rules, limits) for item in items)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(min(workers, len(items)), mp_context=context, initializer=_start_worker,
                             initargs=(rules, limits)) as pool:
        yield from pool.map(_worker_document, items, chunksize=4)
