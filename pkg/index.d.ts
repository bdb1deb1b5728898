// The package's API. Every type named here is generated from the Rust types (see kubeplan.d.ts, written by
// wasm-bindgen and tsify); only the functions' wrappers are declared by hand.
export type * from "./kubeplan.js";
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
} from "./kubeplan.js";

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
 * Load the engine. Browsers and bundlers: await it once before any other call (it fetches `kubeplan_bg.wasm`
 * beside the module unless given a URL, a Response, bytes or a WebAssembly.Module). Node: already loaded.
 */
export declare function init(
  input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module | Promise<Response>,
): Promise<void>;
export default init;
