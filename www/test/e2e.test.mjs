// The page in headless Chromium (Debian's /usr/bin/chromium through playwright-core; no browser download):
// every example shows the pods, nodes, Pending messages and `kubectl get` tables the CLI gives for the same
// input; a share link reproduces the plan; user text never becomes markup; no request leaves the origin; and the
// 1,000-node example's times are measured (printed; a re-plan after an edit is asserted within REPLAN_BOUND_MS).
//
// Expectations come from the npm package's CLI (`runCli`, byte for byte the native CLI) over the very files the
// page sends, built by the page's own src/input.ts: nothing is written down by hand.
//
// Needs www/dist (node build.mjs). CHROMIUM overrides the browser's path.

import { test, before, after } from "node:test";
import { isDeepStrictEqual } from "node:util";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { PNG } from "pngjs";
import pixelmatch from "pixelmatch";
import { runCli } from "kubeplan";
import { parse as parseYaml } from "yaml";
import { CHROMIUM, CHROMIUM_ARGS as ARGS, DIST, importBundled, sameOriginOnly, serveStatic, waitDone } from "./helpers.mjs";

let server;
let browser;
let context;
let EXAMPLES;
let buildRequest;
const outside = []; // requests for anything not on the page's origin
const pageErrors = [];

before(async () => {
  assert.ok(existsSync(join(DIST, "index.html")), "www/dist missing: run node build.mjs first");
  ({ EXAMPLES } = await importBundled("examples.ts"));
  ({ buildRequest } = await importBundled("input.ts"));
  server = await serveStatic(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const origin = new URL(server.url).origin;
  await sameOriginOnly(context, origin, outside);
  context.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(origin + "/") && !url.startsWith("data:") && !outside.includes(url)) outside.push(url);
  });
  context.on("weberror", (e) => pageErrors.push(String(e.error())));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(fragment, viewport, colorScheme, initScript, timeout = 60_000) {
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  if (viewport) await page.setViewportSize(viewport);
  if (colorScheme) await page.emulateMedia({ colorScheme });
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  page.on("dialog", (d) => {
    pageErrors.push(`dialog opened: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(server.url + fragment);
  await waitDone(page, null, timeout);
  return page;
}

/**
 * Paste text into an editor at the cursor, as a user's paste arrives: a paste event that CodeMirror handles
 * itself. (The protocol's Input.insertText goes through the browser's own contenteditable editing first, which
 * makes elements with style attributes that the page's CSP then blocks, a message a real paste never causes.)
 * Resolves to when the paste happened, on the page's clock (performance.now()).
 */
async function paste(page, id, text) {
  return page.locator(`#${id} .cm-content`).evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    const at = performance.now();
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    return at;
  }, text);
}

/** Replace an editor's whole text by selecting all and pasting. */
async function setEditor(page, id, text) {
  await page.locator(`#${id} .cm-content`).click();
  await page.keyboard.press("Control+A");
  await paste(page, id, text);
}

/** What the CLI says for the files the page sends for these texts. */
function cliFor(texts) {
  const { request } = buildRequest(texts);
  const files = {};
  const args = ["plan"];
  for (const f of request.manifests) {
    files[f.name] = f.text;
    args.push(f.name);
  }
  if (request.update) {
    files[request.update[0].name] = request.update[0].text;
    args.push("--update", request.update[0].name);
  }
  if (request.steps) {
    files[request.steps.name] = request.steps.text;
    args.push("--steps", request.steps.name);
  }
  const io = {
    readFile: (p) => {
      if (!(p in files)) throw new Error(`${p}: No such file or directory (os error 2)`);
      return files[p];
    },
    isDir: () => false,
    listDir: () => [],
    readStdin: () => "",
  };
  const json = runCli([...args, "--output", "json"], io);
  const table = runCli([...args, "--output", "table"], io);
  return { doc: JSON.parse(json.stdout), json: json.stdout, table: table.stdout, exitCode: json.exitCode };
}

/** Switch the results to the grid view (the map is the default). */
async function showGrid(page) {
  if ((await page.getAttribute("#view-grid", "aria-pressed")) !== "true") await page.click("#view-grid");
  await page.waitForSelector("#grid table.grid, #grid .empty");
}

/**
 * The grid's every row, read by scrolling its box from the top to the end (only the rows near the view are in the
 * page): `{rowcount, most, rows: [{index, node, pods: [{pod, state, workload, text}]}]}`, rows by aria-rowindex
 * (node "" for the Pending row), `rowcount` the table's aria-rowcount, `most` the most rows in the page at once.
 */
async function gridTable(page) {
  await showGrid(page);
  return page.evaluate(async () => {
    const box = document.getElementById("grid");
    const table = box.querySelector("table.grid");
    if (!table) return { rowcount: 0, most: 0, rows: [] };
    const frame = () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    const rows = new Map();
    let most = 0;
    box.scrollTop = 0;
    await frame();
    for (;;) {
      const drawn = table.querySelectorAll("tbody tr[aria-rowindex]");
      most = Math.max(most, drawn.length);
      for (const tr of drawn) {
        const pods = [...tr.querySelectorAll("button.pod")].map((b) => ({ pod: b.dataset.pod, state: b.dataset.state, workload: b.closest("td").dataset.workload, text: b.textContent }));
        rows.set(Number(tr.getAttribute("aria-rowindex")), { node: tr.dataset.node, pods });
      }
      const was = box.scrollTop;
      if (was + box.clientHeight >= box.scrollHeight - 1) break;
      box.scrollTop = was + box.clientHeight;
      await frame();
      if (box.scrollTop <= was) break;
    }
    const sorted = [...rows].sort(([a], [b]) => a - b).map(([index, row]) => ({ index, ...row }));
    return { rowcount: Number(table.getAttribute("aria-rowcount")), most, rows: sorted };
  });
}

/** The grid as shown: every pod button with its row (node, "" for Pending), column and state. */
async function gridPods(page) {
  const { rows } = await gridTable(page);
  return rows.flatMap((r) => r.pods.map((p) => ({ pod: p.pod, state: p.state, node: r.node, workload: p.workload, text: p.text })));
}

function expectedState(pod) {
  return pod.metadata.deletionTimestamp ? "Terminating" : pod.status?.phase || "Pending";
}

for (const id of [
  "node-exporter",
  "fluentd-toleration",
  "fluentd-no-toleration",
  "hdfs-namenode",
  "ds-set-image-rollback",
  "ds-ondelete",
  "nginx-statefulset",
  "job-completions",
  "second-scheduler",
  "bin-packing",
  "node-name",
]) {
  test(`example ${id}: the pods, their nodes and states, Pending messages and kubectl get tables`, async () => {
    const ex = EXAMPLES.find((e) => e.id === id);
    assert.ok(ex, id);
    const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update ?? "", steps: ex.steps ?? "", scheduler: ex.scheduler ?? "" });
    assert.equal(want.exitCode, 0, `${id} plans without errors`);
    const page = await openPage(`#example=${id}`);
    try {
      assert.equal(await page.$eval("#examples", (s) => s.value), id);
      // The grid: one button per final pod, in its node's row, with its phase.
      const shown = await gridPods(page);
      const expected = want.doc.pods.map((p) => ({
        pod: `${p.metadata.namespace}/${p.metadata.name}`,
        state: expectedState(p),
        node: p.spec.nodeName ?? "",
      }));
      assert.deepEqual(
        shown.map(({ pod, state, node }) => ({ pod, state, node })).sort((a, b) => a.pod.localeCompare(b.pod)),
        expected.sort((a, b) => a.pod.localeCompare(b.pod)),
      );
      // Every node of the input has a row.
      const rows = (await gridTable(page)).rows.map((r) => r.node).filter(Boolean);
      const nodes = want.doc.defaultedObjects.filter((d) => d.object.kind === "Node").map((d) => d.object.metadata.name);
      assert.deepEqual([...new Set(rows)].sort(), [...new Set(nodes)].sort());
      // Pending pods: the scheduler's message exactly as the pod's PodScheduled condition has it.
      for (const p of want.doc.pods.filter((p) => !p.spec.nodeName)) {
        const key = `${p.metadata.namespace}/${p.metadata.name}`;
        assert.equal(await page.locator(`#pending li[data-pod="${key}"]`).count(), 1, `${key} listed as Pending`);
        const cond = (p.status.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
        // The pod is listed under what it says (its group's reason and message).
        const text = await page.locator(`#pending .pending-group:has(li[data-pod="${key}"])`).textContent();
        if (cond?.message) assert.ok(text.includes(cond.message), `${key}: ${text}`);
        else if (p.spec.schedulerName && p.spec.schedulerName !== "default-scheduler") assert.match(text, new RegExp(p.spec.schedulerName));
      }
      if (!want.doc.pods.some((p) => !p.spec.nodeName)) assert.equal(await page.textContent("#pending"), "No pod is Pending.");
      if (id === "node-name") {
        // The example has one pod no node fits: its message is the scheduler's, word for word.
        const text = await page.textContent('#pending .pending-group:has(li[data-pod="default/too-big"]) .sched-message');
        assert.match(text, /^0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) were unschedulable\./);
      }
      // kubectl get tables: each as the CLI's table output prints it.
      const tables = await page.$$eval("#workloads pre.kubectl", (pres) => pres.map((p) => p.textContent));
      assert.equal(tables.length > 0, want.doc.workloads.length > 0);
      for (const t of tables) assert.ok(want.table.includes(t + "\n"), `table not in the CLI's output:\n${t}\n---\n${want.table}`);
      // Events: all counted.
      assert.equal(Number(await page.getAttribute("#events [data-events]", "data-events").catch(() => "0")), want.doc.events.length);
      // Rounds: the timeline has one frame per (phase, round) of the plan's steps.
      assert.equal(Number(await page.getAttribute("#tl-slider", "max")), want.doc.steps.length);
    } finally {
      await page.close();
    }
  });
}

for (const [id, podName] of [
  ["node-exporter", "monitoring/node-exporter-bbbbb"],
  ["node-name", "default/nginx-scheduled"],
  ["second-scheduler", "default/annotation-default-scheduler"],
]) {
  test(`${id}: clicking ${podName} shows every node's verdict, as the engine's placements have it`, async () => {
    const ex = EXAMPLES.find((e) => e.id === id);
    const { request } = buildRequest({ manifests: ex.manifests, nodes: ex.nodes });
    const { plan } = await import("kubeplan");
    const placement = plan(request, { verdicts: true }).plan.placements.find((p) => p.pod === podName);
    assert.ok(placement, `a scheduling decision about ${podName}`);
    const page = await openPage(`#example=${id}`);
    try {
      await showGrid(page);
      await page.click(`#grid button.pod[data-pod="${podName}"]`);
      await page.waitForSelector("#detail table.verdicts");
      assert.equal(await page.textContent("#detail h3"), podName);
      const rows = await page.$$eval("#detail table.verdicts tbody tr", (trs) => trs.map((t) => ({ node: t.dataset.node, text: t.textContent })));
      for (const [node, v] of Object.entries(placement.rejected ?? {})) {
        const row = rows.find((r) => r.node === node);
        assert.ok(row, `a row for ${node}`);
        assert.ok(row.text.includes(v.plugin), row.text);
        for (const reason of v.reasons) assert.ok(row.text.includes(reason), row.text);
      }
      for (const [node, scores] of Object.entries(placement.scores ?? {})) {
        const row = rows.find((r) => r.node === node);
        assert.ok(row, `a row for ${node}`);
        assert.ok(row.text.includes(String(scores.total)), row.text);
      }
      const chosen = rows.find((r) => r.node === placement.selectedNode);
      assert.ok(chosen && chosen.text.includes("✓"), JSON.stringify(rows));
      assert.ok((await page.textContent("#detail .decision h4")).includes(`${placement.feasibleNodes} feasible of ${placement.examinedNodes} examined`));
      // A tie is shown only between two nodes or more, naming at most ten of them.
      const tied = placement.tiedNodes ?? [];
      assert.equal(await page.locator("#detail .tied-set").count(), tied.length > 1 ? 1 : 0);
      if (tied.length > 1) {
        const sentence = await page.textContent("#detail .tied-set");
        assert.ok(sentence.includes(tied.slice(0, 10).join(", ")) && sentence.includes(`(${tied.length} nodes)`), sentence);
        if (tied.length > 10) assert.ok(!sentence.includes(tied[10]) && sentence.includes(`and ${tied.length - 10} more`), sentence);
      }
      if (id === "node-name") {
        assert.equal(placement.rejected["worker-2"].plugin, "NodeUnschedulable");
        // The plugin's name links to the Kubernetes documentation of what it checks.
        const link = page.locator('#detail tr[data-node="worker-2"] a.plugin-doc');
        assert.equal(await link.textContent(), "NodeUnschedulable");
        assert.equal(await link.getAttribute("href"), "https://kubernetes.io/docs/concepts/architecture/nodes/#manual-node-administration");
        assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
      }
    } finally {
      await page.close();
    }
  });
}

