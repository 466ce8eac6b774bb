"""The output tables: stage results → rows (``records``), checks across
records (``validate``), table specs (``schemas``), typed frames (``frames``),
the data dictionary (``dictionary``), the run record (``runinfo``), the
SQLite database of all tables (``database``, its passages and views in
``database_views``) and the atomic write (``write``)."""
