// The grid: one row per node, one column per workload (and one for pods no controller owns), each cell the pods
// of that workload on that node as buttons coloured by state. Pods with no node are in the first row, "Pending".

import { h, fill } from "./dom.ts";
import { buildGrid, podState, taintText, type Column, type Grid, type GridNode } from "./model.ts";
import type { PlanSummary, PodSummary } from "./protocol.ts";

/** What the grid draws and what its buttons call. */
export interface GridOptions {
  /** The pods of a timeline frame; the summary's when absent. */
  pods?: readonly PodSummary[] | undefined;
  onPod: (key: string) => void;
  onDaemonSetNode?: (daemonSet: string, node: string) => void;
  selected?: string | null;
  filter?: string;
  onlyUsed?: boolean;
}

function nodeHeader(node: GridNode): HTMLTableCellElement {
  const badges: HTMLElement[] = [];
  if (node.missing) badges.push(h("span", { class: "badge bad", title: "spec.nodeName names a node the input does not have" }, "no such node"));
  if (node.unschedulable) badges.push(h("span", { class: "badge warn" }, "SchedulingDisabled"));
  if (node.ready && node.ready !== "True" && !node.missing) badges.push(h("span", { class: "badge bad" }, node.ready === "False" ? "NotReady" : "Unknown"));
  const nt = (node.taints ?? []).length;
  const nl = Object.keys(node.labels ?? {}).length;
  // The lists are built when opened: a 1,000-node grid draws one summary line per node, not every label.
  const more = nt || nl ? nodeMore(node, `${nt} taint${nt === 1 ? "" : "s"}, ${nl} label${nl === 1 ? "" : "s"}`) : null;
  // A few taints are shown in the row itself: they are most often why a node has no pod.
  const inlineTaints = nt && nt <= 3 ? h("div", { class: "taints" }, (node.taints ?? []).map((t) => h("span", { class: "taint" }, taintText(t)))) : null;
  return h("th", { scope: "row", class: "node" }, h("span", { class: "node-name" }, node.name), " ", badges, inlineTaints, more);
}

/** The node's taints and labels in a disclosure, its lists built when first opened. */
function nodeMore(node: GridNode, title: string): HTMLDetailsElement {
  const d = h("details", {
    class: "node-more",
    ontoggle: () => {
      if (!d.open || d.dataset.filled) return;
      d.dataset.filled = "1";
      const taints = (node.taints ?? []).map((t) => h("li", null, taintText(t)));
      const labels = Object.entries(node.labels ?? {}).map(([k, v]) => h("li", null, v === "" ? k : `${k}=${v}`));
      if (taints.length) d.append(h("div", { class: "sub" }, "taints:"), h("ul", { class: "kv" }, taints));
      if (labels.length) d.append(h("div", { class: "sub" }, "labels:"), h("ul", { class: "kv" }, labels));
    },
  }, h("summary", null, title));
  return d;
}

function podButton(pod: PodSummary, onPod: (key: string) => void, selected: string | null | undefined): HTMLButtonElement {
  const state = podState(pod);
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  return h(
    "button",
    {
      type: "button",
      class: ["pod", `st-${state.toLowerCase()}`, selected === key ? "selected" : ""],
      title: `${key}: ${state}`,
      "aria-pressed": selected === key ? "true" : "false",
      dataset: { pod: key, state },
      onclick: () => onPod(key),
    },
    h("span", { class: "pod-name" }, pod.metadata.name),
    h("span", { class: "pod-state" }, state),
  );
}

function columnHeader(c: Column): HTMLTableCellElement {
  const label = c.kind === "Pod" ? "Pods (no controller)" : `${c.kind} ${c.namespace}/${c.name}`;
  return h("th", { scope: "col", dataset: { workload: c.key } }, label);
}

/**
 * Draw the grid for `summary` (or `pods`, the pods of a timeline frame) into `container`.
 * `filter` (text) keeps the nodes whose name contains it; `onlyUsed` keeps nodes with pods.
 */
export function renderGrid(
  container: HTMLElement,
  summary: PlanSummary | null | undefined,
  { pods, onPod, onDaemonSetNode, selected, filter = "", onlyUsed = false }: GridOptions,
): Grid & { shown?: number; hidden?: number } {
  const grid = buildGrid(summary, pods ?? summary?.pods ?? []);
  if (!grid.columns.length && !grid.rows.length) {
    fill(container, h("p", { class: "empty" }, "No nodes and no workloads."));
    return grid;
  }
  const head = h("tr", null, h("th", { scope: "col", class: "corner" }, "node"), grid.columns.map(columnHeader));
  const body: HTMLTableRowElement[] = [];
  const cellsFor = (cells: Map<string, PodSummary[]>, rowKind: "" | "pending", node: string) =>
    grid.columns.map((c) => {
      const list = cells.get(c.key) ?? [];
      // A DaemonSet with no pod on a node: the DaemonSet controller did not create one there (the scheduler
      // never saw it), because the node's taints, the pod's node selector or affinity exclude the node.
      // The cell is a button that asks the engine why (its daemonSetNodes entry for the node).
      const none =
        !list.length && c.kind === "DaemonSet" && rowKind !== "pending"
          ? h(
              "button",
              {
                type: "button",
                class: "no-pod",
                dataset: { daemonset: `${c.namespace}/${c.name}` },
                title: "No pod: the DaemonSet controller does not run one on this node. Click for the engine's reason.",
                onclick: () => onDaemonSetNode?.(`${c.namespace}/${c.name}`, node),
              },
              "no pod",
            )
          : null;
      return h("td", { class: rowKind, dataset: { workload: c.key } }, list.map((p) => podButton(p, onPod, selected)), none);
    });
  if (grid.pending.size) {
    body.push(h("tr", { class: "pending-row", dataset: { node: "" } }, h("th", { scope: "row", class: "node" }, h("span", { class: "node-name" }, "Pending (no node)")), cellsFor(grid.pending, "pending", "")));
  }
  const needle = filter.trim();
  let shown = 0;
  let hidden = 0;
  for (const row of grid.rows) {
    if ((needle && !row.node.name.includes(needle)) || (onlyUsed && row.cells.size === 0)) {
      hidden++;
      continue;
    }
    shown++;
    body.push(h("tr", { dataset: { node: row.node.name } }, nodeHeader(row.node), cellsFor(row.cells, "", row.node.name)));
  }
  const caption = h("caption", null, `${grid.rows.length} node${grid.rows.length === 1 ? "" : "s"} × ${grid.columns.length} workload column${grid.columns.length === 1 ? "" : "s"}${hidden ? ` (${hidden} nodes hidden by the filter)` : ""}`);
  fill(container, h("table", { class: "grid" }, caption, h("thead", null, head), h("tbody", null, body)));
  return { ...grid, shown, hidden };
}
