// The plan as a file. JSON: the planner's `planJson` text, the bytes of `kubeplan plan FILES --output json`. YAML:
// that text made YAML (plan-yaml.ts) in a worker started for it (yaml-worker.ts), so that neither the page nor the
// planner waits for it.

import type { YamlAnswer, YamlRequest } from "./yaml-worker.ts";

export type PlanFormat = "json" | "yaml";

/** The file a format is saved as: its name and media type. */
export const PLAN_FILES: Record<PlanFormat, { name: string; type: string }> = {
  json: { name: "kubeplan-plan.json", type: "application/json" },
  yaml: { name: "kubeplan-plan.yaml", type: "application/yaml" },
};

/** The plan's file in `format`, from the planner's JSON text. */
export async function planFile(json: string, format: PlanFormat): Promise<Blob> {
  const text = format === "json" ? json : await yamlInWorker(json);
  return new Blob([text], { type: PLAN_FILES[format].type });
}

/** `json` as YAML, made by a worker of its own, ended once it has answered. */
function yamlInWorker(json: string): Promise<string> {
  const worker = new Worker("yaml-worker.js", { type: "module" });
  return new Promise<string>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<YamlAnswer>) => ("yaml" in e.data ? resolve(e.data.yaml) : reject(new Error(e.data.error)));
    worker.onerror = (e) => reject(new Error(e.message || "the YAML worker failed to start"));
    const request: YamlRequest = { json };
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}
