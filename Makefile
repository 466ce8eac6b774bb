# Build the venv, run the pipeline, run the tests.
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: extract test test-fast renderings clean diff review review-screenshot eval bench serve serve-screenshot

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]' -c constraints.txt
	touch $@

# The package's modules compiled to bytecode first (an editable install has none, and
# with PYTHONDONTWRITEBYTECODE set every run would compile them again).
extract: $(STAMP)
	$(VENV)/bin/python -m compileall -q src >/dev/null
	$(VENV)/bin/extract run raw --out output

# Lint, then every test (the rendering matrix needs Debian's poppler-utils and
# DejaVu fonts: installed here when missing and root; skipped with a reason otherwise).
# `make test-fast` leaves out the tests marked slow.
test: $(STAMP)
	sh scripts/install-system-deps.sh || echo "make test: system packages missing; their tests are skipped"
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/pytest

test-fast: $(STAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/pytest -m "not slow"

# Extract raw/ into a fresh folder and compare it with output/ as committed (HEAD).
diff: $(STAMP)
	$(VENV)/bin/extract diff raw

# Precision, recall and F1 of output/ against the gold of tests/gold/ (report in reports/eval.md).
eval: $(STAMP)
	$(VENV)/bin/extract eval --out output --gold tests/gold --report reports/eval.md

# Every rendering of the brochure scored against the gold; rewrites tests/renderings_expected.yaml and README's table.
renderings: $(STAMP)
	$(VENV)/bin/python -m extract.bench.renderings --write-expected tests/renderings_expected.yaml --readme README.md

# Portraits per second, peak memory, seconds per stage, against spaCy's tokenizer (takes minutes).
bench: $(STAMP)
	$(VENV)/bin/python -m compileall -q src >/dev/null
	$(VENV)/bin/extract bench

# The static HTML review of output/: open reports/review/index.html in a browser.
review: $(STAMP)
	$(VENV)/bin/extract review --out output --dest reports/review

# One city's review page drawn by headless Chromium (Debian's package, installed if missing).
CITY ?= marcovia-hnd
review-screenshot: $(STAMP)
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium fonts-dejavu-core)
	$(VENV)/bin/extract review --out output --dest reports/review --screenshot reports/review-city.png --city $(CITY)

# Datasette on a freshly extracted output/extract.db, on this machine only (http://127.0.0.1:8001/).
# Installs the `serve` extra (Datasette) into the venv first.
SERVE_STAMP := $(VENV)/.installed-serve
PORT ?= 8001
$(SERVE_STAMP): $(STAMP)
	$(VENV)/bin/python -m pip install --quiet -e '.[serve]' -c constraints.txt
	touch $@

serve: $(SERVE_STAMP) extract
	$(VENV)/bin/extract serve --out output --host 127.0.0.1 --port $(PORT)

# One page of it drawn by headless Chromium (Debian's package, installed if missing) for the README.
PAGE ?= extract/closest_partners?city_id=kaunas-ltu
serve-screenshot: $(SERVE_STAMP) extract
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium fonts-dejavu-core)
	$(VENV)/bin/extract serve --out output --screenshot docs/serve-closest-partners.png --page '$(PAGE)'

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .hypothesis .ruff_cache .cache .output.tmp-* reports/review
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

.PHONY: docs
docs: $(STAMP)
	$(VENV)/bin/extract docs README.md
