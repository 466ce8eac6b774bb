"""The output tables: stage results → rows (``records``), checks across
records (``validate``), table specs (``schemas``), typed frames (``frames``),
the data dictionary (``dictionary``), the run record (``runinfo``) and the
atomic write (``write``)."""
