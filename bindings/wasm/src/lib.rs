//! The WebAssembly binding: the API of the npm package `kubeplan` (see `pkg/`), a thin shell over the engine's
//! [`kubeplan::ffi`] (the calls and answers every binding shares) and its CLI.
//!
//! Built for `wasm32-unknown-unknown` by `scripts/build-wasm.sh`. Arguments are read as JSON values and checked
//! by the engine; answers cross back through tsify's ABI ([`Ts`]), whose TypeScript types tsify generates from
//! the engine's Rust types. Nothing here throws for a bad input: a problem is a [`KubeplanError`] value with a
//! file, a line, a column and a message.
//!
//! Panics. `wasm32-unknown-unknown`'s standard library is built with `panic = "abort"`, so `catch_unwind`
//! cannot catch anything there (unwinding in WASM needs a nightly `-Zbuild-std` with exception handling). So a
//! panic is handled in two halves: the panic hook installed at start-up records the message and location, asks
//! wasm-bindgen to replace the instance before the next call (`schedule_reinit`: the trapped instance's heap,
//! borrow flags and allocator state are not to be trusted), and throws a JavaScript error carrying the message
//! instead of reaching the `unreachable` trap. The package's JavaScript wrapper (`pkg/src/api.js`) turns that
//! error, or any other trap, into an error value and resets the instance, so a panic never escapes as
//! `unreachable` and never poisons the next call.

#[cfg(target_arch = "wasm32")]
mod alloc;
mod io;

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use kubeplan::ffi::{self, Answer, KubeplanError, LintOptions, LintResult, Manifests, PlanInput, PlanOptions};
use kubeplan::ffi::{ParseCache, PlanResult, PlanTextResult};

/// The prefix of the message a panic is thrown with; `pkg/src/api.js` recognises it.
const PANIC_PREFIX: &str = "kubeplan panicked: ";

/// Runs once per instance (also after a reset): install the panic hook.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(panic_hook));
}

fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned());
    let at = info.location().map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
    // The instance is unusable from here: have the next call start from a fresh one.
    wasm_bindgen::handler::schedule_reinit();
    wasm_bindgen::throw_str(&format!("{PANIC_PREFIX}{msg}{at}"));
}

/// A JavaScript value as JSON (`undefined` and `null` are `null`), for [`ffi::argument`].
fn json(what: &str, v: JsValue) -> Result<Value, KubeplanError> {
    serde_wasm_bindgen::from_value(v).map_err(|e| KubeplanError::invalid_argument(what, e))
}

/// Hand an answer to JavaScript, or the failed call's answer (a bad argument, an answer that does not serialize).
fn answer<T: Answer + Tsify>(r: Result<T, KubeplanError>) -> Ts<T> {
    let failed = |e: tsify::Error| T::failed(KubeplanError::unlocated("internal-error", e.to_string())).into_ts();
    r.unwrap_or_else(T::failed).into_ts().or_else(failed).unwrap_or_else(|_| Ts::new_unchecked(JsValue::NULL))
}

/// The arguments of a call: its input, and its options (absent: the defaults).
fn args<I: DeserializeOwned, O: DeserializeOwned + Default>(
    input: JsValue,
    options: Option<JsValue>,
) -> Result<(I, O), KubeplanError> {
    let input = ffi::argument("input", json("input", input)?)?;
    let options = ffi::options(json("options", options.unwrap_or(JsValue::NULL))?)?;
    Ok((input, options))
}

thread_local! {
    /// The documents of the last incremental plan, for the next one ([`PlanOptions::incremental`]). A panic's reset
    /// replaces the instance, and this with it.
    static PARSED: RefCell<ParseCache> = RefCell::new(ParseCache::default());
}

/// `plan` given the parse cache for an incremental plan, else given none.
fn through_cache<T>(incremental: bool, plan: impl FnOnce(Option<&mut ParseCache>) -> T) -> T {
    if incremental {
        PARSED.with_borrow_mut(|cache| plan(Some(cache)))
    } else {
        plan(None)
    }
}

/// Plan manifests: what the cluster would do with them.
#[wasm_bindgen]
pub fn plan(input: Ts<PlanInput>, options: Option<Ts<PlanOptions>>) -> Ts<PlanResult> {
    let planned = |(i, o): (PlanInput, PlanOptions)| through_cache(o.incremental, |cache| ffi::plan_with(i, o, cache));
    answer(args(input.js_value(), options.map(|o| o.js_value())).map(planned))
}

/// The plan as the exact text `kubeplan plan --output json` prints (for byte-for-byte comparisons, and for
/// writing it out without a round trip through objects). `errors` and `exitCode` are as `plan` gives them.
#[wasm_bindgen(js_name = planJson)]
pub fn plan_json(input: Ts<PlanInput>, options: Option<Ts<PlanOptions>>) -> Ts<PlanTextResult> {
    let planned = |(i, o): (PlanInput, PlanOptions)| through_cache(o.incremental, |cache| ffi::plan_json_with(i, o, cache));
    answer(args(input.js_value(), options.map(|o| o.js_value())).map(planned))
}

/// Lint manifests: what the API server would reject, located on the offending field.
#[wasm_bindgen]
pub fn lint(input: Ts<Manifests>, options: Option<Ts<LintOptions>>) -> Ts<LintResult> {
    answer(args(input.js_value(), options.map(|o| o.js_value())).map(|(i, o)| ffi::lint(i, o)))
}

/// kubeplan's version and the Kubernetes version it models (`kubeplan version`).
#[wasm_bindgen]
pub fn version() -> String {
    ffi::version()
}

/// A deliberate panic, to test that a panic comes back as an error value and leaves later calls unharmed.
#[wasm_bindgen(js_name = debugPanic, skip_typescript)]
pub fn debug_panic(message: String) -> Ts<PlanResult> {
    if !message.is_empty() {
        panic!("{message}");
    }
    answer(Err(KubeplanError::unlocated("internal-error", message)))
}

/// What a CLI run printed and how it ended.
#[derive(Clone, Debug, Serialize, Tsify)]
#[tsify(hashmap_as_object, missing_as_null)]
#[serde(rename_all = "camelCase")]
pub struct CliResult {
    pub stdout: String,
    pub stderr: String,
    /// 0, 1 or 2 as documented in the usage text; 101 if kubeplan panicked (as the native binary exits).
    pub exit_code: i32,
}

/// Run the command line (`args` without the program name) against `io`: same verbs, flags, output bytes and
/// exit codes as the native `kubeplan`.
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli(args: Vec<String>, io: &io::JsIo) -> Ts<CliResult> {
    let out = kubeplan::cli::run(&args, &mut { io });
    let result = CliResult { stdout: out.stdout, stderr: out.stderr, exit_code: out.code };
    result.into_ts().unwrap_or_else(|_| Ts::new_unchecked(JsValue::NULL))
}