test("the rollout timeline steps round by round", async () => {
  const page = await openPage("#example=ds-set-image-rollback");
  try {
    const max = Number(await page.getAttribute("#tl-slider", "max"));
    assert.ok(max > 3);
    // The first move asks the worker for the steps' actions (the summary comes without them), then draws.
    await page.click("#tl-first");
    await page.waitForFunction(() => !document.getElementById("tl-label").textContent.startsWith("Final state"));
    assert.match(await page.textContent("#tl-label"), /^initial, round 1 \(1 of \d+\)$/);
    assert.equal(await page.locator("#map button.pod-chip").count(), 4);
    await showGrid(page);
    assert.equal(await page.locator("#grid button.pod").count(), 4);
    await page.click("#tl-next");
    assert.match(await page.textContent("#tl-label"), /^step1:setImage, round 1/);
    await page.click("#tl-last");
    assert.match(await page.textContent("#tl-label"), /^Final state/);
  } finally {
    await page.close();
  }
});

test("the plan downloads as the bytes kubeplan plan --output json prints for the same files", async () => {
  const ex = EXAMPLES.find((e) => e.id === "ds-ondelete"); // manifests, nodes, --update and --steps
  const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update ?? "", steps: ex.steps ?? "", scheduler: ex.scheduler ?? "" });
  const page = await openPage(`#example=${ex.id}`);
  try {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-plan")]);
    assert.equal(download.suggestedFilename(), "kubeplan-plan.json");
    const text = readFileSync(await download.path(), "utf8");
    assert.ok(text === want.json, "the downloaded plan differs from the CLI's");
  } finally {
    await page.close();
  }
});

/** A parsed YAML value with each mapping as its entries in order (`[key, value]` pairs), to compare key order too. */
function inOrder(value) {
  if (value instanceof Map) return [...value].map(([k, v]) => [k, inOrder(v)]);
  if (Array.isArray(value)) return value.map(inOrder);
  return value;
}

test("the plan downloads as YAML too: the JSON download's document, each mapping's keys in the JSON's order", async () => {
  const { encodeShare } = await importBundled("share.ts");
  const ex = EXAMPLES.find((e) => e.id === "ds-ondelete");
  // node-01 gets labels whose keys a JavaScript object would reorder ("10" comes before "9" in the engine's JSON,
  // in code point order) and values that YAML 1.1 (kubectl's) or 1.2 reads as a boolean or a number unquoted.
  const nodes = ex.nodes.replace("kubernetes.io/os: linux}", 'kubernetes.io/os: linux, "10": ten, "9": nine, release: "yes", mode: "0o17", "n": "1e3"}');
  assert.notEqual(nodes, ex.nodes);
  const page = await openPage("#" + (await encodeShare({ manifests: ex.manifests, nodes, update: ex.update, steps: ex.steps })));
  try {
    const json = await downloaded(page, () => page.click("#download-plan"));
    const yaml = await downloaded(page, () => page.click("#download-plan-yaml"));
    assert.equal(json.name, "kubeplan-plan.json");
    assert.equal(yaml.name, "kubeplan-plan.yaml");
    assert.equal(await page.textContent("#share-note"), "Downloaded kubeplan-plan.yaml.");
    const jsonText = json.bytes.toString("utf8");
    const yamlText = yaml.bytes.toString("utf8");
    const doc = JSON.parse(jsonText);
    assert.ok(doc.defaultedObjects.some((d) => d.object.metadata?.labels?.["10"] === "ten"), "the labels are in the plan");
    // The same document, read as YAML 1.2 and as YAML 1.1.
    assert.deepEqual(parseYaml(yamlText), doc);
    assert.deepEqual(parseYaml(yamlText, { version: "1.1" }), doc);
    // The same keys in the same order, mapping by mapping (the JSON text read by the same package keeps its order).
    assert.deepEqual(inOrder(parseYaml(yamlText, { mapAsMap: true })), inOrder(parseYaml(jsonText, { mapAsMap: true })));
    // Same input, same output.
    const again = await downloaded(page, () => page.click("#download-plan-yaml"));
    assert.ok(again.bytes.equals(yaml.bytes), "a second YAML download differs from the first");
  } finally {
    await page.close();
  }
});

test("dark mode follows the system, editors included, and changes with it while the page is open", async () => {
  // The relative luminance of a computed `rgb(...)` colour: 0 black, 1 white.
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => Number(v) / 255);
    const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const colours = (page) =>
    page.evaluate(() => ({
      page: getComputedStyle(document.documentElement).backgroundColor,
      text: getComputedStyle(document.documentElement).color,
      panel: getComputedStyle(document.querySelector(".panel")).backgroundColor,
      editor: getComputedStyle(document.querySelector("#ed-manifests").shadowRoot.querySelector(".cm-editor")).backgroundColor,
    }));
  const page = await openPage("#example=node-name", null, "dark");
  try {
    const dark = await colours(page);
    for (const k of ["page", "panel", "editor"]) assert.ok(luminance(dark[k]) < 0.05, `${k} is dark: ${dark[k]}`);
    assert.ok(luminance(dark.text) > 0.6, `text is light: ${dark.text}`);
    await page.emulateMedia({ colorScheme: "light" });
    await page.waitForFunction(() => getComputedStyle(document.querySelector("#ed-manifests").shadowRoot.querySelector(".cm-editor")).backgroundColor === "rgb(255, 255, 255)");
    const light = await colours(page);
    for (const k of ["page", "panel", "editor"]) assert.ok(luminance(light[k]) > 0.9, `${k} is light: ${light[k]}`);
    assert.ok(luminance(light.text) < 0.05, `text is dark: ${light.text}`);
  } finally {
    await page.close();
  }
});

/** Whether the page is wider than the window (a sideways scroll of the whole page). */
const scrollsSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** The widths every example is checked at: a phone, a laptop and a wide screen. */
const WIDTHS = [{ width: 390, height: 844 }, { width: 1440, height: 900 }, { width: 2560, height: 1300 }];

/**
 * The widths of WIDTHS at which the page, in the state it is in, scrolls sideways: the window is resized to each
 * and the page given two frames to follow (what it lays out itself, on a resize, is laid out again), then put
 * back to its first width. At a width under 900 px the editors must also scroll away with the page (one column)
 * instead of staying over the results.
 */
async function widthsScrollingSideways(page) {
  const overflowing = [];
  for (const viewport of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => new Promise((settled) => requestAnimationFrame(() => requestAnimationFrame(settled))));
    if (await scrollsSideways(page)) overflowing.push(viewport.width);
    if (viewport.width < 900) assert.equal(await page.$eval(".inputs", (el) => getComputedStyle(el).position), "static");
  }
  await page.setViewportSize(WIDTHS[0]);
  return overflowing;
}

// One page per example, each of its states checked at every width: the same states as a page per width, for a
// third of the plans.
test(`no page scrolls sideways at ${WIDTHS.map((v) => v.width).join(", ")} px: every example in the map and the grid, every frame of a rollout`, async () => {
  for (const ex of EXAMPLES.filter((e) => e.id !== "large-1000")) {
    const page = await openPage(`#example=${ex.id}`, WIDTHS[0]);
    try {
      assert.equal(await page.getAttribute("#map", "data-mode"), "boxes");
      assert.deepEqual(await widthsScrollingSideways(page), [], `${ex.id}, map`);
      // With a node's taints opened and a pod's verdicts shown.
      const taints = page.locator("#map .badge-details summary");
      if (await taints.count()) await taints.first().click();
      const chip = page.locator("#map button.pod-chip");
      if (await chip.count()) {
        await chip.first().click();
        await page.waitForSelector("#detail table.verdicts, #detail p.note");
      }
      assert.deepEqual(await widthsScrollingSideways(page), [], `${ex.id}, map with details open`);
      if (ex.steps) {
        const frames = Number(await page.getAttribute("#tl-slider", "max"));
        await page.click("#tl-first");
        for (let i = 0; i < frames; i++) {
          assert.deepEqual(await widthsScrollingSideways(page), [], `${ex.id}, ${await page.textContent("#tl-label")}`);
          await page.click("#tl-next");
        }
      }
      await showGrid(page);
      assert.deepEqual(await widthsScrollingSideways(page), [], `${ex.id}, grid`);
    } finally {
      await page.close();
    }
  }
});

test("the heat map of 1,000 nodes fits 360, 390, 1440 and 2560 px, and so does a node opened from it", async () => {
  const page = await openPage("#example=large-1000", { width: 390, height: 844 });
  try {
    for (const width of [360, 390, 1440, 2560]) {
      await page.setViewportSize({ width, height: 1000 });
      await page.waitForFunction((w) => {
        const c = document.querySelector("#map canvas.heat");
        return c && c.parentElement.clientWidth - 2 === Math.round(c.getBoundingClientRect().width) && innerWidth === w;
      }, width);
      assert.equal(await scrollsSideways(page), false, `heat map at ${width} px`);
      const canvas = await page.$eval("#map canvas.heat", (c) => c.getBoundingClientRect().right);
      assert.ok(canvas <= width, `the canvas ends at ${canvas}, within ${width}`);
    }
    const box = await page.locator("#map canvas.heat").boundingBox();
    await page.mouse.click(box.x + 4, box.y + 18 + 4);
    await page.waitForSelector("#map article.map-node");
    for (const width of [360, 390, 1440, 2560]) {
      await page.setViewportSize({ width, height: 1000 });
      assert.equal(await scrollsSideways(page), false, `a node opened from the heat map at ${width} px`);
    }
  } finally {
    await page.close();
  }
});

test("a share link reproduces the input and the plan", async () => {
  const page = await openPage("#example=ds-ondelete");
  let link;
  let before;
  try {
    // An edit first, so the link carries more than an example.
    const nodes = page.locator("#ed-nodes .cm-content");
    await nodes.click();
    await page.keyboard.press("Control+End");
    const run = await page.getAttribute("#status", "data-run");
    await paste(
      page,
      "ed-nodes",
      '\n---\n{apiVersion: v1, kind: Node, metadata: {name: node-05, labels: {kubernetes.io/hostname: node-05}}, status: {capacity: {cpu: "4", memory: 8Gi, pods: "110"}, conditions: [{type: Ready, status: "True"}]}}\n',
    );
    await waitDone(page, run);
    before = await gridPods(page);
    assert.ok(before.some((p) => p.node === "node-05"), "the typed node got a pod");
    await page.click("#share");
    await page.waitForFunction(() => location.hash.startsWith("#v1="));
    link = await page.$eval("#share-link", (i) => i.value);
    assert.equal(link, await page.evaluate(() => location.href));
  } finally {
    await page.close();
  }
  const page2 = await context.newPage();
  try {
    await page2.goto(link);
    await waitDone(page2, null);
    const after = await gridPods(page2);
    assert.deepEqual(after, before);
    assert.match(await page2.locator("#ed-steps .cm-content").textContent(), /deletePod/);
    assert.match(await page2.locator("#ed-nodes .cm-content").textContent(), /node-05/);
    assert.equal(await page2.$eval("#examples", (s) => s.value), "");
  } finally {
    await page2.close();
  }
});

