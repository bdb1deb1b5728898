# kubeplan: one command to set up and plan the bundled examples, one command to run every test.
#
#   make demo   install what is missing, build, and plan the examples in examples/
#   make test   install what is missing, build, and run every test (unit, conformance, npm, browser; and a
#               short fuzzing run of every fuzz target when a nightly toolchain is installed)
#   make fuzz-smoke   each fuzz target for FUZZ_SECONDS (nightly and cargo-fuzz; see fuzz/README.md)
#
# Every setup step skips what is already installed at the right version.

SHELL := /bin/bash
CONFORMANCE := ../shared/conformance
# The conformance pass rate already reached; CI fails below it. New categories (e- scheduler configuration,
# k- every kind, m- admission) count once they are named here, so a category that passes can never fall back.
CONFORMANCE_MIN := 100
CONFORMANCE_REQUIRE := e,k,m

.PHONY: setup build build-native build-wasm build-www demo bench \
	test test-rust test-conformance test-js test-www fuzz-seed fuzz-smoke test-fuzz

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
	$(CONFORMANCE)/check --min $(CONFORMANCE_MIN) --require $(CONFORMANCE_REQUIRE) -- ./target/release/kubeplan
	cargo build --profile release-test --locked --bin kubeplan
	$(CONFORMANCE)/check --min $(CONFORMANCE_MIN) --require $(CONFORMANCE_REQUIRE) -- ./target/release-test/kubeplan

test-js: build
	bash scripts/test-js.sh

test-www: build
	bash scripts/test-www.sh

# Fuzzing (fuzz/README.md): every target briefly, with debug assertions and overflow checks on. `make test`
# runs it only where a nightly toolchain is installed, so CI without one stays green.
FUZZ_TARGETS := load plan_bytes plan_grammar lint lsp
FUZZ_SECONDS := 20

fuzz-seed:
	python3 fuzz/seed.py $(CONFORMANCE) examples

fuzz-smoke: fuzz-seed
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
		echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
		cargo +nightly fuzz run --debug-assertions --sanitizer none $$t corpus/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 || exit $$?; \
	done

test-fuzz:
	@if rustup run nightly rustc --version >/dev/null 2>&1; then \
		$(MAKE) fuzz-smoke; \
	else \
		echo "== no nightly toolchain: fuzz-smoke skipped"; \
	fi

test: test-rust test-conformance test-js test-www test-fuzz
