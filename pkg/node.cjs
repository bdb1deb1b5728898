// Node.js, CommonJS: the nodejs glue instantiates the same kubeplan_bg.wasm synchronously on require.
"use strict";

const glue = require("./kubeplan.cjs");
const { makeApi } = require("./src/api.cjs");

const api = makeApi(glue);

module.exports = {
  plan: api.plan,
  planJson: api.planJson,
  lint: api.lint,
  runCli: api.runCli,
  version: api.version,
  debugPanic: api.debugPanic,
  /** Nothing to wait for in Node; here so that code can run anywhere. */
  init: async () => {},
};