test("user text is never markup: a label value <img src=x onerror=alert(1)> shows as text", async () => {
  const XSS = "<img src=x onerror=alert(1)>";
  const page = await openPage("#example=node-name");
  try {
    // As a pod label (accepted by the API server? no: refused, and the refusal quotes it) and as a node label in
    // the kubectl get nodes text (refused likewise), and as a pod name in a message.
    const manifests = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {a: "${XSS}"}
spec:
  containers: [{name: c, image: "${XSS}"}]
---
apiVersion: v1
kind: Pod
metadata:
  name: ok
  labels: {note: fine}
  annotations: {x: "${XSS}"}
spec:
  nodeSelector: {zone: "${XSS}"}
  containers: [{name: c, image: "${XSS}"}]
`;
    const nodes = `NAME       STATUS   ROLES    AGE   VERSION   LABELS
worker-1   Ready    <none>   1d    v1.32.0   kubernetes.io/hostname=worker-1,evil=${XSS}
worker-2   Ready    <none>   1d    v1.32.0   kubernetes.io/hostname=worker-2
`;
    await setEditor(page, "ed-nodes", nodes);
    await setEditor(page, "ed-manifests", manifests);
    await page.waitForFunction(
      () => document.getElementById("nodes-kind").textContent.includes("2 nodes") && document.getElementById("status").dataset.state === "done" && document.getElementById("problems").textContent.includes("<img"),
    );
    const body = await page.textContent("body");
    assert.ok(body.includes(XSS), "the text is shown");
    // The node-selector message of the Pending pod, and the refusals, quote it; nothing became an element.
    assert.equal(await page.locator("img").count(), 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll("[onerror]").length), 0);
    assert.ok((await page.textContent("#problems")).includes(XSS));
    // Each refusal once: the plan's located error, lint's finding and the refusal are one problem. (The node's
    // refusal above may be from the run before the manifests were pasted, and that run's lint may never be drawn
    // once a later run supersedes it: wait for one settled state, a run done with its own lint drawn, that lists
    // the manifests' refusal.)
    await page.waitForFunction(() => {
      const status = document.getElementById("status");
      const problems = document.getElementById("problems");
      return status.dataset.state === "done" && problems.dataset.lintRun === status.dataset.run && problems.textContent.includes('Pod "p" is invalid');
    });
    const listed = await page.textContent("#problems");
    assert.equal(listed.split('Pod "p" is invalid').length - 1, 1, listed);
    // Listed among the refusals, with its place in the manifests as a button.
    const place = await page.locator("#problems li", { hasText: 'Pod "p" is invalid' }).locator("button.where").textContent();
    assert.match(place, /^manifests:5:\d+$/);
    assert.match(await page.textContent("#nodes-kind"), /^read as kubectl get nodes: 2 nodes, capacity assumed \(cpu 4, memory 8Gi, pods 110/);
    // Inline diagnostics at the table line of the refused node.
    await page.waitForFunction(() => document.getElementById("ed-nodes").shadowRoot.querySelector(".cm-lintRange-error"));
    assert.ok(!pageErrors.some((e) => e.startsWith("dialog opened")), pageErrors.join("\n"));
  } finally {
    await page.close();
  }
});

test("a lint fix is one click: the Problems list applies it, the plan runs again; a problem's place shows its line", async () => {
  const page = await openPage("#example=node-name");
  try {
    const typo = "imagePullPolice";
    const manifests = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ${typo}: Always
`;
    await setEditor(page, "ed-manifests", manifests);
    const fix = page.locator("#problems button.fix", { hasText: 'Fix: rename the field to "imagePullPolicy"' });
    await fix.first().waitFor({ timeout: 60_000 });
    // One problem, listed once, its fix not spelt "[object Object]" anywhere.
    assert.equal(await fix.count(), 1);
    assert.ok(!(await page.textContent("body")).includes("[object Object]"));

    // The place: the cursor goes to the field's line in the manifests editor.
    await page.locator("#problems button.where", { hasText: "manifests:13:9" }).click();
    await page.waitForFunction(() => document.querySelector("#ed-manifests").shadowRoot.querySelector(".cm-activeLine")?.textContent.includes("imagePullPolice"));

    const run = await page.getAttribute("#status", "data-run");
    await fix.click();
    await waitDone(page, run);
    const text = await page.locator("#ed-manifests .cm-content").textContent();
    assert.ok(text.includes("imagePullPolicy: Always") && !text.includes(typo), text);
    await page.waitForFunction((t) => !document.getElementById("problems").textContent.includes(t), typo);
    assert.equal(await page.locator("#problems button.fix").count(), 0);
  } finally {
    await page.close();
  }
});

/** Choose an example in the menu; the time from the choice to the grid drawn, and the engine's part of it. */
async function timeExample(page, id) {
  const run = await page.getAttribute("#status", "data-run");
  const t0 = Date.now();
  await page.selectOption("#examples", id);
  await waitDone(page, run, 120_000);
  return { wall: Date.now() - t0, engine: Number(await page.getAttribute("#status", "data-plan-ms")) };
}

test("the 1,000-node example: plans and renders (time printed)", async () => {
  const fmt = (t) => `${t.wall} ms (engine ${t.engine} ms)`;
  // Chosen at once after the page opened: the engine's code is still in the baseline compiler's tier.
  const page = await openPage("#example=node-exporter");
  let cold;
  let idle;
  let again;
  try {
    cold = await timeExample(page, "large-1000");
    assert.equal((await gridTable(page)).rowcount, 1001);
  } finally {
    await page.close();
  }
  // Chosen after a few seconds on the page (the worker warms the engine up once idle), and a second time.
  const page2 = await openPage("#example=node-exporter");
  try {
    await page2.waitForTimeout(4000);
    idle = await timeExample(page2, "large-1000");
    await timeExample(page2, "node-exporter");
    again = await timeExample(page2, "large-1000");
    // Every node's row, once, in name order and numbered so, with the 940 pods; a few dozen in the page at once.
    const grid = await gridTable(page2);
    assert.equal(grid.rowcount, 1001);
    assert.deepEqual(grid.rows.map((r) => r.index), Array.from({ length: 1000 }, (_, i) => i + 2));
    assert.deepEqual(grid.rows.map((r) => r.node), Array.from({ length: 1000 }, (_, i) => `node-${String(i + 1).padStart(4, "0")}`));
    assert.equal(grid.rows.flatMap((r) => r.pods).length, 940);
    assert.ok(grid.most < 100, `${grid.most} rows in the page at once`);
  } finally {
    await page2.close();
  }
  console.log(
    `1,000-node example, from choosing it to the map drawn: at once after opening the page ${fmt(cold)}; ` +
      `after 4 s on the page ${fmt(idle)}; a second time ${fmt(again)}`,
  );
});

test("grid at 1,000 nodes, keyboard only: Tab walks on past the rows drawn at first, with a visible focus ring; Enter opens a pod", async () => {
  const page = await openPage("#example=large-1000");
  try {
    await showGrid(page);
    const drawnAtFirst = await page.$$eval("#grid tbody tr[aria-rowindex]", (trs) => Math.max(...trs.map((t) => Number(t.getAttribute("aria-rowindex")))));
    /** Where the focus is: the aria-rowindex of its row, or what it is outside the rows. */
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        const row = el?.closest("#grid tr[aria-rowindex]");
        return row ? { row: Number(row.getAttribute("aria-rowindex")), pod: el.dataset.pod ?? null, ring: el.matches(":focus-visible") && getComputedStyle(el).outlineStyle !== "none" } : { outside: el?.id || el?.tagName };
      });
    // The box is reached by Tab (from the filters) and scrolls with the keys; then Tab goes from row to row.
    await page.focus("#only-used");
    await page.keyboard.press("Tab");
    assert.deepEqual(await focused(), { outside: "grid" });
    let at = { row: 0 };
    let pod = null;
    for (let i = 0; i < 400 && at.row <= drawnAtFirst + 20; i++) {
      await page.keyboard.press("Tab");
      const next = await focused();
      assert.ok(next.row >= at.row, `Tab went from row ${at.row} to ${JSON.stringify(next)}`);
      assert.ok(next.ring, `a visible focus ring on row ${next.row}`);
      at = next;
      pod = next.pod ?? pod;
    }
    assert.ok(at.row > drawnAtFirst + 20, `Tab reached row ${at.row}; ${drawnAtFirst} rows were drawn at first`);
    // Enter on the last pod reached opens it.
    while ((await focused()).pod !== pod) await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.waitForFunction((k) => document.querySelector("#detail h3")?.textContent === k && document.querySelector("#detail table.verdicts"), pod);
  } finally {
    await page.close();
  }
});

/**
 * A warm re-plan at 1,000 nodes, from the paste to the map drawn, the median of REPLAN_EDITS edits. Issue #18's
 * target is REPLAN_TARGET_MS: on the shared 2-core machine the tests run on, the medians were 264 to 299 ms in some
 * runs and 398 to 694 ms in others (loads of 4 to 9), the engine's part (two thirds or more) moving with the load.
 * So the target is printed, met or not, and what is asserted is what holds there with margin: the whole within
 * REPLAN_BOUND_MS, and the page's own part (all but the engine: the debounce, the messages, reading the engine's
 * answer, the summary and the drawing) within PAGE_PART_MS. The page's part was 66 to 147 ms; before #18 (a 250 ms
 * debounce, the full plan read, a task per step of the drawing) it was about 400 ms.
 */
const REPLAN_TARGET_MS = 300;
const REPLAN_BOUND_MS = 1000;
const PAGE_PART_MS = 250;
const REPLAN_EDITS = 7;

/** Run `run`'s measures (src/timing.ts): its parts and the whole (`run`), each `{start, end}` on the page's clock. */
async function runMeasures(page, run) {
  return page.evaluate(
    (r) =>
      Object.fromEntries(
        performance
          .getEntriesByType("measure")
          .filter((m) => m.name.startsWith("kubeplan: ") && m.detail?.run === r)
          .map((m) => [m.name.slice("kubeplan: ".length), { start: m.startTime, end: m.startTime + m.duration }]),
      ),
    Number(run),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
/** `median ms (min–max)`. */
const spread = (xs) => `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;

test(`the 1,000-node example: a re-plan after an edit, warm, within ${REPLAN_BOUND_MS} ms, the page's part within ${PAGE_PART_MS} ms (the target ${REPLAN_TARGET_MS} ms; times and their parts printed)`, { timeout: 300_000 }, async () => {
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const page = await openPage("#example=node-exporter");
  try {
    const first = await timeExample(page, "large-1000");
    let run = await waitRunAndLint(page, null, "1000 nodes, 940 pods");
    await page.waitForTimeout(2000); // the worker warms the engine up once idle
    // Edits one after the other, each once the last one's plan and lint are done: from the paste to the map
    // drawn, and each part of that time (the page's measures).
    const totals = [];
    const pageParts = [];
    const parts = {};
    for (let i = 1; i <= REPLAN_EDITS; i++) {
      await page.locator("#ed-manifests .cm-content").click();
      await page.keyboard.press("Control+A");
      const pastedAt = await paste(page, "ed-manifests", ex.manifests.replace("replicas: 40", `replicas: ${40 + i}`));
      run = await waitRunAndLint(page, run, `1000 nodes, ${940 + i} pods`);
      const measures = await runMeasures(page, run);
      assert.ok(measures.run && measures.engine && measures.draw, `run ${run} measured: ${Object.keys(measures)}`);
      const total = measures.run.end - pastedAt;
      totals.push(total);
      pageParts.push(total - (measures.engine.end - measures.engine.start));
      for (const [name, m] of Object.entries(measures)) (parts[name] ??= []).push(m.end - m.start);
    }
    const breakdown = Object.entries(parts).filter(([name]) => name !== "run").map(([name, xs]) => `${name} ${spread(xs)}`);
    const met = median(totals) <= REPLAN_TARGET_MS ? "met" : "not met";
    console.log(
      `1,000 nodes in the map: first plan ${first.wall} ms (engine ${first.engine} ms); a re-plan after an edit, ${REPLAN_EDITS} edits, ` +
        `from the paste to the map drawn: ${spread(totals)} [${totals.map(Math.round).join(", ")}] (the target ${REPLAN_TARGET_MS} ms ${met}; ` +
        `the page's part ${spread(pageParts)}); its parts: ${breakdown.join(", ")}`,
    );
    assert.ok(median(totals) <= REPLAN_BOUND_MS, `a re-plan took ${Math.round(median(totals))} ms (median of ${REPLAN_EDITS}), over ${REPLAN_BOUND_MS} ms`);
    assert.ok(median(pageParts) <= PAGE_PART_MS, `the page's part of a re-plan took ${Math.round(median(pageParts))} ms (median), over ${PAGE_PART_MS} ms`);
    // The page holds the first 200 events; the rest come from the worker when asked for (allEventsInPage).
    assert.equal(await page.locator("#events tbody tr").count(), 200);
  } finally {
    await page.close();
  }
});

test("an edit made while a plan is under way is planned next, and the answer overtaken is not drawn", async () => {
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const page = await openPage("#example=large-1000");
  try {
    const run = await waitRunAndLint(page, null, "1000 nodes, 940 pods");
    // Every status the page shows from here on.
    await page.evaluate(() => {
      const status = document.getElementById("status");
      window.__statuses = [];
      new MutationObserver(() => window.__statuses.push(`${status.dataset.state} ${status.textContent}`)).observe(status, { childList: true, characterData: true, subtree: true });
    });
    await page.locator("#ed-manifests .cm-content").click();
    await page.keyboard.press("Control+A");
    await paste(page, "ed-manifests", ex.manifests.replace("replicas: 40", "replicas: 41"));
    // A 1,000-node plan takes a few hundred milliseconds: the second edit comes while the first is planned.
    assert.equal(await page.getAttribute("#status", "data-state"), "planning");
    await page.keyboard.press("Control+A");
    await paste(page, "ed-manifests", ex.manifests.replace("replicas: 40", "replicas: 42"));
    await waitRunAndLint(page, run, "1000 nodes, 942 pods");
    const done = (await page.evaluate(() => window.__statuses)).filter((s) => s.startsWith("done "));
    assert.equal(done.length, 1, done.join("\n"));
    assert.match(done[0], /^done 1000 nodes, 942 pods/);
  } finally {
    await page.close();
  }
});

/**
 * Click the events' "Show all" and wait for the table of every event: `{count, drawn}`, the events in the table
 * (its aria-rowcount, less the header) and the rows in the page.
 */
async function showAllEvents(page) {
  const count = Number(await page.getAttribute("#events [data-events]", "data-events"));
  await page.click("#events button");
  await page.waitForFunction((n) => document.querySelector("#events table.all")?.getAttribute("aria-rowcount") === String(n + 1) && document.querySelector("#events tbody tr[aria-rowindex]"), count);
  return { count, drawn: await page.locator("#events tbody tr[aria-rowindex]").count() };
}

/** The events' rows in the page: `{index, text}` by aria-rowindex (the header is row 1). */
const eventRowsInPage = (page) =>
  page.$$eval("#events tbody tr[aria-rowindex]", (trs) => trs.map((tr) => ({ index: Number(tr.getAttribute("aria-rowindex")), text: [...tr.cells].map((td) => td.textContent).join("|") })));

