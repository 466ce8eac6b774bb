"""``python -m extract.bench.renderings``: the matrix table."""
from extract.bench.renderings.score import main

raise SystemExit(main())
