"""The output tables: stage results → rows (``records``), checks across
records (``validate``), table specs (``schemas``), typed frames (``frames``),
the data dictionary (``dictionary``), the run record (``runinfo``), the
SQLite database of all tables (``database``, its passages and views in
``database_views``), the atomic write (``write``) and, back, an output
folder's typed tables (``load``, ``extract.load``)."""