/** An event as its row shows it, cells joined by "|". */
const eventRowText = (e) =>
  [e.phase, String(e.round), e.type, e.reason, `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`, e.source?.component ?? "", `${e.message}${e.count > 1 ? ` (×${e.count})` : ""}`].join("|");

test("every event of the 1,000-node example, shown on request: only the rows near the box's view in the page, each the CLI's event at its place, scrolled to the end", async () => {
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes }).doc.events.map(eventRowText);
  const page = await openPage("#example=large-1000");
  try {
    await waitRunAndLint(page, null, "1000 nodes, 940 pods");
    const { count, drawn } = await showAllEvents(page);
    assert.equal(count, want.length);
    assert.ok(want.length > 1000 && drawn > 0 && drawn <= 200, `${want.length} events, ${drawn} rows in the page`);
    const same = async (where) => {
      const rows = await eventRowsInPage(page);
      assert.ok(rows.length > 0 && rows.length <= 200, `${where}: ${rows.length} rows in the page`);
      for (const r of rows) assert.equal(r.text, want[r.index - 2], `${where}: row ${r.index}`);
      return rows;
    };
    assert.equal((await same("at the top"))[0].index, 2);
    // The middle, then the end: the rows there are made as the box scrolls.
    await page.$eval("#events", (box) => (box.scrollTop = box.scrollHeight / 2));
    await page.waitForFunction(() => Number(document.querySelector("#events tbody tr[aria-rowindex]").getAttribute("aria-rowindex")) > 100);
    await same("in the middle");
    await page.$eval("#events", (box) => (box.scrollTop = box.scrollHeight));
    await page.waitForFunction((n) => document.querySelector(`#events tbody tr[aria-rowindex="${n + 1}"]`), want.length);
    const end = await same("at the end");
    assert.equal(end.at(-1).index, want.length + 1);
    // The last row is in the box's view, above the count.
    const seen = await page.$eval("#events", (box) => {
      const rows = box.querySelectorAll("tbody tr[aria-rowindex]");
      const last = rows[rows.length - 1].getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return last.bottom <= b.bottom + 1 && last.top >= b.top;
    });
    assert.ok(seen, "the last event's row is in the box's view");
  } finally {
    await page.close();
  }
});

test("a re-plan keeps the events' rows that still show the same event, and makes the others again", async () => {
  const ex = EXAMPLES.find((e) => e.id === "bin-packing");
  const texts = { manifests: ex.manifests, nodes: ex.nodes, scheduler: ex.scheduler };
  const rowsText = (events) => events.slice(0, 200).map(eventRowText);
  const page = await openPage("#example=bin-packing");
  try {
    const run = await page.getAttribute("#status", "data-run");
    const before = rowsText(cliFor(texts).doc.events);
    // Each row drawn now is tagged with its place; a row kept by the next drawing keeps its tag.
    assert.deepEqual(await page.$$eval("#events tbody tr", (trs) => trs.map((tr, i) => ((tr.__drawnAt = i), [...tr.cells].map((td) => td.textContent).join("|")))), before);
    const edited = { ...texts, manifests: ex.manifests.replace("replicas: 3", "replicas: 4") };
    assert.notEqual(edited.manifests, ex.manifests);
    await setEditor(page, "ed-manifests", edited.manifests);
    await waitDone(page, run);
    const after = rowsText(cliFor(edited).doc.events);
    const rows = await page.$$eval("#events tbody tr", (trs) => trs.map((tr) => ({ text: [...tr.cells].map((td) => td.textContent).join("|"), drawnAt: tr.__drawnAt })));
    // What a first drawing of the new plan shows, row for row.
    assert.deepEqual(rows.map((r) => r.text), after);
    // A row is the one drawn before exactly when the event in its place is the same.
    const kept = rows.map((r, i) => r.drawnAt === i);
    assert.deepEqual(kept, after.map((text, i) => before[i] === text));
    assert.ok(kept.includes(true) && kept.includes(false), `an edit that changes some events and not others: ${kept}`);
  } finally {
    await page.close();
  }
});

/**
 * Records every long task (over 50 ms) of the page's main thread in window.__longTasks, from the start, and the
 * long animation frames' scripts (which callback ran how long) in window.__frames, to say what a long task was.
 */
function recordLongTasks() {
  window.__longTasks = [];
  window.__frames = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__frames.push({ start: e.startTime, duration: e.duration, scripts: e.scripts.map((s) => ({ invoker: s.invoker, duration: s.duration, source: s.sourceFunctionName })) });
      }
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch {
    // A browser without long animation frames: the tasks alone are measured.
  }
}

/** The long tasks that ended after `from` (the page's clock), each said with what ran in it. */
async function longTasksSince(page, from) {
  const { tasks, frames } = await page.evaluate(
    (t) => ({ tasks: window.__longTasks.filter((x) => x.start + x.duration >= t), frames: window.__frames.filter((f) => f.start + f.duration >= t) }),
    from,
  );
  // What ran in each long task: the scripts of the animation frame it fell in (the worker's message, a timer of
  // the page's drawing, CodeMirror's parsing in idle time, ...).
  const what = (t) => {
    const f = frames.find((x) => x.start <= t.start + 1 && t.start < x.start + x.duration);
    const scripts = (f?.scripts ?? []).filter((s) => s.duration >= 10).map((s) => `${s.invoker}${s.source ? ` ${s.source}` : ""} ${Math.round(s.duration)}`);
    return `${Math.round(t.duration)} ms${scripts.length ? ` [${scripts.join("; ")}]` : " [style, layout, paint]"}`;
  };
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  return { longest, said: `${tasks.length} main-thread task(s) over 50 ms, the longest ${Math.round(longest)} ms${tasks.length ? ": " + tasks.map(what).join(", ") : ""}` };
}

/**
 * Chromium's trace of the page's main thread, from now until the returned function is called: it resolves to
 * `since(from)`, the longest top-level task that ended after `from` (the page's clock) in the thread's own time
 * (CPU time, the trace's `tdur`), with its wall-clock time. On a machine shared with other jobs a task's wall time
 * is stretched by the jobs the thread waits for; its thread time is the page's own work.
 */
async function traceMainThread(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Tracing.start", { transferMode: "ReturnAsStream", traceConfig: { includedCategories: ["toplevel", "blink.user_timing"] } });
  // A mark on both clocks: the page's (performance.now) and the trace's (microseconds).
  const markAt = await page.evaluate(() => performance.mark("e2e: trace clock").startTime);
  return async () => {
    const complete = new Promise((ok) => cdp.once("Tracing.tracingComplete", ok));
    await cdp.send("Tracing.end");
    const { stream } = await complete;
    const chunks = [];
    for (let eof = false; !eof; ) {
      const r = await cdp.send("IO.read", { handle: stream, size: 1 << 20 });
      chunks.push(Buffer.from(r.data, r.base64Encoded ? "base64" : "utf8"));
      eof = r.eof;
    }
    await cdp.send("IO.close", { handle: stream });
    await cdp.detach();
    const raw = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const events = Array.isArray(raw) ? raw : raw.traceEvents;
    // The mark, made on the page's main thread, names that thread too.
    const mark = events.find((e) => e.name === "e2e: trace clock");
    assert.ok(mark, "the trace has the page's mark");
    // Top-level tasks of the main thread, nested ones left out.
    const tasks = [];
    for (const e of events.filter((e) => e.pid === mark.pid && e.tid === mark.tid && e.ph === "X" && e.name === "ThreadControllerImpl::RunTask").sort((a, b) => a.ts - b.ts)) {
      const last = tasks.at(-1);
      if (!last || e.ts >= last.ts + last.dur) tasks.push(e);
    }
    return (from) => {
      const since = tasks.filter((t) => t.ts + t.dur >= mark.ts + (from - markAt) * 1000);
      const longest = since.reduce((a, t) => ((t.tdur ?? 0) > (a?.tdur ?? -1) ? t : a), null);
      return { thread: (longest?.tdur ?? 0) / 1000, wall: (longest?.dur ?? 0) / 1000, tasks: since.length };
    };
  };
}

/** When the answer of the run shown arrived, on the page's clock. */
const arrivedAt = async (page) => Number(await page.getAttribute("#status", "data-arrived-at"));

/** Wait until `runPrefix` is drawn (a run newer than `previousRun`) and its lint too. */
async function waitRunAndLint(page, previousRun, statusPrefix) {
  await page.waitForFunction(
    ({ prev, prefix }) => {
      const s = document.getElementById("status");
      return s.dataset.run !== prev && s.dataset.state === "done" && s.textContent.startsWith(prefix);
    },
    { prev: previousRun, prefix: statusPrefix },
    { timeout: 480_000 },
  );
  const shown = await page.getAttribute("#status", "data-run");
  await page.waitForFunction((r) => document.getElementById("problems").dataset.lintRun === r, shown, { timeout: 240_000 });
  return shown;
}

/** The playground issue's bar (#18): no main-thread task over 100 ms of the page's own work. */
const ISSUE_TASK_MS = 100;

/**
 * The long tasks from now to the end of `act`, both ways: on the clock (`longest`, `said`, what the user waits)
 * and in the main thread's own time (`thread`, the longest of the `threadTasks` in Chromium's trace). With
 * `since`, the count starts where it says once `act` is done (the page's clock: when a plan arrived, say).
 */
async function tasksDuring(page, act, since = null) {
  const traced = await traceMainThread(page);
  const now = await page.evaluate(() => performance.now());
  await act();
  const start = since ? await since() : now;
  const clock = await longTasksSince(page, start);
  const own = (await traced())(start);
  return { ...clock, thread: own.thread, threadTasks: own.tasks, said: `${clock.said}; the longest in the main thread's own time ${Math.round(own.thread)} ms (${Math.round(own.wall)} ms on the clock) of ${own.tasks} tasks` };
}

/**
 * Assert that no task measured by tasksDuring broke `bar` (ms) of the main thread's own time, nor CLOCK_TASK_MS on
 * the clock. The bars of the playground issue (#18) are the page's own work; on the clock a task is also stretched
 * by whatever else the machine runs (HEAT_TASK_MS's note).
 */
function assertFluid(what, measured, bar) {
  assert.ok(measured.threadTasks > 0, `${what}: the trace has the main thread's tasks`);
  assert.ok(measured.thread < bar, `${what}: a task took ${Math.round(measured.thread)} ms of the main thread's own time, the bar is ${bar}`);
  assert.ok(measured.longest < CLOCK_TASK_MS, `${what}: a task took ${Math.round(measured.longest)} ms on the clock, the bar is ${CLOCK_TASK_MS}`);
}

/**
 * At 10,000 nodes, issue #18's bar is "no main-thread task over 100 ms after the plan arrives". On the shared 2-core
 * machine the tests run on (loads of 4 to 7, other jobs at the browser's own priority) a task's time on the clock is
 * stretched by the jobs the page's thread waits for: a task of 13 to 43 ms of the thread's own time (Chromium's
 * trace) measured up to 157 ms on the clock. So two bars:
 * - HEAT_THREAD_MS, the longest task in the main thread's own time (traceMainThread). Measured after the fixes (the
 *   events' rows a part per frame, the heat map painted once, the 2.6 MB nodes text not parsed whole): after the
 *   first plan 17 to 43 ms (10 runs, median 18: the 43 was the task that decodes the answer and starts the
 *   drawing, a garbage collection in it), after the re-plan 13 to 30 ms. Before them, after the first plan 59 to 112 ms (7
 *   runs: the frame that laid out the 200 event rows with the heat map, CodeMirror's idle parse of the text), after
 *   the re-plan 24 to 28 ms. 75 ms leaves a garbage collection's margin over the 43.
 * - HEAT_TASK_MS on the clock, what the user waits. After, over 15 runs: the first plan under 50 to 157 ms (median
 *   69), the re-plan under 50 to 128 ms (median 56); before (4 runs), the first plan 112 to 245 ms (the 245 printed
 *   by main's run; it was not asserted then), the re-plan 56 to 73 ms. With this machine's load a task was seen at
 *   209 ms on the clock once (the re-plan, in a probe outside the test): the bar stays 250 ms.
 */
const HEAT_TASK_MS = 250;
const HEAT_THREAD_MS = 75;
/**
 * The bar on the clock of the tests that bound main-thread tasks with assertFluid, whose bars are the page's own
 * time: a freeze the user would see, not the machine's load. Under load a task is stretched well past its own
 * time: the 999 boxes' drawing was measured at 215 to 278 ms on the clock for at most 72 ms of its own.
 */
const CLOCK_TASK_MS = 500;

