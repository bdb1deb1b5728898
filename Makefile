# kubeplan: one command to set up and plan the bundled examples, one command to run every test.
#
#   make demo   install what is missing, build, and plan the examples in examples/
#   make test   install what is missing, build, and run every test (unit, conformance, npm, browser)
#
# Every setup step skips what is already installed at the right version.

SHELL := /bin/bash
CONFORMANCE := ../shared/conformance
# The conformance pass rate already reached (256/256); CI fails below it.
CONFORMANCE_MIN := 100

.PHONY: setup build build-native build-wasm build-www demo bench \
	test test-rust test-conformance test-js test-www

setup:
	bash scripts/setup.sh
	bash scripts/setup-wasm.sh

build-native: setup
	cargo build --release --locked

build-wasm: setup
	bash scripts/build-wasm.sh

build-www: build-wasm
	bash scripts/build-www.sh

build: build-native build-wasm

demo: build-native
	@for example in examples/*/; do \
		echo "== kubeplan plan $$example"; \
		./target/release/kubeplan plan "$$example" || exit $$?; \
	done

# Wall time and peak memory on ../shared/bench (see benches/README.md); not part of the tests.
bench: build-native
	cargo bench --locked

# Tests run optimised, with debug assertions on (the `release-test` profile of Cargo.toml): the engine's
# internal cross-checks run in every test, and in a second conformance pass.
test-rust: setup
	cargo test --profile release-test --locked

test-conformance: build-native
	$(CONFORMANCE)/check --min $(CONFORMANCE_MIN) -- ./target/release/kubeplan
	cargo build --profile release-test --locked --bin kubeplan
	$(CONFORMANCE)/check --min $(CONFORMANCE_MIN) -- ./target/release-test/kubeplan

test-js: build
	bash scripts/test-js.sh

test-www: build
	bash scripts/test-www.sh

test: test-rust test-conformance test-js test-www
