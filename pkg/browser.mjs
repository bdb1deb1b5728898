// Browsers and bundlers: `await init()` once (it fetches kubeplan_bg.wasm next to this file, or what you pass:
// a URL, a Response, bytes or a compiled WebAssembly.Module), then call the functions.
import initGlue, * as glue from "./kubeplan.js";
import { makeApi } from "./src/api.js";

let loading;
let loaded = false;

/** Load the engine; later calls return the same promise. */
export function init(input) {
  loading ??= initGlue(input === undefined ? undefined : { module_or_path: input }).then(() => {
    loaded = true;
  });
  return loading;
}

const api = makeApi(glue, () => loaded);

export const { plan, planJson, lint, runCli, version, debugPanic } = api;

export default init;
