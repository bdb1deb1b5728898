# Sourced by the setup steps: `quick_cargo_install ARGS…` runs `cargo install ARGS…` with the release profile
# lightened (opt-level 1, no LTO, 16 codegen units, no debug info). The tools installed this way (wasm-bindgen-cli,
# cargo-fuzz) run for seconds in a build, so their own speed matters little, while building them fully optimised
# from source is one of the longest steps of a run on a fresh machine.
quick_cargo_install() {
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=true cargo install "$@"
}
