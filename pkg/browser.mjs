// Browsers and bundlers: `await init()` once, then call the functions. Without an argument, init fetches
// kubeplan_bg.wasm beside this file: the `new URL("./…", import.meta.url)` below is the pattern webpack 5, Vite,
// Parcel and Rollup (with @web/rollup-plugin-import-meta-assets) recognise, so they emit the file with the bundle.
// Otherwise pass where the bundler put it, or the engine itself: a URL, a Response, bytes or a WebAssembly.Module
// (see "Browsers and bundlers" in README.md).
import initGlue, * as glue from "./kubeplan.js";
import { makeApi } from "./src/api.js";

let loading;
let loaded = false;

/** Load the engine; later calls return the same promise, and after a failure the next call tries again. */
export function init(source) {
  loading ??= load(source).then(
    () => {
      loaded = true;
    },
    (e) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

async function load(source) {
  const engine = source === undefined ? new URL("./kubeplan_bg.wasm", import.meta.url) : source;
  try {
    await initGlue({ module_or_path: engine });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(
      `kubeplan: the engine did not load (${message}). A bundler has to emit kubeplan_bg.wasm with your ` +
        `bundle, or init() be given its URL or bytes: see "Browsers and bundlers" in kubeplan's README.`,
      { cause: e },
    );
  }
}

const api = makeApi(glue, () => loaded);

export const { plan, planJson, lint, runCli, version, debugPanic } = api;

export default init;
