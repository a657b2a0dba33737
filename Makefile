# digits: `make train` trains the default network, `make test` runs the tests.
# MNIST is read from $MNIST_DIR when set, else ../shared/mnist when present, else data/mnist.

SWIFT ?= swift
ifeq ($(origin MNIST_DIR), undefined)
  MNIST_DIR := $(if $(wildcard ../shared/mnist/*.gz),$(abspath ../shared/mnist),data/mnist)
endif
export MNIST_DIR

RELEASE := .build/release

.PHONY: build test data verify train model evaluate bench clean

## build: the release binary .build/release/digits
build:
	$(SWIFT) build -c release --product digits

## test: every unit and end-to-end test (real-data tests run when MNIST_DIR has the files)
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test

## data: download the MNIST files that are missing or wrong into $(MNIST_DIR), checked by SHA-256
data: build
	$(RELEASE)/digits data fetch --data "$(MNIST_DIR)"

## verify: check the four MNIST files against their canonical checksums
verify: build
	$(RELEASE)/digits data verify --data "$(MNIST_DIR)"

MODEL := models/digits.safetensors

## train: the main job: train the default 784-100-10 network, print the report, save $(MODEL)
train: build
	@$(RELEASE)/digits data verify --data "$(MNIST_DIR)" >/dev/null 2>&1 || $(RELEASE)/digits data fetch --data "$(MNIST_DIR)"
	$(RELEASE)/digits train --data "$(MNIST_DIR)" --output $(MODEL)

## model: regenerate the model shipped in Resources/ (the defaults, bit for bit the same file)
model: build
	$(RELEASE)/digits train --data "$(MNIST_DIR)" --output Resources/digits.safetensors --quiet

## evaluate: the accuracy report of $(MODEL) on the test set
evaluate: build
	$(RELEASE)/digits evaluate --data "$(MNIST_DIR)" --model $(MODEL)

## bench: medians and ratios against peers measured in the same run
bench:
	$(SWIFT) build -c release --product digits
	$(SWIFT) build -c release --product DigitsBenchmarks
	$(RELEASE)/DigitsBenchmarks "$(MNIST_DIR)"

clean:
	rm -rf .build
