# Wrappers for the commands a newcomer needs. Every target installs what it
# needs first (scripts/setup is idempotent and fast when nothing is missing):
# build and run only what the site needs (`scripts/setup --run`, the famigo
# target), the test targets everything.
JOBS ?= 2
BIN := build/release/src/famigo

.PHONY: all setup setup-run build build-tests run lint test test-unit test-integration test-e2e test-asan fuzz bench clean

all: build

setup:
	scripts/setup

setup-run:
	scripts/setup --run

# The famigo binary only (build/release/src/famigo).
build: setup-run
	cmake --preset release >/dev/null
	cmake --build --preset release -j$(JOBS) --target famigo

# Everything in the release tree: the binary and the test binaries.
build-tests: setup
	cmake --preset release >/dev/null
	cmake --build --preset release -j$(JOBS)

# The site on the embedded default, on http://127.0.0.1:8000 (Ctrl-C drains and stops);
# the demo catalog (data/) is imported the first time, into an empty store.
run: build
	$(BIN) collectstatic --config conf/famigo.toml >/dev/null
	$(BIN) import --if-empty --config conf/famigo.toml data/
	$(BIN) editorial --config conf/famigo.toml data/editorial.json
	$(BIN) serve --config conf/famigo.toml

# Every test: unit, integration against the real binary, the sanitizer build, a fuzz run.
test: setup
	scripts/test

# The static checks alone: clang-format, the layer check, clang-tidy (docs/testing.md).
lint: setup
	scripts/lint

test-unit: build-tests
	ctest --preset release -L unit

test-integration: setup build
	python3 -m pytest -q tests/integration

# End-to-end browser tests (Playwright + headless chromium); artifacts in tests/e2e/artifacts/.
test-e2e: setup
	scripts/test --only e2e

test-asan: setup
	scripts/test --only asan

fuzz: setup
	scripts/test --only fuzz

bench: setup build
	bench/run

clean:
	rm -rf build
