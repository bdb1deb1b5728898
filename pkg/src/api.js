// The package's API over the wasm-bindgen glue: the same functions, guarded so that nothing the engine does
// escapes as an exception. A Rust panic arrives here as an Error thrown by the panic hook (see
// bindings/wasm/src/lib.rs); any other trap (out of memory, stack exhaustion) as a WebAssembly.RuntimeError.
// Either way the instance is replaced by a fresh one before anything else runs in it, and the caller gets an error
// value.

const PANIC_PREFIX = "kubeplan panicked: ";

function describe(e) {
  const message = e instanceof Error ? e.message : String(e);
  if (message.startsWith(PANIC_PREFIX) || message.startsWith("the WebAssembly module")) return message;
  return `kubeplan stopped: ${message}`;
}

function internalError(e) {
  return {
    file: "",
    line: 0,
    column: 0,
    endLine: 0,
    endColumn: 0,
    severity: "error",
    code: "internal-error",
    message: describe(e),
  };
}

const IO_METHODS = ["readFile", "isDir", "listDir", "readStdin"];

/** What is wrong with `runCli`'s arguments, said before the engine would meet it as `x.readFile is not a function`. */
function cliArgumentsProblem(args, io) {
  const call = "runCli(args, io)";
  if (args == null || typeof args === "string" || typeof args[Symbol.iterator] !== "function") {
    return `${call}: args must be an array of strings (the command line without the program name), got ${kindOf(args)}`;
  }
  const needs = `a CliIo has ${IO_METHODS.join(", ")}; in Node, createNodeIo() from "kubeplan/node-io" is one`;
  if (io === null || (typeof io !== "object" && typeof io !== "function")) return `${call}: io must be an object (${needs}), got ${kindOf(io)}`;
  const missing = IO_METHODS.filter((m) => typeof io[m] !== "function");
  if (missing.length > 0) return `${call}: io lacks ${missing.join(", ")} (${needs})`;
  return null;
}

function kindOf(value) {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/**
 * Wrap the glue module's exports. `ready()` says whether the glue has been initialised (the browser entry needs
 * `await init()` first); a call before that is an error value too.
 */
export function makeApi(glue, ready = () => true) {
  function guarded(fn, onFailure) {
    return function (...args) {
      if (!ready()) return onFailure(new Error("the WebAssembly module is not loaded yet: await init() first"));
      try {
        return fn(...args);
      } catch (e) {
        // A fresh instance: the trapped one's heap and borrow flags are not to be trusted.
        try {
          glue.__wbg_reset_state();
        } catch {
          // Nothing better to do; the next call will try again through the scheduled reinit.
        }
        return onFailure(e);
      }
    };
  }

  const plan = guarded(glue.plan, (e) => ({ ok: false, exitCode: 2, plan: null, errors: [internalError(e)] }));
  const planJson = guarded(glue.planJson, (e) => ({ ok: false, exitCode: 2, text: null, errors: [internalError(e)] }));
  const lint = guarded(glue.lint, (e) => ({ ok: false, exitCode: 2, findings: [], errors: [internalError(e)] }));
  const runCli = guarded(
    (args, io) => {
      const problem = cliArgumentsProblem(args, io);
      if (problem) return { stdout: "", stderr: `error: ${problem}\n`, exitCode: 2 };
      return glue.runCli(Array.from(args, String), io);
    },
    (e) => ({ stdout: "", stderr: `${describe(e)}\n`, exitCode: 101 }),
  );
  const debugPanic = guarded(glue.debugPanic, (e) => ({ ok: false, exitCode: 2, plan: null, errors: [internalError(e)] }));
  const version = () => glue.version();
  return { plan, planJson, lint, runCli, version, debugPanic };
}