test(`10,000 nodes: the heat map, the nodes text highlighted in the lines drawn, and no main-thread task over ${HEAT_TASK_MS} ms after either plan arrives (longest printed)`, { timeout: 900_000 }, async () => {
  const { generatedNodes } = await importBundled("examples.ts");
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const page = await openPage("#example=node-exporter", null, null, recordLongTasks);
  try {
    // The nodes first, planned with the example's DaemonSet: the first plan of 10,000 nodes.
    let run = await page.getAttribute("#status", "data-run");
    let t0 = Date.now();
    let traced = await traceMainThread(page);
    const pastedAt = await page.evaluate(() => performance.now());
    await setEditor(page, "ed-nodes", generatedNodes(10_000));
    await page.click("#h-grid"); // the results are looked at: the editor loses focus
    run = await waitRunAndLint(page, run, "10000 nodes, ");
    const first = { wall: Date.now() - t0, engine: await page.getAttribute("#status", "data-plan-ms") };
    const firstArrived = Number(await page.getAttribute("#status", "data-arrived-at"));
    const firstTasks = await longTasksSince(page, firstArrived);
    // The 2.6 MB text is not parsed whole (over editors.ts's WHOLE_PARSE_MAX): since the paste no long animation
    // frame ran CodeMirror's idle parse (before, 25 to 27 such frames, up to 230 ms), and the lines drawn are
    // highlighted as YAML all the same, each key as the manifests' keys are.
    await page.waitForTimeout(1000);
    const parsing = await page.evaluate((from) => window.__frames.filter((f) => f.start >= from && f.scripts.some((s) => s.invoker === "IdleRequestCallback")).length, pastedAt);
    const highlighted = await page.$eval("#ed-nodes", (el) =>
      [...el.shadowRoot.querySelectorAll(".cm-line")].filter((l) => l.textContent.startsWith("{apiVersion")).map((l) => [...l.querySelectorAll("span")].map((s) => `${s.textContent} ${s.className}`)),
    );
    const keyClass = () => page.$eval("#ed-manifests", (el) => [...el.shadowRoot.querySelectorAll(".cm-line span")].find((s) => s.textContent === "apiVersion")?.className);
    const key = await keyClass();
    assert.equal(parsing, 0, "CodeMirror parsed the 2.6 MB text in idle time");
    assert.ok(key && highlighted.length >= 3, `lines drawn: ${highlighted.length}, the manifests' key class: ${key}`);
    for (const spans of highlighted) assert.deepEqual(spans.slice(0, 3), [`apiVersion ${key}`, `kind ${key}`, `metadata ${key}`]);
    await page.waitForFunction(() => window.__longTasks.every((t) => performance.now() - (t.start + t.duration) > 2000), null, { timeout: 120_000, polling: 250 });
    const firstThread = (await traced())(firstArrived);

    // Then the manifests: the plan measured.
    t0 = Date.now();
    traced = await traceMainThread(page);
    await setEditor(page, "ed-manifests", ex.manifests);
    await page.click("#h-grid");
    await waitRunAndLint(page, run, "10000 nodes, 9040 pods");
    const wall = Date.now() - t0;
    await page.waitForTimeout(1000);
    assert.equal(await page.getAttribute("#map", "data-mode"), "heat");
    const groups = await page.$$eval("#map .heat-group", (bs) => bs.map((b) => b.textContent));
    assert.deepEqual(groups, ["zone-a (2,500)", "zone-b (2,500)", "zone-c (2,500)", "zone-d (2,500)"]);
    // The map answers at once: a cell said on focus, a node opened.
    await page.focus("#map canvas.heat");
    await page.keyboard.press("End");
    // The last cell: zone-d's last node in name order.
    assert.ok((await page.textContent("#heat-status")).startsWith("node-9996 · topology.kubernetes.io/zone=zone-d · "));
    const arrived = Number(await page.getAttribute("#status", "data-arrived-at"));
    const measured = await longTasksSince(page, arrived);
    const thread = (await traced())(arrived);
    /** The longest task in the thread's own time, said. */
    const own = (t) => `the longest in the main thread's own time ${Math.round(t.thread)} ms (${Math.round(t.wall)} ms on the clock) of ${t.tasks} tasks`;
    console.log(
      `10,000 nodes: the nodes pasted, planned with a DaemonSet in ${first.engine} ms by the engine, ${first.wall} ms from the paste to the map; after that plan arrived, ${firstTasks.said}; ${own(firstThread)}. ` +
        `Then the manifests pasted (9,040 pods): planned in ${await page.getAttribute("#status", "data-plan-ms")} ms, ${wall} ms from the paste to the map; after the plan arrived, ${measured.said}; ${own(thread)}`,
    );
    assert.ok(firstTasks.longest < HEAT_TASK_MS, `the longest main-thread task after the first plan arrived took ${Math.round(firstTasks.longest)} ms`);
    assert.ok(measured.longest < HEAT_TASK_MS, `the longest main-thread task after the plan arrived took ${Math.round(measured.longest)} ms`);
    assert.ok(firstThread.tasks > 0 && thread.tasks > 0, "the trace has the tasks after each plan arrived");
    assert.ok(firstThread.thread < HEAT_THREAD_MS, `after the first plan arrived, a task took ${Math.round(firstThread.thread)} ms of the main thread's own time`);
    assert.ok(thread.thread < HEAT_THREAD_MS, `after the plan arrived, a task took ${Math.round(thread.thread)} ms of the main thread's own time`);
    // The timeline of so large a plan comes without its actions; moving it asks the worker for them.
    const steps = Number(await page.getAttribute("#tl-slider", "max"));
    t0 = Date.now();
    let firstFrame;
    const moved = await tasksDuring(page, async () => {
      await page.click("#tl-first");
      await page.waitForFunction((n) => document.getElementById("tl-label").textContent === `initial, round 1 (1 of ${n})`, steps);
      firstFrame = Date.now() - t0;
      await page.waitForTimeout(1000);
    });
    // The issue's bar. Measured in the thread's own time: 37 ms since the round's actions are rows drawn near their
    // box's view; 65 to 84 ms (5 runs) with all of them laid out as list items in a task of their own, and 117 and
    // 134 ms (CI) later; 101 and 115 ms with the map in the same task.
    assertFluid("after the timeline was first moved", moved, ISSUE_TASK_MS);
    assert.ok((await page.textContent("#tl-actions")).includes("create pod/log-agent-"));
    const actionRows = await page.$eval("#tl-actions table", (t) => ({ count: Number(t.getAttribute("aria-rowcount")) - 1, drawn: t.querySelectorAll("tbody tr:not(.row-spacer)").length }));
    assert.ok(actionRows.count > 200 && actionRows.drawn > 0 && actionRows.drawn < 100, `the round's actions: ${JSON.stringify(actionRows)}`);
    await page.click("#tl-last");
    await page.waitForFunction(() => document.getElementById("tl-label").textContent.startsWith("Final state"));
    console.log(`10,000 nodes: the timeline's first round shown ${firstFrame} ms after the click (its ${steps} rounds' actions fetched from the worker and replayed); after the click, ${moved.said}`);
    // Every event, asked for: only the rows near the events box's view are made (before, all 18,000 rows at once
    // held the page for close to a second).
    let events;
    const showAll = await tasksDuring(page, async () => {
      events = await showAllEvents(page);
      await page.waitForTimeout(1000);
    });
    console.log(`10,000 nodes: every event shown (${events.count}, ${events.drawn} rows in the page); after the click, ${showAll.said}`);
    assert.ok(events.count > 10_000 && events.drawn <= 200, `${events.count} events, ${events.drawn} rows in the page`);
    // The issue's bar: 38 ms of the thread's own time measured since the row window's widths and heights (5e4fb10).
    assertFluid('after "Show all"', showAll, ISSUE_TASK_MS);
    // In dark mode (the editors' theme changes while the page is open) the lines drawn take the dark theme's
    // highlighting, as the manifests do.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.waitForFunction((light) => [...document.querySelector("#ed-manifests").shadowRoot.querySelectorAll(".cm-line span")].find((s) => s.textContent === "apiVersion")?.className !== light, key);
    const darkKey = await keyClass();
    const darkNodeKey = await page.$eval("#ed-nodes", (el) => [...el.shadowRoot.querySelectorAll(".cm-line span")].find((s) => s.textContent === "apiVersion")?.className);
    assert.equal(darkNodeKey, darkKey, "the nodes' keys in dark mode");
    await page.emulateMedia({ colorScheme: "light" });
  } finally {
    await page.close();
  }
});

// While the map's picture is made (laid out, written as SVG, painted as PNG), the page keeps answering: the PNG
// within the issue's bar (#18), as the grid; the SVG's text is one XMLSerializer call at the end, 1.6 MB at 999
// nodes, measured at 50 to 90 ms on this shared machine: a wider bar.
const PNG_TASK_MS = 100;
const SVG_TASK_MS = 150;

test("999 nodes, just under the heat map: every node's box, drawn a hundred at a time; downloaded as PNG with no task over 100 ms, its progress shown, and as SVG (longest tasks printed)", { timeout: 300_000 }, async () => {
  const { generatedNodes } = await importBundled("examples.ts");
  const page = await openPage("#example=large-1000", null, null, recordLongTasks);
  try {
    const run = await page.getAttribute("#status", "data-run");
    const measured = await tasksDuring(page, async () => {
      await setEditor(page, "ed-nodes", generatedNodes(999));
      await page.click("#h-grid");
      await waitRunAndLint(page, run, "999 nodes, ");
      assert.equal(await page.getAttribute("#map", "data-mode"), "boxes");
      // The boxes past the first hundred come a hundred per task: all of them, and no more.
      await page.waitForFunction(() => document.querySelectorAll("#map article.map-node").length >= 999);
      assert.equal(await page.locator("#map article.map-node").count(), 999);
      assert.deepEqual(await page.$$eval("#map .map-group", (gs) => gs.map((g) => [g.dataset.group, g.querySelectorAll("article").length])), [
        ["zone-a", 250],
        ["zone-b", 250],
        ["zone-c", 250],
        ["zone-d", 249],
      ]);
      await quiet(page);
    }, () => arrivedAt(page));
    console.log(`999 nodes in boxes: after the plan arrived, ${measured.said}`);
    assertFluid("after the plan arrived", measured, ISSUE_TASK_MS);

    // The boxes as PNG: painted off the main thread, the note and a progress bar saying how far.
    await quiet(page);
    await page.evaluate(() => {
      const bar = document.querySelector(".map-download-progress");
      window.__progress = [];
      new MutationObserver(() => window.__progress.push(bar.hidden ? "hidden" : bar.value)).observe(bar, { attributes: true, attributeFilter: ["hidden", "value"] });
    });
    let t0 = Date.now();
    let atOnce = "";
    let pngFile;
    let pngMs;
    const pngTasks = await tasksDuring(page, async () => {
      pngFile = await downloaded(page, async () => {
        await page.click("#map-download-png");
        atOnce = await page.textContent(".map-download-note");
      });
      pngMs = Date.now() - t0;
      await page.waitForTimeout(500);
    });
    console.log(`999 nodes in boxes, the PNG: downloaded ${pngMs} ms after the click; ${pngTasks.said}`);
    assert.equal(atOnce, "Making the PNG…");
    const note = await page.textContent(".map-download-note");
    const [, width, height] = /^Downloaded kubeplan-map\.png: (\d+) × (\d+) px/.exec(note) ?? [];
    assert.deepEqual(readPng(pngFile.bytes).size, [Number(width), Number(height)], note);
    const progress = await page.evaluate(() => window.__progress);
    const shares = progress.filter((v) => v !== "hidden");
    assert.ok(shares.length >= 2 && shares.every((v, i) => i === 0 || v > shares[i - 1]) && shares.at(-1) === 1, `the progress bar's values: ${progress.join(", ")}`);
    assert.equal(progress.at(-1), "hidden", "the progress bar is hidden once the PNG is made");

    // The boxes as SVG: laid out and written a few milliseconds per task.
    t0 = Date.now();
    let svgFile;
    let svgMs;
    const svgTasks = await tasksDuring(page, async () => {
      svgFile = await downloaded(page, () => page.click("#map-download-svg"));
      svgMs = Date.now() - t0;
      await page.waitForTimeout(500);
    });
    console.log(`999 nodes in boxes, the SVG: downloaded ${svgMs} ms after the click; ${svgTasks.said}`);
    assert.equal((await readSvg(page, svgFile.bytes.toString("utf8"))).nodes.length, 999);
    assertFluid("the PNG", pngTasks, PNG_TASK_MS);
    assertFluid("the SVG", svgTasks, SVG_TASK_MS);
  } finally {
    await page.close();
  }
});

/** Wait until the page's main thread has had no long task for 2 s (CodeMirror parsing a large text in idle time). */
function quiet(page) {
  return page.waitForFunction(() => window.__longTasks.every((t) => performance.now() - (t.start + t.duration) > 2000), null, { timeout: 240_000, polling: 250 });
}

/** Two animation frames: what a scroll or an input made is drawn. */
const frames = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

/** The grid's rows in the page now: node (data-node, "" for Pending) and aria-rowindex, in order. */
const gridRowsShown = (page) => page.$$eval("#grid tbody tr[aria-rowindex]", (trs) => trs.map((t) => ({ node: t.dataset.node, index: Number(t.getAttribute("aria-rowindex")) })));

// The grid's bar, from the playground issue: "no main-thread task over 100 ms after the plan arrives". Measured on
// this 2-core machine shared with other jobs, see the figures printed.
const GRID_TASK_MS = 100;

