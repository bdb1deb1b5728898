// The page in headless Chromium (Debian's /usr/bin/chromium through playwright-core; no browser download):
// every example shows the pods, nodes, Pending messages and `kubectl get` tables the CLI gives for the same
// input; a share link reproduces the plan; user text never becomes markup; no request leaves the origin; and the
// 1,000-node example's time is measured (printed, not asserted).
//
// Expectations come from the npm package's CLI (`runCli`, byte for byte the native CLI) over the very files the
// page sends, built by the page's own src/input.js: nothing is written down by hand.
//
// Needs www/dist (node build.mjs). CHROMIUM overrides the browser's path.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { runCli } from "kubeplan";
import { DIST, importBundled, serveStatic } from "./helpers.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

let server;
let browser;
let context;
let EXAMPLES;
let buildRequest;
const outside = []; // requests for anything not on the page's origin
const pageErrors = [];

before(async () => {
  assert.ok(existsSync(join(DIST, "index.html")), "www/dist missing: run node build.mjs first");
  ({ EXAMPLES } = await importBundled("examples.js"));
  ({ buildRequest } = await importBundled("input.js"));
  server = await serveStatic(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const origin = new URL(server.url).origin;
  // Every request the pages make passes here: same-origin ones go on, anything else is recorded and refused.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/")) return route.continue();
    outside.push(url);
    return route.abort();
  });
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

async function openPage(fragment, viewport, colorScheme) {
  const page = await context.newPage();
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
  await waitDone(page, null);
  return page;
}

/** Wait until the status says a run newer than `previousRun` is drawn. */
async function waitDone(page, previousRun, timeout = 60_000) {
  await page.waitForFunction(
    (prev) => {
      const s = document.getElementById("status");
      return s && s.dataset.run && s.dataset.run !== prev && ["done", "unusable"].includes(s.dataset.state);
    },
    previousRun,
    { timeout },
  );
  return page.getAttribute("#status", "data-run");
}

/**
 * Paste text into an editor at the cursor, as a user's paste arrives: a paste event that CodeMirror handles
 * itself. (The protocol's Input.insertText goes through the browser's own contenteditable editing first, which
 * makes elements with style attributes that the page's CSP then blocks, a message a real paste never causes.)
 */
async function paste(page, id, text) {
  await page.locator(`#${id} .cm-content`).evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
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

/** The grid as shown: every pod button with its row (node, "" for Pending), column and state. */
function gridPods(page) {
  return page.$$eval("#grid button.pod", (buttons) =>
    buttons.map((b) => ({
      pod: b.dataset.pod,
      state: b.dataset.state,
      node: b.closest("tr").dataset.node,
      workload: b.closest("td").dataset.workload,
      text: b.textContent,
    })),
  );
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
      const rows = await page.$$eval("#grid tbody tr[data-node]", (trs) => trs.map((t) => t.dataset.node).filter(Boolean));
      const nodes = want.doc.defaultedObjects.filter((d) => d.object.kind === "Node").map((d) => d.object.metadata.name);
      assert.deepEqual([...new Set(rows)].sort(), [...new Set(nodes)].sort());
      // Pending pods: the scheduler's message exactly as the pod's PodScheduled condition has it.
      for (const p of want.doc.pods.filter((p) => !p.spec.nodeName)) {
        const key = `${p.metadata.namespace}/${p.metadata.name}`;
        const li = page.locator(`#pending li[data-pod="${key}"]`);
        assert.equal(await li.count(), 1, `${key} listed as Pending`);
        const cond = (p.status.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
        const text = await li.textContent();
        if (cond?.message) assert.ok(text.includes(cond.message), `${key}: ${text}`);
        else if (p.spec.schedulerName && p.spec.schedulerName !== "default-scheduler") assert.match(text, new RegExp(p.spec.schedulerName));
      }
      if (!want.doc.pods.some((p) => !p.spec.nodeName)) assert.equal(await page.textContent("#pending"), "No pod is Pending.");
      if (id === "node-name") {
        // The example has one pod no node fits: its message is the scheduler's, word for word.
        const text = await page.textContent('#pending li[data-pod="default/too-big"] .sched-message');
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
    await page.click("#tl-first");
    assert.match(await page.textContent("#tl-label"), /^initial, round 1 \(1 of \d+\)$/);
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

for (const viewport of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
  test(`no page scrolls sideways at ${viewport.width} px: every example, every frame of a rollout`, async () => {
    for (const ex of EXAMPLES.filter((e) => e.id !== "large-1000")) {
      const page = await openPage(`#example=${ex.id}`, viewport);
      try {
        assert.equal(await scrollsSideways(page), false, `${ex.id} at ${viewport.width} px`);
        if (viewport.width < 900) {
          // One column: the editors scroll away instead of staying over the results.
          assert.equal(await page.$eval(".inputs", (el) => getComputedStyle(el).position), "static");
        }
        if (ex.steps) {
          const frames = Number(await page.getAttribute("#tl-slider", "max"));
          await page.click("#tl-first");
          for (let i = 0; i < frames; i++) {
            assert.equal(await scrollsSideways(page), false, `${ex.id} at ${viewport.width} px, ${await page.textContent("#tl-label")}`);
            await page.click("#tl-next");
          }
        }
      } finally {
        await page.close();
      }
    }
  });
}

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
    // refusal above may be from the run before the manifests were pasted: wait for theirs, and for its lint.)
    await page.waitForFunction(() => document.getElementById("problems").textContent.includes('Pod "p" is invalid'));
    const run = await page.getAttribute("#status", "data-run");
    await page.waitForFunction((r) => document.getElementById("problems").dataset.lintRun === r, run);
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
    assert.ok((await page.locator("#grid tbody tr[data-node]").count()) >= 1000);
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
    const rows = await page2.locator("#grid tbody tr[data-node]").count();
    assert.equal(rows, 1000);
    assert.equal(await page2.locator("#grid button.pod").count(), 940);
  } finally {
    await page2.close();
  }
  console.log(
    `1,000-node example, from choosing it to the grid drawn: at once after opening the page ${fmt(cold)}; ` +
      `after 4 s on the page ${fmt(idle)}; a second time ${fmt(again)}`,
  );
});

test("no request left the origin and no page error", () => {
  assert.deepEqual(outside, []);
  assert.deepEqual(pageErrors, []);
  assert.ok(server.requests.some((u) => u.endsWith("kubeplan_bg.wasm")));
});
