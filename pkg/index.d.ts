// The package's API. Every type named here is generated from the Rust types (by wasm-bindgen and
// tsify, copied into types.d.ts by scripts/build-wasm.sh); only the functions are declared by hand. Nothing here
// needs the DOM lib: a Node project compiles with `types: ["node"]`, a browser one with `lib: ["DOM"]`.
export type * from "./types.js";
import type {
  CliIo,
  CliResult,
  LintOptions,
  LintResult,
  Manifests,
  PlanInput,
  PlanOptions,
  PlanResult,
  PlanTextResult,
} from "./types.js";

/** What a cluster would do with the manifests. Never throws: problems are in `errors`. */
export declare function plan(input: PlanInput, options?: PlanOptions | null): PlanResult;
/** The plan as the exact text `kubeplan plan --output json` prints. Never throws. */
export declare function planJson(input: PlanInput, options?: PlanOptions | null): PlanTextResult;
/** What the API server would reject, located on the field. Never throws. */
export declare function lint(input: Manifests, options?: LintOptions | null): LintResult;
/** The command line (arguments without the program name) over `io`: the native CLI's output and exit codes. */
export declare function runCli(args: readonly string[], io: CliIo): CliResult;
/** `kubeplan 0.1.0 (Kubernetes v1.32)`. */
export declare function version(): string;
/**
 * A deliberate panic inside the engine: the result is an `internal-error` value and the next call works, as after
 * any internal failure. For testing your own handling of such errors.
 */
export declare function debugPanic(message: string): PlanResult;

/** The instance type of the global class `Name` when the project's libs declare it (DOM, or Node's), else never. */
type GlobalInstance<Name extends string> = typeof globalThis extends { [K in Name]: { prototype: infer T } } ? T : never;
/** `WebAssembly.Module` when the project's libs declare it, else never. */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer T } } } ? T : never;

/**
 * Where `init` gets the engine: the URL of `kubeplan_bg.wasm` (a string, `URL` or `Request`, fetched), a
 * `Response`, its bytes, or a compiled `WebAssembly.Module`.
 */
export type EngineSource =
  | string
  | GlobalInstance<"URL">
  | GlobalInstance<"Request">
  | GlobalInstance<"Response">
  | ArrayBuffer
  | ArrayBufferView
  | WasmModule;

/**
 * Load the engine. Browsers and bundlers: await it once before any other call; without an argument it fetches
 * `kubeplan_bg.wasm` beside the module (see the README for each bundler). It rejects, saying why, when the engine
 * cannot be fetched or compiled, and can then be called again. Node: already loaded, resolves at once.
 */
export declare function init(source?: EngineSource | PromiseLike<EngineSource>): Promise<void>;
export default init;
