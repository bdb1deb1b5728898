// The text of `kubectl get nodes --show-labels` (optionally `-o wide`) read as Node objects, written out as the
// YAML kubeplan takes. kubectl prints its table with a tabwriter: every column starts where its header starts, so
// cells are cut at the header's column positions (a wide OS-IMAGE such as "Ubuntu 22.04.3 LTS" has spaces).
//
// What the table does not show is not invented, with two exceptions that are needed to plan at all and said in a
// comment of the generated YAML: capacity (kubectl get nodes prints none; DEFAULT_CAPACITY is assumed) and the
// taints a real cluster's node lifecycle controller adds for the STATUS shown (SchedulingDisabled: the node is
// cordoned, `spec.unschedulable` and the `node.kubernetes.io/unschedulable:NoSchedule` taint; NotReady or Unknown:
// the Ready condition False or Unknown and the `node.kubernetes.io/not-ready` / `unreachable` NoSchedule taint).

export const DEFAULT_CAPACITY = Object.freeze({ cpu: "4", memory: "8Gi", pods: "110" });

/** Whether the text looks like `kubectl get nodes` output rather than YAML: a header line NAME … STATUS. */
export function looksLikeNodesTable(text) {
  const first = firstLine(text);
  return first !== null && /^NAME\s+STATUS(\s|$)/.test(first);
}

function firstLine(text) {
  for (const line of String(text).split(/\r?\n/)) {
    if (line.trim() !== "") return line;
  }
  return null;
}

/**
 * Parse the table. Returns `{nodes, errors}`: nodes as `{name, line, status, roles, labels: [[k, v]…]}` and errors
 * as `{line, column, message}` (1-based), for lines that cannot be read.
 */
export function parseNodesTable(text) {
  const lines = String(text).split(/\r?\n/);
  const errors = [];
  const nodes = [];
  let headerIndex = lines.findIndex((l) => l.trim() !== "");
  if (headerIndex < 0) return { nodes, errors };
  const header = lines[headerIndex];
  const columns = [];
  const re = /\S+/g;
  let m;
  while ((m = re.exec(header)) !== null) columns.push({ name: m[0], start: m.index });
  const names = columns.map((c) => c.name);
  if (names[0] !== "NAME" || names[1] !== "STATUS") {
    errors.push({ line: headerIndex + 1, column: 1, message: "expected the header of kubectl get nodes: NAME STATUS …" });
    return { nodes, errors };
  }
  const labelsAt = names.indexOf("LABELS");
  const seen = new Set();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === "") continue;
    const cells = cutColumns(line, columns);
    const name = cells.NAME;
    if (!name || /\s/.test(name)) {
      errors.push({ line: i + 1, column: 1, message: "a node line starts with its name" });
      continue;
    }
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
      errors.push({ line: i + 1, column: 1, message: `node name ${JSON.stringify(name)} is not a valid DNS subdomain name` });
      continue;
    }
    if (seen.has(name)) {
      errors.push({ line: i + 1, column: 1, message: `node ${name} is listed twice` });
      continue;
    }
    seen.add(name);
    const labels = [];
    if (labelsAt >= 0) {
      const raw = cells.LABELS ?? "";
      const col = columns[labelsAt].start + 1;
      if (raw !== "" && raw !== "<none>") {
        for (const pair of raw.split(",")) {
          if (pair === "") continue;
          const eq = pair.indexOf("=");
          if (eq <= 0) {
            errors.push({ line: i + 1, column: col, message: `label ${JSON.stringify(pair)} is not key=value` });
            continue;
          }
          labels.push([pair.slice(0, eq), pair.slice(eq + 1)]);
        }
      }
    }
    nodes.push({ name, line: i + 1, status: cells.STATUS ?? "", roles: cells.ROLES ?? "", labels });
  }
  return { nodes, errors };
}

// Cut a line into cells. kubectl's tabwriter starts every cell where its header starts, so slicing at the header's
// positions is exact (and keeps OS-IMAGE "Ubuntu 22.04.3 LTS" whole). A hand-edited line whose cells do not line
// up with the header (a boundary falls inside a word) is split at whitespace instead, LABELS being the last cell.
function cutColumns(line, columns) {
  const out = {};
  const aligned = columns.every((c, i) => i === 0 || c.start >= line.length || line[c.start - 1] === " ");
  if (aligned) {
    columns.forEach((c, i) => {
      const end = i + 1 < columns.length ? columns[i + 1].start : line.length;
      out[c.name] = line.slice(c.start, end).trim();
    });
    return out;
  }
  const words = line.trim().split(/\s+/);
  columns.forEach((c, i) => {
    out[c.name] = (i === columns.length - 1 ? words.slice(i).join(" ") : words[i]) ?? "";
  });
  return out;
}

/** YAML text of one scalar, always double-quoted (JSON strings are valid YAML double-quoted scalars). */
function q(s) {
  return JSON.stringify(String(s));
}

/**
 * The Node objects as one YAML stream. `lineMap[i]` is the table line (1-based) that YAML line i+1 came from, so
 * diagnostics on the generated YAML can be shown on the table.
 */
export function nodesTableToYaml(text, capacity = DEFAULT_CAPACITY) {
  const { nodes, errors } = parseNodesTable(text);
  const out = [];
  const lineMap = [];
  const push = (s, from) => {
    out.push(s);
    lineMap.push(from);
  };
  push(
    `# Read from kubectl get nodes --show-labels: ${nodes.length} node${nodes.length === 1 ? "" : "s"}. ` +
      `Capacity is not in that output: cpu ${capacity.cpu}, memory ${capacity.memory}, pods ${capacity.pods} assumed.`,
    1,
  );
  nodes.forEach((n, idx) => {
    const at = n.line;
    if (idx > 0) push("---", at);
    const parts = n.status.split(",").map((s) => s.trim());
    const ready = parts.includes("Ready") ? "True" : parts.includes("NotReady") ? "False" : parts.includes("Unknown") ? "Unknown" : "True";
    const cordoned = parts.includes("SchedulingDisabled");
    push("apiVersion: v1", at);
    push("kind: Node", at);
    push("metadata:", at);
    push(`  name: ${q(n.name)}`, at);
    if (n.labels.length) {
      push("  labels:", at);
      for (const [k, v] of n.labels) push(`    ${q(k)}: ${q(v)}`, at);
    }
    const taints = [];
    if (cordoned) taints.push("node.kubernetes.io/unschedulable");
    if (ready === "False") taints.push("node.kubernetes.io/not-ready");
    if (ready === "Unknown") taints.push("node.kubernetes.io/unreachable");
    if (cordoned || taints.length) {
      push("spec:", at);
      if (cordoned) push("  unschedulable: true", at);
      if (taints.length) {
        push("  taints:", at);
        for (const t of taints) push(`  - {key: ${q(t)}, effect: NoSchedule}`, at);
      }
    }
    push("status:", at);
    push(`  capacity: {cpu: ${q(capacity.cpu)}, memory: ${q(capacity.memory)}, pods: ${q(capacity.pods)}}`, at);
    push("  conditions:", at);
    push(`  - {type: Ready, status: ${q(ready)}}`, at);
  });
  return { yaml: out.join("\n") + "\n", lineMap, nodes, errors };
}
