# One way to build. Every target first runs the idempotent set-up in tools/bootstrap.py.
PY ?= python3
VENV_PY = .venv/bin/python

.PHONY: run test setup lint translations po bench perf package clean

run:            ## set up, then open the window on the starter model
	$(PY) tools/bootstrap.py run

test:           ## set up, then run the whole test suite
	$(PY) tools/bootstrap.py test

setup:          ## set up only
	$(PY) tools/bootstrap.py setup

lint:           ## ruff and mypy
	$(VENV_PY) -m ruff check hkpilot tests tools
	$(VENV_PY) -m mypy hkpilot

translations:   ## compile the Qt catalogue (.ts -> .qm)
	$(VENV_PY) tools/qt_translations.py release

po:             ## refresh the core/CLI gettext catalogue from the sources
	$(VENV_PY) tools/po_extract.py

bench:          ## document-layer benchmark (prints figures: pages/s, paragraphs/s, peak memory)
	$(VENV_PY) tools/bench_documents.py

perf:           ## speed against llama.cpp, llama-cpp-python, a bare client and a naive loop (docs/PERFORMANCE.md)
	$(VENV_PY) -m hkpilot bench --quick --json benchmarks/results/quick-$$(date +%Y%m%d-%H%M).json

package:        ## onedir, .deb, MSI, SBOM, notices, policy templates, SHA256SUMS -> dist/ (see docs/DEPLOYMENT.md)
	$(PY) tools/bootstrap.py setup
	$(VENV_PY) tools/package.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache translations/*.qm
