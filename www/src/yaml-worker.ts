// The plan's JSON text made YAML (plan-yaml.ts), in a worker of its own: at 10,000 nodes it takes the `yaml`
// package some 20 s, which the page must not wait for, nor the planner (worker.ts), which stays free to plan.
// The page starts one for a download and ends it when it has answered:
//
//   {json} → {yaml} or {error}

import { planYaml } from "./plan-yaml.ts";

export interface YamlRequest {
  json: string;
}

export type YamlAnswer = { yaml: string } | { error: string };

/** The worker's global scope, as much of it as this file uses (see worker.ts on `self`). */
declare const self: {
  postMessage(message: YamlAnswer): void;
  onmessage: ((event: MessageEvent<YamlRequest>) => void) | null;
};

self.onmessage = (e) => {
  try {
    self.postMessage({ yaml: planYaml(e.data.json) });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