test("10,000 nodes in the grid: rows drawn near the view only; switching to it, scrolling to the end and typing a filter, no main-thread task over 100 ms (longest printed)", { timeout: 900_000 }, async () => {
  const { generatedNodes } = await importBundled("examples.ts");
  const { encodeShare } = await importBundled("share.ts");
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const nodes = generatedNodes(10_000);
  // The grid's rows are in name order (code unit order, as Array.prototype.sort has it).
  const names = [...nodes.matchAll(/metadata: \{name: ([^,]+),/g)].map((m) => m[1]).sort();
  assert.equal(names.length, 10_000);
  // A share link carries both texts: one plan of 10,000 nodes and 9,040 pods.
  const page = await openPage("#" + (await encodeShare({ manifests: ex.manifests, nodes })), null, null, recordLongTasks, 480_000);
  try {
    assert.match(await page.textContent("#status"), /^10000 nodes, 9040 pods/);
    await page.waitForFunction(() => document.getElementById("problems").dataset.lintRun === document.getElementById("status").dataset.run, null, { timeout: 240_000 });
    await quiet(page);
    /** Do `act`, then give the page a second for what it left to later tasks; the long tasks from the start, said. */
    const measure = async (what, act) => {
      const m = await tasksDuring(page, async () => {
        await act();
        await page.waitForTimeout(1000);
      });
      console.log(`10,000 nodes in the grid, ${what}: ${m.said}`);
      return m;
    };
    const switched = await measure("switching to it", async () => {
      await page.click("#view-grid");
      await page.waitForSelector("#grid table.grid");
    });
    const rowcount = await page.getAttribute("#grid table.grid", "aria-rowcount");
    const drawnAtFirst = (await gridRowsShown(page)).length;

    const scrolled = await measure("scrolling to the end", async () => {
      await page.$eval("#grid", (box) => (box.scrollTop = box.scrollHeight));
      await frames(page);
    });
    // The last node's row is there, in view, said to be the last row.
    const last = names.at(-1);
    const lastRow = await page.$eval(`#grid tr[data-node="${last}"]`, (tr) => {
      const box = document.getElementById("grid").getBoundingClientRect();
      const row = tr.getBoundingClientRect();
      return { index: Number(tr.getAttribute("aria-rowindex")), inView: row.top >= box.top && row.bottom <= box.bottom + 1 };
    });

    // The rows that the filter keeps in view stay the same elements (a filter does not draw every row again).
    await page.$eval(`#grid tr[data-node="${last}"]`, (tr) => (tr.kept = true));
    const filtered = await measure('typing the filter "node-99"', async () => {
      await page.focus("#node-filter");
      await page.keyboard.type("node-99");
      await page.waitForFunction(() => document.querySelector("#grid caption")?.textContent.includes("(9900 nodes hidden by the filter)"));
      await frames(page);
    });
    const afterFilter = await gridRowsShown(page);
    const kept = await page.$eval(`#grid tr[data-node="${last}"]`, (tr) => tr.kept === true);
    const filteredCount = await page.getAttribute("#grid table.grid", "aria-rowcount");

    // What the user sees, then the figures.
    assert.equal(rowcount, "10001", "aria-rowcount: the header row and every node's");
    assert.ok(drawnAtFirst > 5 && drawnAtFirst < 200, `rows drawn at first: ${drawnAtFirst}`);
    assert.deepEqual(lastRow, { index: 10_001, inView: true }, `${last}'s row after scrolling to the end`);
    assert.equal(filteredCount, "101");
    assert.ok(afterFilter.length > 5 && afterFilter.every((r) => r.node.includes("node-99")), JSON.stringify(afterFilter.slice(0, 5)));
    assert.deepEqual(afterFilter.map((r) => r.index), afterFilter.map((_, i) => afterFilter[0].index + i), "aria-rowindex counts the filtered rows");
    assert.ok(kept, `${last}'s row, in view before and after the filter, is the same element`);
    for (const [what, m] of [["switching", switched], ["scrolling", scrolled], ["filtering", filtered]]) assertFluid(what, m, GRID_TASK_MS);

    // A cell far down opens its pod's verdicts: the last node's pod, after the filter is cleared.
    await page.fill("#node-filter", "");
    await page.waitForFunction(() => !document.querySelector("#grid caption")?.textContent.includes("hidden"));
    await page.$eval("#grid", (box) => (box.scrollTop = box.scrollHeight));
    await frames(page);
    const pod = page.locator(`#grid tr[data-node="${last}"] button.pod`).first();
    const key = await pod.getAttribute("data-pod");
    await pod.click();
    await page.waitForFunction((k) => document.querySelector("#detail h3")?.textContent === k && document.querySelector("#detail table.verdicts"), key, { timeout: 240_000 });
    assert.equal(await page.getAttribute(`#grid button.pod[data-pod="${key}"]`, "aria-pressed"), "true");
  } finally {
    await page.close();
  }
});

// The map's filter at 10,000 nodes: the bar of the playground issue (#18) is the grid's, 100 ms.
const MAP_FILTER_TASK_MS = 100;

test("10,000 nodes in the map: typing a filter and taking it back, what is drawn is kept and no main-thread task takes over 100 ms (longest printed)", { timeout: 900_000 }, async () => {
  const { generatedNodes } = await importBundled("examples.ts");
  const { encodeShare } = await importBundled("share.ts");
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const page = await openPage("#" + (await encodeShare({ manifests: ex.manifests, nodes: generatedNodes(10_000) })), null, null, recordLongTasks, 480_000);
  try {
    assert.match(await page.textContent("#status"), /^10000 nodes, 9040 pods/);
    await page.waitForFunction(() => document.getElementById("problems").dataset.lintRun === document.getElementById("status").dataset.run, null, { timeout: 240_000 });
    assert.equal(await page.getAttribute("#map", "data-mode"), "heat");
    await quiet(page);
    const boxes = () => page.$$eval("#map article.map-node", (as) => as.map((a) => ({ node: a.dataset.node, kept: a.kept === true })));
    const boxCount = (n) => page.waitForFunction((k) => document.querySelectorAll("#map article.map-node").length === k, n, { timeout: 60_000 });
    const steps = [];
    /** Type `keys` as a person does (a key every 150 ms), wait for `drawn`; the long tasks from the first key, said. */
    const typed = async (what, keys, drawn) => {
      const m = await tasksDuring(page, async () => {
        for (const key of keys) {
          await page.keyboard.press(key);
          await page.waitForTimeout(150);
        }
        await drawn();
        await page.waitForTimeout(500);
      });
      console.log(`10,000 nodes in the map, ${what}: ${m.said}`);
      steps.push([what, m]);
    };
    await page.$eval("#map canvas.heat", (c) => (c.kept = true));
    await page.focus("#node-filter");
    // "node-" keeps all 10,000 nodes (the heat map), "node-0" the 999 of node-0001 to node-0999 (boxes).
    await typed('typing "node-0"', [..."node-0"], () => boxCount(999));
    const first = await boxes();
    assert.ok(first.every((b) => b.node.startsWith("node-0")), "the boxes are the filter's");
    await page.$$eval("#map article.map-node", (as) => as.forEach((a) => (a.kept = true)));
    // "node-00": 99 of them, the same elements.
    await typed('then "0" ("node-00")', ["0"], () => boxCount(99));
    const narrowed = await boxes();
    assert.deepEqual(narrowed.map((b) => b.node), first.map((b) => b.node).filter((n) => n.startsWith("node-00")));
    assert.ok(narrowed.every((b) => b.kept), "the 99 boxes are those drawn for node-0");
    assert.match(await page.textContent("#map .map-body > p.note"), /^9,901 nodes hidden by the filter\.$/);
    // Back to "node-0": the 999 boxes drawn before, every one.
    await typed("Backspace", ["Backspace"], () => boxCount(999));
    const widened = await boxes();
    assert.deepEqual(widened.map((b) => b.node), first.map((b) => b.node));
    assert.ok(widened.every((b) => b.kept), "the 999 boxes are those drawn before");
    // Back to "node-": the heat map of 10,000, the same canvas.
    await typed("Backspace", ["Backspace"], () => page.waitForSelector("#map canvas.heat"));
    assert.ok(await page.$eval("#map canvas.heat", (c) => c.kept === true), "the heat map's canvas is the one drawn before");
    assert.deepEqual(await page.$$eval("#map .heat-group", (bs) => bs.map((b) => b.textContent)), ["zone-a (2,500)", "zone-b (2,500)", "zone-c (2,500)", "zone-d (2,500)"]);
    for (const [what, m] of steps) assertFluid(what, m, MAP_FILTER_TASK_MS);
  } finally {
    await page.close();
  }
});

// ------------------------------------------------------------------ the cluster map

/** The map as shown: every node box with its pods (chips), its bars' figures and its badges. */
function mapNodes(page) {
  return page.$$eval("#map article.map-node", (boxes) =>
    boxes.map((b) => ({
      node: b.dataset.node,
      pods: [...b.querySelectorAll("button.pod-chip")].map((c) => ({ pod: c.dataset.pod, state: c.dataset.state })),
      bars: Object.fromEntries([...b.querySelectorAll(".bar")].map((bar) => [bar.dataset.resource, { requested: Number(bar.dataset.requested), allocatable: Number(bar.dataset.allocatable), text: bar.textContent }])),
      badges: [...b.querySelectorAll(".badge")].map((x) => x.textContent),
    })),
  );
}

const byPod = (a, b) => a.pod.localeCompare(b.pod);

for (const id of ["node-exporter", "fluentd-toleration", "fluentd-no-toleration", "hdfs-namenode", "ds-set-image-rollback", "ds-ondelete", "nginx-statefulset", "job-completions", "second-scheduler", "bin-packing", "node-name"]) {
  test(`map of ${id}: every node with its pods and the engine's allocation figures; the Pending lane with the scheduler's messages`, async () => {
    const ex = EXAMPLES.find((e) => e.id === id);
    const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update ?? "", steps: ex.steps ?? "", scheduler: ex.scheduler ?? "" });
    assert.ok(Array.isArray(want.doc.nodes), "the plan has nodes (an engine from before plan JSON: nodes?)");
    const page = await openPage(`#example=${ex.id}`);
    try {
      assert.equal(await page.getAttribute("#view-map", "aria-pressed"), "true", "the map is the default view");
      assert.equal(await page.getAttribute("#map", "data-mode"), "boxes");
      const shown = await mapNodes(page);
      // Every node of the plan, once, with exactly its pods and its figures.
      assert.deepEqual(shown.map((n) => n.node).sort(), want.doc.nodes.map((n) => n.name).sort());
      for (const entry of want.doc.nodes) {
        const box = shown.find((n) => n.node === entry.name);
        const pods = want.doc.pods.filter((p) => p.spec.nodeName === entry.name).map((p) => ({ pod: `${p.metadata.namespace}/${p.metadata.name}`, state: expectedState(p) }));
        assert.deepEqual(box.pods.sort(byPod), pods.sort(byPod), entry.name);
        assert.deepEqual(box.bars.cpu && [box.bars.cpu.requested, box.bars.cpu.allocatable], [entry.requested.milliCpu, entry.allocatable.milliCpu], `${entry.name} cpu`);
        assert.deepEqual([box.bars.memory.requested, box.bars.memory.allocatable], [entry.requested.memory, entry.allocatable.memory], `${entry.name} memory`);
        assert.deepEqual([box.bars.pods.requested, box.bars.pods.allocatable], [entry.requested.pods, entry.allocatable.pods], `${entry.name} pods`);
        assert.equal(box.bars.cpu.text, `cpu ${entry.requested.milliCpu / 1000}/${entry.allocatable.milliCpu / 1000}`);
        assert.equal(box.bars.pods.text, `pods ${entry.requested.pods}/${entry.allocatable.pods}`);
        const node = want.doc.defaultedObjects.find((d) => d.object.kind === "Node" && d.object.metadata.name === entry.name).object;
        if (node.spec?.unschedulable) assert.ok(box.badges.includes("SchedulingDisabled"), `${entry.name} cordoned: ${box.badges}`);
        const taints = node.spec?.taints?.length ?? 0;
        if (taints) assert.ok(box.badges.includes(`${taints} taint${taints === 1 ? "" : "s"}`), `${entry.name} taints: ${box.badges}`);
      }
      // The Pending lane: each Pending pod under the scheduler's message for it, word for word.
      const pendingPods = want.doc.pods.filter((p) => !p.spec.nodeName && (p.status?.phase || "Pending") === "Pending");
      assert.equal(await page.locator("#map .map-pending").count(), pendingPods.length ? 1 : 0);
      for (const p of pendingPods) {
        const key = `${p.metadata.namespace}/${p.metadata.name}`;
        const lane = page.locator("#map .map-pending .lane", { has: page.locator(`button.pod-chip[data-pod="${key}"]`) });
        assert.equal(await lane.count(), 1, `${key} in one lane`);
        const message = await lane.locator(".lane-message").textContent();
        const cond = (p.status.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
        if (cond?.message) assert.equal(message, cond.message);
        else assert.match(message, new RegExp(p.spec.schedulerName ?? "Not scheduled"));
      }
    } finally {
      await page.close();
    }
  });
}

