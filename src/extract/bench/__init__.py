"""Tools that measure the pipeline, not stages: the benchmark (``bench``),
its synthetic corpus (``synthetic``), text and PDF variants of a document
(``variants``, ``textpdf``) and the rendering matrix of the brochure
(``renderings``)."""
