"""The output tables: stage results → rows (``records``), checks across
records (``validate``), table specs (``schemas``), rows → Arrow record
batches (``arrow``), a run's tables spilled as documents finish and read back
in key order (``stream``, ``spill``), their schema checked on Arrow
(``checks``), the data dictionary (``dictionary``), the run record
(``runinfo``), the SQLite database of all tables (``database``, its passages
and views in ``database_views``), the atomic write (``write``) and, back, an
output folder's typed tables (``load``, ``extract.load``). ``frames`` builds
the same tables as pandas frames checked by pandera: the reference the tests
hold the Arrow tables to."""