/** A node's bars as the engine's figures name them: `{cpu: milliCpu, memory, pods}` requested. */
const barFigures = (requested) => ({ cpu: requested.milliCpu, memory: requested.memory, pods: requested.pods });

for (const id of ["job-completions", "ds-set-image-rollback"]) {
  test(`map of ${id}: the bars follow the timeline, each round's figures its pods' requests, the last round's the engine's`, async () => {
    const { podRequests } = await import("../src/pod-requests.ts");
    const { roundNodes, roundRequests, timelineFrames } = await import("../src/model.ts");
    const ex = EXAMPLES.find((e) => e.id === id);
    const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes, update: ex.update ?? "", steps: ex.steps ?? "" });
    const engine = Object.fromEntries(want.doc.nodes.map((n) => [n.name, barFigures(n.requested)]));
    const shown = async () => Object.fromEntries((await mapNodes(page)).map((n) => [n.node, Object.fromEntries(Object.entries(n.bars).map(([r, b]) => [r, b.requested]))]));
    const page = await openPage(`#example=${id}`);
    try {
      assert.deepEqual(await shown(), engine, "the final state: the engine's figures");
      // The first round: what its pods bound then request (the engine's counting of each pod's requests, added up).
      const frames = timelineFrames(want.doc);
      const pods = want.doc.pods.map((p) => ({ metadata: p.metadata, spec: p.spec, status: p.status }));
      const requests = roundRequests({ pods, workloads: want.doc.workloads }, podRequests(want.doc));
      const nodes = want.doc.nodes.map((n) => ({ name: n.name, resources: { allocatable: n.allocatable, requested: n.requested } }));
      const expected = (frame) => Object.fromEntries(roundNodes(nodes, frames[frame].pods, requests).map((n) => [n.name, barFigures(n.resources.requested)]));
      // The first round: as its pods then bound ask.
      await page.click("#tl-first");
      await page.waitForFunction(() => document.getElementById("tl-label").textContent.includes("(1 of"));
      // Drawn again with the round's figures once the worker has the pods' requests: the bars say so.
      await page.waitForFunction(() => [...document.querySelectorAll("#map .bar")].every((b) => b.title.endsWith(" at this round")));
      assert.deepEqual(await shown(), expected(0));
      // The first round whose figures are not the final state's (a Job's pods still running, a node between its
      // old pod and its new one): its bars say so.
      const k = frames.findIndex((_, i) => !isDeepStrictEqual(expected(i), engine));
      assert.ok(k >= 0, "a round whose figures differ from the final state's");
      await page.$eval("#tl-slider", (slider, v) => ((slider.value = String(v)), slider.dispatchEvent(new Event("input"))), k);
      await page.waitForFunction((n) => document.getElementById("tl-label").textContent.includes(`(${n} of`), k + 1);
      const differing = await shown();
      assert.deepEqual(differing, expected(k));
      assert.notDeepEqual(differing, engine);
      // The last round: the engine's figures, field for field.
      await page.click("#tl-last");
      await page.click("#tl-prev");
      await page.waitForFunction((n) => document.getElementById("tl-label").textContent.includes(`(${n} of ${n})`), frames.length);
      assert.deepEqual(await shown(), engine, "the last round: the engine's figures");
    } finally {
      await page.close();
    }
  });
}

test("map: a pod chip opens the pod's verdicts, a Pending one too", async () => {
  const page = await openPage("#example=node-name");
  try {
    await page.click('#map article[data-node="worker-1"] button.pod-chip[data-pod="default/nginx-scheduled"]');
    await page.waitForSelector("#detail table.verdicts");
    assert.equal(await page.textContent("#detail h3"), "default/nginx-scheduled");
    assert.equal(await page.getAttribute('#map button.pod-chip[data-pod="default/nginx-scheduled"]', "aria-pressed"), "true");
    await page.click('#map .map-pending button.pod-chip[data-pod="default/too-big"]');
    await page.waitForFunction(() => document.querySelector("#detail h3")?.textContent === "default/too-big" && document.querySelector("#detail table.verdicts"));
    assert.match(await page.textContent("#detail .decision h4"), /no node fits/);
  } finally {
    await page.close();
  }
});

test("map: keyboard only: Tab reaches a node's pod with a visible focus ring, Enter opens it; a taint list opens", async () => {
  const page = await openPage("#example=node-name");
  try {
    await page.focus("#view-map");
    let reached = null;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => {
        const el = document.activeElement;
        return el?.matches("#map article.map-node button.pod-chip") ? { pod: el.dataset.pod, outline: getComputedStyle(el).outlineStyle, visible: el.matches(":focus-visible") } : null;
      });
    }
    assert.ok(reached, "Tab reaches a pod chip in a node box");
    assert.ok(reached.visible && reached.outline !== "none", JSON.stringify(reached));
    await page.keyboard.press("Enter");
    await page.waitForFunction((k) => document.querySelector("#detail h3")?.textContent === k && document.querySelector("#detail table.verdicts"), reached.pod);
    // The cordoned node's taints: a summary reached by Tab, opened with Space.
    await page.focus('#map article[data-node="worker-2"] .badge-details summary');
    await page.keyboard.press(" ");
    assert.equal(await page.$eval('#map article[data-node="worker-2"] .badge-details', (d) => d.open), true);
    assert.match(await page.textContent('#map article[data-node="worker-2"] .badge-details ul'), /node\.kubernetes\.io\/unschedulable:NoSchedule/);
  } finally {
    await page.close();
  }
});

test("map and grid: a node without a DaemonSet's pod says the engine's reason (daemonSetNodes)", async () => {
  const ex = EXAMPLES.find((e) => e.id === "node-exporter");
  const { request } = buildRequest({ manifests: ex.manifests, nodes: ex.nodes });
  const { planJson } = await import("kubeplan");
  const entries = JSON.parse(planJson(request, { verdicts: true }).text).daemonSetNodes;
  const entry = entries.find((e) => e.daemonSet === "monitoring/node-exporter" && e.node === "master");
  assert.ok(entry, JSON.stringify(entries));
  const page = await openPage("#example=node-exporter");
  try {
    await page.click('#map article[data-node="master"] button.no-pod-chip[data-daemonset="monitoring/node-exporter"]');
    await page.waitForSelector("#detail .ds-reason");
    assert.equal(await page.textContent("#detail .ds-reason dd[data-reason]"), entry.reason);
    if (entry.message) assert.ok((await page.textContent("#detail .ds-reason")).includes(entry.message));
    // The grid's empty DaemonSet cell asks the same.
    await showGrid(page);
    await page.evaluate(() => document.getElementById("detail").replaceChildren());
    await page.click('#grid tr[data-node="master"] button.no-pod');
    await page.waitForSelector("#detail .ds-reason");
    assert.equal(await page.textContent("#detail .ds-reason dd[data-reason]"), entry.reason);
  } finally {
    await page.close();
  }
});

/** The file a download gives: its suggested name and bytes. `act` starts it (a click, a key). */
async function downloaded(page, act) {
  const [download] = await Promise.all([page.waitForEvent("download"), act()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/**
 * An SVG file read as the browser reads it (DOMParser): its parse error if any, root, size and background, every
 * element naming a node (`data-node`) with its title and texts, every pod named (`data-pod`), and any attribute
 * that could refer outside the file (href, src, url(...)).
 */
function readSvg(page, text) {
  return page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, "image/svg+xml");
    const root = doc.documentElement;
    const all = [...doc.querySelectorAll("*")];
    return {
      error: doc.querySelector("parsererror")?.textContent ?? null,
      root: `${root.namespaceURI} ${root.localName}`,
      size: [Number(root.getAttribute("width")), Number(root.getAttribute("height"))],
      background: root.querySelector(":scope > rect")?.getAttribute("fill"),
      nodes: [...doc.querySelectorAll("[data-node]")].map((g) => ({ node: g.getAttribute("data-node"), title: g.querySelector(":scope > title")?.textContent, texts: [...g.querySelectorAll("text")].map((x) => x.textContent) })),
      pods: [...doc.querySelectorAll("[data-pod]")].map((g) => g.getAttribute("data-pod")),
      outside: all.flatMap((el) => [...el.attributes].filter((a) => /(href|src)$/i.test(a.name) || /url\(/i.test(a.value)).map((a) => `${el.localName} ${a.name}=${a.value}`)),
    };
  }, text);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG file: its signature checked, its size, its top-left pixel and how many colours it has (something drawn). */
function readPng(bytes) {
  assert.ok(bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, 8).equals(PNG_SIGNATURE), "the PNG signature");
  const png = PNG.sync.read(bytes);
  const colours = new Set();
  for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
  return { size: [png.width, png.height], corner: [...png.data.subarray(0, 3)], colours: colours.size };
}

/** `#rgb` or `#rrggbb` → [r, g, b]. */
const rgbOf = (hex) => (hex.length === 4 ? [...hex.slice(1)].map((c) => parseInt(c + c, 16)) : [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

/** The SVG as the browser draws it, as PNG bytes of `size` (a test's own canvas; the page's CSP allows data: images). */
async function svgRaster(page, text, [width, height]) {
  const url = await page.evaluate(
    async ({ t, width, height }) => {
      const image = new Image();
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(t)}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      Object.assign(canvas, { width, height });
      canvas.getContext("2d").drawImage(image, 0, 0, width, height);
      return canvas.toDataURL("image/png");
    },
    { t: text, width, height },
  );
  return Buffer.from(url.slice(url.indexOf(",") + 1), "base64");
}

// The PNG is painted from the picture's shapes, in a worker on an OffscreenCanvas, or where there is none (Safari
// before 16.4; here removed from the page) on a canvas of the page's: either way the SVG's picture.
for (const [scheme, offscreen] of [["light", true], ["dark", false]]) {
  test(`map download in ${scheme} mode: the boxes as SVG (a box per node, named, every pod, the theme's colours, nothing from outside) and as PNG${offscreen ? "" : " (without OffscreenCanvas)"}, the SVG's picture pixel for pixel, by keyboard too`, async () => {
    const ex = EXAMPLES.find((e) => e.id === "node-name");
    const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes });
    const page = await openPage("#example=node-name", null, scheme, offscreen ? null : () => delete window.OffscreenCanvas);
    try {
      assert.equal(await page.getAttribute("#map", "data-mode"), "boxes");
      const panel = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--panel").trim());
      // Keyboard only: Tab from the group-by select reaches "SVG" with a visible focus ring; Enter downloads.
      await page.focus("#map-group-by");
      while (!(await page.evaluate(() => document.activeElement?.id === "map-download-svg"))) await page.keyboard.press("Tab");
      assert.ok(await page.evaluate(() => document.activeElement.matches(":focus-visible") && getComputedStyle(document.activeElement).outlineStyle !== "none"));
      const svgFile = await downloaded(page, () => page.keyboard.press("Enter"));
      assert.equal(svgFile.name, "kubeplan-map.svg");
      const svg = await readSvg(page, svgFile.bytes.toString("utf8"));
      assert.equal(svg.error, null);
      assert.equal(svg.root, "http://www.w3.org/2000/svg svg");
      assert.deepEqual(svg.nodes.map((n) => n.node).sort(), want.doc.nodes.map((n) => n.name).sort());
      for (const n of svg.nodes) assert.ok(n.title.includes(n.node) && n.texts.includes(n.node), JSON.stringify(n));
      assert.deepEqual(svg.pods.sort(), want.doc.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort());
      assert.deepEqual(svg.outside, []);
      assert.equal(svg.background, panel, "the picture's background is the theme's panel colour");
      assert.match(await page.textContent(".map-download-note"), /^Downloaded kubeplan-map\.svg: the kubeplan map of 2 nodes\.$/);

      const workers = () => server.requests.filter((r) => r.endsWith("/png-worker.js")).length;
      const before = workers();
      const pngFile = await downloaded(page, () => page.click("#map-download-png"));
      assert.equal(pngFile.name, "kubeplan-map.png");
      assert.equal(workers() - before, offscreen ? 1 : 0, offscreen ? "painted in the PNG worker" : "painted in the page");
      const png = readPng(pngFile.bytes);
      assert.deepEqual(png.size, svg.size, "the PNG is the SVG's size (device pixel ratio 1)");
      assert.deepEqual(png.corner, rgbOf(panel));
      assert.ok(png.colours > 20, `${png.colours} colours`);
      // The same pixels as the SVG drawn by the browser (pixelmatch at the screenshots' per-pixel threshold; the
      // anti-aliased pixels it detects not counted).
      const painted = PNG.sync.read(pngFile.bytes);
      const drawn = PNG.sync.read(await svgRaster(page, svgFile.bytes.toString("utf8"), svg.size));
      const differ = pixelmatch(painted.data, drawn.data, null, painted.width, painted.height, { threshold: 0.01 });
      assert.equal(differ, 0, `${differ} of ${painted.width * painted.height} pixels differ from the SVG's`);
    } finally {
      await page.close();
    }
  });
}

