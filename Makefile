# Build the venv, run the pipeline, run the tests.
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: extract test clean diff

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]' -c constraints.txt
	touch $@

extract: $(STAMP)
	$(VENV)/bin/extract run raw --out output

test: $(STAMP)
	$(VENV)/bin/python -m pytest

# Extract raw/ into a fresh folder and compare it with output/ as committed (HEAD).
diff: $(STAMP)
	$(VENV)/bin/extract diff raw

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .hypothesis .output.tmp-*
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

.PHONY: docs
docs: $(STAMP)
	$(VENV)/bin/extract docs README.md
