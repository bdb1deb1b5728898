# kubeplan: one command to set up and plan the bundled examples, one command to run every test.
#
#   make demo   install what is missing, build, and plan the examples in examples/
#   make test   install what is missing, build, and run every test (unit and integration, conformance, npm,
#               browser)
#   make fuzz-smoke   each fuzz target for FUZZ_SECONDS (nightly and cargo-fuzz; see fuzz/README.md), apart from
#               `make test`: with cargo-fuzz's install and the targets' build, a third of a fresh run's time
#
# Every setup step skips what is already installed at the right version.

SHELL := /bin/bash
CONFORMANCE := ../shared/conformance
# The conformance pass rate already reached; CI fails below it. New categories (e- scheduler configuration,
# k- every kind, m- admission) count once they are named here, so a category that passes can never fall back.
CONFORMANCE_MIN := 100
CONFORMANCE_REQUIRE := e,k,m
# Commands that run cargo schedule their own jobs: they are not handed make's jobserver, which make closes to
# recipes it does not know to be recursive (cargo would warn that it cannot reach it).
OWN_JOBS := env -u MAKEFLAGS -u MFLAGS
# Each long step says how long it took (scripts/lib/step.sh), so a run's log shows where its time went.
STEP := bash $(CURDIR)/scripts/lib/step.sh

.PHONY: setup setup-wasm build build-native build-wasm build-www build-tests build-fuzz build-all demo bench \
	test test-native test-rust test-conformance conformance test-js test-www fuzz-seed fuzz-build fuzz-smoke test-fuzz

setup:
	$(STEP) setup bash scripts/setup.sh

setup-wasm: setup
	$(STEP) setup-wasm $(OWN_JOBS) bash scripts/setup-wasm.sh

build-native: setup
	$(STEP) build-native $(OWN_JOBS) cargo build --release --locked

build-wasm: setup-wasm
	$(STEP) build-wasm $(OWN_JOBS) bash scripts/build-wasm.sh

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
# internal cross-checks run in every test and in the conformance pass. `build-tests` builds the test binaries
# and the kubeplan binary they run, without running them.
build-tests: setup
	$(STEP) build-tests $(OWN_JOBS) cargo test --profile release-test --locked --no-run

test-rust: build-tests
	cargo test --profile release-test --locked

# The tests' native binary is the one the tests are built with (`cargo build --bin` would build the engine again,
# with the dependencies' features resolved without the dev-dependencies): the release build's whole-program LTO
# took a quarter of a fresh `make test`'s compiling, for the same code. The npm suite compares that binary with
# the WebAssembly build, which is the release profile's, without debug assertions: every conformance case byte
# for byte through both. `make conformance` checks the release binary itself.
TEST_BIN := $(CURDIR)/target/release-test/kubeplan

test-conformance: build-tests
	$(CONFORMANCE)/check --min $(CONFORMANCE_MIN) --require $(CONFORMANCE_REQUIRE) -- $(TEST_BIN)

conformance: build-native
	$(CONFORMANCE)/check --min $(CONFORMANCE_MIN) --require $(CONFORMANCE_REQUIRE) -- ./target/release/kubeplan

test-js: build-wasm build-tests
	KUBEPLAN_NATIVE=$(TEST_BIN) bash scripts/test-js.sh

test-www: build-wasm
	bash scripts/test-www.sh

# Fuzzing (fuzz/README.md): every target briefly, with debug assertions and overflow checks on, on request (not
# part of `make test`). `make test-fuzz` runs it where a nightly toolchain is installed and says it is skipped
# where none is.
FUZZ_TARGETS := load plan_bytes plan_grammar lint lsp
FUZZ_SECONDS := 20
# The smoke run builds the engine at opt-level 1 in 16 codegen units (cargo-fuzz builds at 3, in 1): a build
# several times faster for fewer executions per second, which 20 s a target can spare. Long runs build as
# cargo-fuzz does: `make fuzz-build FUZZ_BUILD= FUZZ_OPT_LEVEL=3` (fuzz/README.md).
FUZZ_BUILD := --codegen-units 16
FUZZ_OPT_LEVEL := 1
FUZZ := env CARGO_PROFILE_RELEASE_OPT_LEVEL=$(FUZZ_OPT_LEVEL) cargo +nightly fuzz
HAVE_NIGHTLY := $(shell rustup run nightly rustc --version >/dev/null 2>&1 && echo yes)

fuzz-seed:
	python3 fuzz/seed.py $(CONFORMANCE) examples

# The fuzz crate is its own workspace; it starts from kubeplan's Cargo.lock so that it fuzzes the versions of
# serde-saphyr and every other dependency that kubeplan ships, not the newest ones (cargo adds libfuzzer's own).
fuzz-build:
	@command -v cargo-fuzz >/dev/null || $(STEP) "install cargo-fuzz" $(OWN_JOBS) bash -c '. scripts/lib/cargo-install.sh && quick_cargo_install cargo-fuzz --locked'
	cp Cargo.lock fuzz/Cargo.lock
	cd fuzz && $(STEP) build-fuzz $(OWN_JOBS) $(FUZZ) build --debug-assertions --sanitizer none $(FUZZ_BUILD)

# The smoke run starts from the seeds alone, in a corpus directory of its own, emptied first: libFuzzer replays
# every input of its corpus before its time starts, and a corpus grown by long runs (10,000 inputs and more a
# target) made the five runs of 20 s take 17 minutes here.
fuzz-smoke: fuzz-seed fuzz-build
	cd fuzz && for t in $(FUZZ_TARGETS); do \
		echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
		rm -rf smoke/$$t && mkdir -p smoke/$$t && \
		$(FUZZ) run --debug-assertions --sanitizer none $(FUZZ_BUILD) $$t smoke/$$t seeds/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 || exit $$?; \
	done

ifeq ($(HAVE_NIGHTLY),yes)
build-fuzz: fuzz-build
test-fuzz: fuzz-smoke
else
build-fuzz test-fuzz:
	@echo "== no nightly toolchain: fuzzing skipped"
endif

# A fresh run is mostly compiling, so it runs two jobs at a time. The WebAssembly chain (its toolchain, then its
# build, the longest chain) starts first, beside the tests' build, whose suites (unit and integration tests,
# conformance) then run while the WebAssembly build goes on, none of them timed. The npm and browser suites come
# last, one after the other, with the machine to themselves: the browser tests bound the page's main-thread
# tasks. The native and the WebAssembly builds use separate target directories (scripts/build-wasm.sh), so
# neither waits for the other's lock (their output interleaves, as it comes). `make build-all` builds everything
# the tests need without running them.
#
# On a fresh 2-core machine, with the release binary and the fuzz targets built and the fuzz smoke run in it too,
# the run took 41 minutes (CI, 2,445 s) against the 40 it must stay under: building the fuzz targets (with
# cargo-fuzz itself) and the release binary was 1,747 s of its 4,053 s of build steps, here. Both are apart now
# (`make demo`, `make conformance`, `make fuzz-smoke`); the same fresh run took 2,857 s here before, 2,125 s after.
build-all: setup
	$(MAKE) -j2 build-wasm build-tests

# `$(call suites,A B)`: make A, then B, each timed, stopping at the first that fails.
suites = @for suite in $(1); do $(STEP) "make $$suite" $(MAKE) --no-print-directory $$suite || exit $$?; done

test: setup
	$(MAKE) -j2 build-wasm test-native
	$(call suites,test-js test-www)

test-native: build-tests
	$(call suites,test-rust test-conformance)
