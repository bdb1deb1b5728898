// Node.js, ES modules: the engine is compiled and instantiated synchronously when this module loads.
import { readFileSync } from "node:fs";

import * as glue from "./kubeplan.js";
import { makeApi } from "./src/api.js";

glue.initSync({ module: readFileSync(new URL("./kubeplan_bg.wasm", import.meta.url)) });

const api = makeApi(glue);

export const { plan, planJson, lint, runCli, version, debugPanic } = api;

/** Nothing to wait for in Node (the module is ready once imported); here so that code can run anywhere. */
export async function init() {}

export default init;