test("map download at 1,000 nodes: the heat map as SVG (one square per node, named) and its canvas as PNG", async () => {
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes });
  const page = await openPage("#example=large-1000");
  try {
    assert.equal(await page.getAttribute("#map", "data-mode"), "heat");
    const svgFile = await downloaded(page, () => page.click("#map-download-svg"));
    const svg = await readSvg(page, svgFile.bytes.toString("utf8"));
    assert.equal(svg.error, null);
    assert.equal(svg.nodes.length, 1000);
    assert.deepEqual(svg.nodes.map((n) => n.node).sort(), want.doc.nodes.map((n) => n.name).sort());
    for (const n of svg.nodes) assert.equal(n.title, n.node);
    assert.deepEqual(svg.outside, []);
    const canvas = await page.$eval("#map canvas.heat", (c) => [c.width, c.height]);
    assert.deepEqual(svg.size, canvas, "the SVG is the canvas's size (device pixel ratio 1)");
    const pngFile = await downloaded(page, () => page.click("#map-download-png"));
    assert.equal(pngFile.name, "kubeplan-map.png");
    const png = readPng(pngFile.bytes);
    assert.deepEqual(png.size, canvas);
    assert.ok(png.colours > 5, `${png.colours} colours`);
  } finally {
    await page.close();
  }
});

test("map at 1,000 nodes: a heat map; a cell says its node and figures, arrow keys move, Enter zooms into the node", async () => {
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const want = cliFor({ manifests: ex.manifests, nodes: ex.nodes });
  const page = await openPage("#example=large-1000");
  try {
    assert.equal(await page.getAttribute("#map", "data-mode"), "heat");
    assert.deepEqual(await page.$$eval("#map .heat-group", (bs) => bs.map((b) => b.textContent)), ["zone-a (250)", "zone-b (250)", "zone-c (250)", "zone-d (250)"]);
    // Keyboard: Tab onto the canvas (from the colour select), then the arrows; the live text names the node.
    await page.focus("#map-metric");
    await page.keyboard.press("Tab"); // the first group button
    while (!(await page.evaluate(() => document.activeElement?.matches("canvas.heat")))) await page.keyboard.press("Tab");
    assert.ok(await page.evaluate(() => document.activeElement.matches(":focus-visible")));
    const figures = (name) => {
      const e = want.doc.nodes.find((n) => n.name === name);
      return `cpu ${e.requested.milliCpu / 1000}/${e.allocatable.milliCpu / 1000}`;
    };
    let said = await page.textContent("#heat-status");
    assert.ok(said.startsWith("node-0001 · topology.kubernetes.io/zone=zone-a · " + figures("node-0001")), said);
    await page.keyboard.press("ArrowRight"); // zone-a holds node-0001, node-0005, node-0009, ...
    said = await page.textContent("#heat-status");
    assert.ok(said.startsWith("node-0005 · topology.kubernetes.io/zone=zone-a · " + figures("node-0005")), said);
    await page.keyboard.press("End");
    assert.ok((await page.textContent("#heat-status")).startsWith("node-1000 · topology.kubernetes.io/zone=zone-d"));
    // node-1000 is cordoned and tainted: said so.
    assert.match(await page.textContent("#heat-status"), /SchedulingDisabled · 2 taints/);
    await page.keyboard.press("Enter");
    await page.waitForSelector('#map article.map-node[data-node="node-1000"]');
    assert.ok(await page.evaluate(() => document.activeElement.matches(".map-back")));
    // Back to the heat map, then the mouse: hovering the first cell shows its tooltip, a click zooms.
    await page.keyboard.press("Enter");
    await page.waitForSelector("#map canvas.heat");
    // The keyboard is back on the heat map, on the node it opened.
    assert.ok(await page.evaluate(() => document.activeElement.matches("canvas.heat")));
    assert.ok((await page.textContent("#heat-status")).startsWith("node-1000 · "));
    const box = await page.locator("#map canvas.heat").boundingBox();
    await page.mouse.move(box.x + 4, box.y + 18 + 4);
    assert.ok((await page.textContent("#map .heat-tip")).startsWith("node-0001 · "));
    await page.mouse.click(box.x + 4, box.y + 18 + 4);
    await page.waitForSelector('#map article.map-node[data-node="node-0001"]');
    // A group opens as boxes, the first ones drawn and a button for more.
    await page.click("#map .map-back");
    await page.click('#map .heat-group[data-group="zone-b"]');
    await page.waitForSelector('#map .map-group[data-group="zone-b"]');
    assert.equal(await page.locator("#map article.map-node").count(), 120);
    await page.click("#map .map-group button.more");
    assert.equal(await page.locator("#map article.map-node").count(), 240);
    // The zoom counts the boxes asked for: drawn again (the grid, then the map), the group shows as many.
    await page.$eval('#map .map-group[data-group="zone-b"]', (section) => (section.drawnBefore = true));
    await showGrid(page);
    await page.click("#view-map");
    await page.waitForFunction(() => {
      const section = document.querySelector('#map .map-group[data-group="zone-b"]');
      return section && !section.drawnBefore;
    });
    assert.equal(await page.locator("#map article.map-node").count(), 240);
    assert.equal(await page.textContent("#map .map-group button.more"), "Show 10 more nodes");
    // Colour by a workload: the legend says so.
    await page.click("#map .map-back");
    await page.selectOption("#map-metric", "workload:DaemonSet/kube-system/log-agent");
    // From 1,000 nodes the map is redrawn a task or two after the choice: wait for the new legend.
    await page.waitForFunction(() => /has a pod of the workload/.test(document.querySelector("#map .heat-legend")?.textContent ?? ""), null, { timeout: 10_000 }).catch(() => {});
    assert.match(await page.textContent("#map .heat-legend"), /has a pod of the workload/);
  } finally {
    await page.close();
  }
});

/** The contrast ratio of two computed `rgb(...)` colours (WCAG). */
function contrast(a, b) {
  const lum = (rgb) => {
    const [r, g, bl] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => Number(v) / 255);
    const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

for (const scheme of ["light", "dark"]) {
  test(`map in ${scheme} mode: node names, figures, chips and the Pending lane readable (contrast at least 4.5)`, async () => {
    const page = await openPage("#example=node-name", null, scheme);
    try {
      const pairs = await page.evaluate(() => {
        const bg = (el) => {
          for (let e = el; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
          }
          return getComputedStyle(document.documentElement).backgroundColor;
        };
        const pick = (sel) => {
          const el = document.querySelector(sel);
          return { sel, fg: getComputedStyle(el).color, bg: bg(el) };
        };
        return [
          pick("#map article.map-node .node-name"),
          pick("#map article.map-node .bar-text"),
          pick("#map article.map-node .pod-chip.st-running"),
          pick("#map .map-pending h3"),
          pick("#map .map-pending .pod-chip"),
          pick("#map .lane-message"),
          pick("#map .badge.warn"),
          pick("#view-map"),
          pick("#map-download-label"),
          pick("#map-download-svg"),
        ];
      });
      for (const p of pairs) assert.ok(contrast(p.fg, p.bg) >= 4.5, `${scheme}: ${p.sel} ${p.fg} on ${p.bg}: ${contrast(p.fg, p.bg).toFixed(2)}`);
      const box = await page.$eval("#map article.map-node", (el) => getComputedStyle(el).backgroundColor);
      const dark = contrast(box, "rgb(0, 0, 0)") < contrast(box, "rgb(255, 255, 255)");
      assert.equal(dark, scheme === "dark", `a node box is ${scheme}: ${box}`);
    } finally {
      await page.close();
    }
  });
}

test("no request left the origin and no page error", () => {
  assert.deepEqual(outside, []);
  assert.deepEqual(pageErrors, []);
  assert.ok(server.requests.some((u) => u.endsWith("kubeplan_bg.wasm")));
});

test(`3,000 Pending pods of one Deployment: listed once under the message they share, the first 100 at first, all on request; no main-thread task over ${ISSUE_TASK_MS} ms (longest printed)`, { timeout: 600_000 }, async () => {
  const { generatedNodes } = await importBundled("examples.ts");
  const nodes = generatedNodes(200);
  const manifests =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big}\nspec:\n  replicas: 3000\n  selector: {matchLabels: {app: big}}\n  template:\n" +
    "    metadata: {labels: {app: big}}\n    spec:\n      containers: [{name: c, image: x, resources: {requests: {cpu: '64'}}}]\n";
  const want = cliFor({ manifests, nodes }).doc.pods.filter((p) => !p.spec.nodeName);
  const messages = new Set(want.map((p) => p.status.conditions.find((c) => c.type === "PodScheduled").message));
  assert.equal(want.length, 3000);
  assert.equal(messages.size, 1, "the pods share one message");
  const page = await openPage("#example=node-exporter", null, null, recordLongTasks);
  try {
    let run = await page.getAttribute("#status", "data-run");
    await setEditor(page, "ed-nodes", nodes);
    run = await waitRunAndLint(page, run, "200 nodes, ");
    const drawn = await tasksDuring(page, async () => {
      await setEditor(page, "ed-manifests", manifests);
      await page.click("#h-grid");
      await waitRunAndLint(page, run, "200 nodes, 3000 pods, 3000 Pending");
      await page.waitForTimeout(1000);
    }, () => arrivedAt(page));
    const groups = await page.$$eval("#pending .pending-group", (gs) => gs.map((g) => ({ pods: g.dataset.pods, message: g.querySelector(".sched-message")?.textContent, listed: g.querySelectorAll("li[data-pod]").length })));
    assert.deepEqual(groups, [{ pods: "3000", message: [...messages][0], listed: 100 }]);
    const listed = () => page.$$eval("#pending li[data-pod]", (lis) => lis.map((li) => li.dataset.pod));
    const names = want.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    assert.ok((await listed()).every((key) => names.includes(key)));
    const all = await tasksDuring(page, async () => {
      await page.click("#pending .pending-group button:not(.linklike)");
      await page.waitForFunction(() => document.querySelectorAll("#pending li[data-pod]").length === 3000);
      await page.waitForTimeout(1000);
    });
    assert.deepEqual((await listed()).sort(), [...names].sort());
    console.log(`3,000 Pending pods on 200 nodes: after the plan arrived, ${drawn.said}; after "Show all", ${all.said}`);
    // Before, one task of 1,180 ms after the plan arrived, and one of 270 to 450 ms for "Show all" (load 5).
    assertFluid("after the plan arrived", drawn, ISSUE_TASK_MS);
    assertFluid('after "Show all"', all, ISSUE_TASK_MS);
  } finally {
    await page.close();
  }
});

test("a pod the scheduler looked at hundreds of nodes for: its verdicts drawn near their box's view only, each the engine's, to the last row by scrolling", async () => {
  const ex = EXAMPLES.find((e) => e.id === "large-1000");
  const { request } = buildRequest({ manifests: ex.manifests, nodes: ex.nodes });
  const { plan } = await import("kubeplan");
  const placements = plan(request, { verdicts: true }).plan.placements;
  const nodesOf = (p) => new Set([...Object.keys(p.rejected ?? {}), ...Object.keys(p.scores ?? {}), ...(p.selectedNode ? [p.selectedNode] : [])]);
  // A pod bound at its only try, whose decision has a verdict for more nodes than a table draws whole.
  const p = placements.find((x) => x.selectedNode && nodesOf(x).size > 300 && placements.filter((y) => y.pod === x.pod).length === 1);
  assert.ok(p, "a decision about hundreds of nodes");
  const count = nodesOf(p).size;
  const page = await openPage("#example=large-1000");
  try {
    await showGrid(page);
    await page.fill("#node-filter", p.selectedNode);
    await page.click(`#grid button.pod[data-pod="${p.pod}"]`);
    await page.waitForSelector("#detail table.verdicts.windowed tbody tr[aria-rowindex]");
    assert.equal(await page.getAttribute("#detail table.verdicts", "aria-rowcount"), String(count + 1));
    /** The rows in the page, each checked against the engine's verdict for its node. */
    const check = async (where) => {
      const rows = await page.$$eval("#detail table.verdicts tbody tr[aria-rowindex]", (trs) => trs.map((t) => ({ index: Number(t.getAttribute("aria-rowindex")), node: t.dataset.node, text: t.textContent })));
      assert.ok(rows.length > 0 && rows.length <= 200, `${where}: ${rows.length} rows in the page`);
      for (const r of rows) {
        const v = p.rejected?.[r.node];
        if (v) assert.ok(r.text.includes(v.plugin) && v.reasons.every((reason) => r.text.includes(reason)), `${where}: ${r.text}`);
        else assert.ok(r.text.includes(String(p.scores?.[r.node]?.total ?? "feasible")), `${where}: ${r.text}`);
      }
      return rows;
    };
    const top = await check("at the top");
    assert.equal(top[0].index, 2);
    assert.equal(top[0].node, p.selectedNode);
    assert.ok(top[0].text.includes("✓"));
    await page.$eval("#detail table.verdicts", (t) => {
      const box = t.closest(".scroll");
      box.scrollTop = box.scrollHeight;
    });
    await page.waitForFunction((n) => document.querySelector(`#detail table.verdicts tr[aria-rowindex="${n + 1}"]`), count);
    const end = await check("at the end");
    assert.equal(end.at(-1).index, count + 1);
    assert.equal(new Set(end.map((r) => r.node)).size, end.length, "each node once");
  } finally {
    await page.close();
  }
});
