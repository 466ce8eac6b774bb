"""``python -m extract``: the ``extract`` command."""
from extract.cli import main

raise SystemExit(main())
