# digits: `make train` trains the default network, `make test` runs the tests.
# MNIST is read from $MNIST_DIR when set, else ../shared/mnist when present, else data/mnist.

SWIFT ?= swift
ifeq ($(origin MNIST_DIR), undefined)
  MNIST_DIR := $(if $(wildcard ../shared/mnist/*.gz),$(abspath ../shared/mnist),data/mnist)
endif
export MNIST_DIR

RELEASE := .build/release

# `make` alone lists the targets: a new user's first `make` should not start a release build.
.DEFAULT_GOAL := help

## help: this list: every target with its one-line description (the `## target:` comments)
help:
	@awk '/^## [a-z0-9-]+: / { sub(/^## /, ""); i = index($$0, ": "); printf "  %-15s %s\n", substr($$0, 1, i - 1), substr($$0, i + 2) }' \
	  $(firstword $(MAKEFILE_LIST)) | sed $(foreach v,MODEL PORT MNIST_DIR BUILD_COMMIT,-e 's|$$($(v))|$($(v))|g')

.PHONY: help build build-info test-release-inputs test-readme eval-wild eval-wild-ci eval-drawn eval-drawn-ci reader-model serve test-browser load-test test test-asan data data-ready verify train train-best train-best-100 model evaluate report bench fuzz clean

## build: the release binary .build/release/digits
build: build-info
	$(SWIFT) build -c release --product digits

## test: every unit and end-to-end test (real-data tests run when MNIST_DIR has the files)
test: build-info
	$(SWIFT) build --build-tests
	$(SWIFT) test

## test-readme: run the README's blocks marked <!-- run --> with the debug digits, and the tests of Tests/Readme
# A python block whose packages (numpy, safetensors) are not installed is skipped, and says so.
test-readme: build-info
	$(SWIFT) build --product digits
	python3 -m unittest discover -s Tests/Readme -p 'test_*.py'
	python3 Tests/Readme/run_snippets.py --bin .build/debug

BUILD_COMMIT := Sources/digits/BuildCommit.generated.swift

## build-info: record the git commit for `digits --version` (in $(BUILD_COMMIT), git-ignored)
# Rewritten only when the commit changes, so that an unchanged one costs no rebuild; removed
# outside a git checkout, so that the binary says "commit unknown" rather than a stale one.
build-info:
	@commit=$$(git describe --always --dirty --abbrev=12 --exclude='*' 2>/dev/null); \
	if [ -z "$$commit" ]; then rm -f $(BUILD_COMMIT); exit 0; fi; \
	text=$$(printf '// Written by `make build-info` (git-ignored): the commit `digits --version` reports.\nextension BuildInfo: RecordedCommit { static let recordedCommit = "%s" }' "$$commit"); \
	[ "$$text" = "$$(cat $(BUILD_COMMIT) 2>/dev/null)" ] || printf '%s\n' "$$text" > $(BUILD_COMMIT)

## test-release-inputs: the bad-input corpus and the hostile-file tests through the release binary people run (checked, except the kernels)
test-release-inputs: build
	$(SWIFT) build --build-tests
	DIGITS_BIN=$(CURDIR)/$(RELEASE)/digits $(SWIFT) test --skip-build --filter "Robustness|FIFO|OutputDestination|Divergence|PhotoQuery|CutJPEG|NonDigitQuery|NumberQuery|CSVEdge|HugePicture|HugeCSV"

## test-asan: the same tests under AddressSanitizer (a build of its own in .build-asan)
# Leak checking is off: Foundation's own allocations (e.g. reading an empty file) are reported as leaks.
# (The server and its SwiftNIO stack are left out there: DIGITS_NO_SERVER.)
test-asan:
	DIGITS_NO_SERVER=1 $(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	DIGITS_NO_SERVER=1 ASAN_OPTIONS=detect_leaks=0 DIGITS_BIN=$(CURDIR)/.build-asan/debug/digits $(SWIFT) test --sanitize=address --scratch-path .build-asan

PORT ?= 8080

## serve: build digits-server in release mode and start it on http://127.0.0.1:$(PORT) (Ctrl-C stops it)
serve:
	$(SWIFT) build -c release --product digits-server
	$(RELEASE)/digits-server --port $(PORT)

## test-browser: the drawing page in headless Chromium (Selenium) and the API from outside
# Needs chromium-driver; screenshots go to .build/browser/.
test-browser:
	$(SWIFT) build --product digits-server
	$(SWIFT) build --product digits
	python3 Tests/Browser/page_test.py --server .build/debug/digits-server --digits .build/debug/digits --out .build/browser

## load-test: wrk against the release server, 5 interleaved rounds of 3 s each: prediction and health-check throughput (medians) from one run (reported, not gated)
load-test:
	$(SWIFT) build -c release --product digits-server
	bash Tests/Browser/load_test.sh $(RELEASE)/digits-server

## data: download the MNIST files that are missing or wrong into $(MNIST_DIR), checked by SHA-256
data: build
	$(RELEASE)/digits data fetch --data "$(MNIST_DIR)"

## data-ready: fetch the MNIST files that are missing; a file there that does not verify (another data set?) stops the run, untouched
data-ready: build
	@$(RELEASE)/digits data verify --data "$(MNIST_DIR)" >/dev/null 2>&1 || $(RELEASE)/digits data fetch --missing-only --data "$(MNIST_DIR)"

## verify: check the four MNIST files against their canonical checksums
verify: build
	$(RELEASE)/digits data verify --data "$(MNIST_DIR)"

MODEL := models/digits.safetensors

## train: the main job: train the default 784-100-10 network, print the report, save $(MODEL)
train: build data-ready
	$(RELEASE)/digits train --data "$(MNIST_DIR)" --validation 0 --output $(MODEL)

BEST_100_OPTIONS := --loss cross-entropy --lr 0.015 --augment affine --epochs 300
BEST_OPTIONS := --hidden 800,800 --activation relu --loss cross-entropy --batch-size 64 --momentum 0.9 --lr 0.05 \
	--dropout 0.2 --augment elastic --epochs 150

## train-best: the best MLP found on the validation split (784-800-800-10, relu, dropout, elastic distortions), fit on all 60,000
train-best: build data-ready
	$(RELEASE)/digits train --data "$(MNIST_DIR)" --validation 0 $(BEST_OPTIONS) --output models/digits-best.safetensors

## train-best-100: the best 784-100-10 configuration found on the validation split, fit on all 60,000
train-best-100: build data-ready
	$(RELEASE)/digits train --data "$(MNIST_DIR)" --validation 0 $(BEST_100_OPTIONS) --output models/digits-best-100.safetensors

## model: regenerate the model shipped in Resources/ (the defaults, bit for bit the same file)
model: build
	$(RELEASE)/digits train --data "$(MNIST_DIR)" --validation 0 --output Resources/digits.safetensors --quiet

READER_OPTIONS := --hidden 800,800 --activation relu --loss cross-entropy --batch-size 64 --momentum 0.9 --lr 0.05 --dropout 0.2 \
	--epochs 60 --augment reader --deskew --validation 10000 --non-digits 10000 --drawn-digits 10000
READER_NOTE := out-of-MNIST set (Tests/Wild, seed 2024, make eval-wild) when chosen: 98.64% of 1,250 digit pictures, 98.88% of their CSV lines, picture/CSV agreement 99.12%, ECE 1.41%, 25 of its 30 non-digit pictures answered not a digit

## reader-model: regenerate the reader model shipped in Resources/ (what query and the server read with; chosen on the validation split and the out-of-MNIST set), the same file bit for bit
READER_OUTPUT ?= Resources/reader.safetensors
reader-model: build
	$(RELEASE)/digits train --data "$(MNIST_DIR)" $(READER_OPTIONS) --threads 2 --note "$(READER_NOTE)" --output $(READER_OUTPUT) --quiet

## evaluate: the accuracy report of $(MODEL) on the test set
evaluate: build
	$(RELEASE)/digits evaluate --data "$(MNIST_DIR)" --model $(MODEL)

## report: the HTML training report of $(MODEL) (models/report.html, figures as PNG in models/figures/)
report: build
	$(RELEASE)/digits report --data "$(MNIST_DIR)" --model $(MODEL) --output models/report.html --png models/figures

WILD := .build/wild

## eval-wild: `digits query` on the out-of-MNIST set (Tests/Wild, ~1,250 digits as PNG, JPEG and CSV, made by a script): accuracy by source and encoding, PNG/CSV agreement, calibration
eval-wild: build
	bash Tests/Wild/install.sh
	python3 Tests/Wild/make_set.py --out $(WILD)
	python3 Tests/Wild/eval_wild.py --digits $(RELEASE)/digits --set $(WILD) --json $(WILD)/report.json

## eval-wild-ci: the same on a tenth of the set (every tenth writer), as CI runs it
eval-wild-ci: build
	bash Tests/Wild/install.sh
	python3 Tests/Wild/make_set.py --out $(WILD)-ci --slice 10
	python3 Tests/Wild/eval_wild.py --digits $(RELEASE)/digits --set $(WILD)-ci --json $(WILD)-ci/report.json

## eval-drawn: digits drawn on the page with real pointer input (headless Chromium), read by the page: accuracy by source, digit and size (300 drawings, ~8 min; WRITERS=n per source)
WRITERS ?= 15
eval-drawn:
	$(SWIFT) build -c release --product digits-server
	bash Tests/Wild/install.sh
	python3 Tests/Browser/drawn_eval.py --server $(RELEASE)/digits-server --writers $(WRITERS) --out .build/drawn --json .build/drawn/report.json

## eval-drawn-ci: the same for 40 drawings (2 writers per source) with the debug server make test built, as CI runs it (reported, not gated)
eval-drawn-ci:
	$(SWIFT) build --product digits-server
	bash Tests/Wild/install.sh
	python3 Tests/Browser/drawn_eval.py --server .build/debug/digits-server --writers 2 --out .build/drawn-ci --json .build/drawn-ci/report.json

## bench: medians and ratios against peers measured in the same run
bench:
	$(SWIFT) build -c release --product digits
	$(SWIFT) build -c release --product DigitsBenchmarks
	$(RELEASE)/DigitsBenchmarks "$(MNIST_DIR)"
	python3 Tests/Benchmarks/deep_bench.py $(RELEASE)/digits "$(MNIST_DIR)"

FUZZ_SECONDS ?= 600
FUZZERS := FuzzIDX FuzzCSV FuzzPNG FuzzJPEG FuzzModel
# The release configuration, as people run it (DigitsKit checked; only DigitsKernels unchecked),
# with libFuzzer and AddressSanitizer.
FUZZ_BUILD := DIGITS_FUZZ=1 $(SWIFT) build -c release --scratch-path .build-fuzz --sanitize fuzzer --sanitize address \
	-Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
FUZZ_GROUPS ?= "FuzzIDX FuzzCSV" "FuzzPNG FuzzJPEG" "FuzzModel"

## fuzz: libFuzzer + AddressSanitizer on the IDX, CSV, PNG, JPEG and model readers in the release configuration, FUZZ_SECONDS each, two at a time
fuzz:
	for f in $(FUZZERS); do $(FUZZ_BUILD) --product $$f || exit 1; done
	python3 Tests/Fuzz/seeds.py .build-fuzz/seeds
	mkdir -p .build-fuzz/crashes
	@for group in $(FUZZ_GROUPS); do \
	  for f in $$group; do \
	    kind=$${f#Fuzz}; mkdir -p .build-fuzz/corpus/$$kind; \
	    .build-fuzz/release/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=4096 -timeout=10 \
	      -artifact_prefix=.build-fuzz/crashes/$$kind- .build-fuzz/corpus/$$kind .build-fuzz/seeds/$$kind \
	      > .build-fuzz/$$f.log 2>&1 & \
	  done; wait; \
	done
	@for f in $(FUZZERS); do echo "$$f: $$(grep -E '^#[0-9]+.*DONE' .build-fuzz/$$f.log | tail -1)"; done
	@ls .build-fuzz/crashes; test -z "$$(ls .build-fuzz/crashes)" && echo "no crashes"

## clean: remove the build folder .build
clean:
	rm -rf .build
