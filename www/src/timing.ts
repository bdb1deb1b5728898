// A run's time in parts, from the edit that asked for it to its result drawn: each part is a User Timing measure
// named `kubeplan: <part>` (and the whole `kubeplan: run`), its detail `{run}`, shown in the browser's performance
// panel and read by the tests.
//
// A run crosses two threads, and each thread's performance.now() counts from its own origin: the moments are
// taken on the clock both share, milliseconds since the epoch (performance.timeOrigin + performance.now()).

/** Now, on the clock the page and the worker share. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();

/** The worker's moments of a run, on the shared clock. */
export interface WorkerClock {
  /** The run's message came. */
  received: number;
  /** Planning began (after the engine loaded and any run before this one). */
  started: number;
  /** The engine answered. */
  planned: number;
  /** Its answer was read into objects. */
  parsed: number;
  /** The summary for the page was made. */
  summarized: number;
  /** The answer's first message was posted. */
  sent: number;
}

/** The page's moments of a run, on the shared clock. */
export interface PageClock {
  /** The last edit before the run; absent when no edit asked for it (an example chosen, a link opened). */
  edited?: number;
  /** The run began: the editors' texts were read. */
  asked: number;
  /** The request was posted to the worker. */
  posted: number;
  /** The answer's first message came (its JSON text is read after it: in `wait`). */
  arrived: number;
  /** Its drawing began. */
  drawing: number;
  /** It was drawn. */
  drawn: number;
}

/** A part of a run's time, on the shared clock. */
export interface RunPart {
  name: string;
  start: number;
  end: number;
}

/**
 * A run's consecutive parts: each ends at a moment and starts where the one before ended. The debounce is there
 * only when an edit asked for the run, the worker's parts only when its moments came (a run the engine failed
 * has none: its time in the worker is then in `to page`).
 */
export function runParts(page: PageClock, worker: WorkerClock | null): RunPart[] {
  const ends: [name: string, end: number | undefined][] = [
    ["request", page.posted],
    ["to worker", worker?.received],
    ["queue", worker?.started],
    ["engine", worker?.planned],
    ["parse", worker?.parsed],
    ["summarize", worker?.summarized],
    ["to page", page.arrived],
    ["wait", page.drawing],
    ["draw", page.drawn],
  ];
  const parts: RunPart[] = page.edited === undefined ? [] : [{ name: "debounce", start: page.edited, end: page.asked }];
  let start = page.asked;
  for (const [name, end] of ends) {
    if (end === undefined) continue;
    parts.push({ name, start, end });
    start = end;
  }
  return parts;
}

/** The prefix of the measures' names. */
export const MEASURE = "kubeplan: ";

/** Record run `run`'s parts and its whole as measures, in place of the last run's. */
export function measureRun(run: number, parts: readonly RunPart[]): void {
  for (const e of performance.getEntriesByType("measure")) if (e.name.startsWith(MEASURE)) performance.clearMeasures(e.name);
  const first = parts[0];
  const last = parts.at(-1);
  if (!first || !last) return;
  const origin = performance.timeOrigin;
  const measure = (name: string, start: number, end: number) => performance.measure(MEASURE + name, { start: start - origin, end: end - origin, detail: { run } });
  for (const p of parts) measure(p.name, p.start, p.end);
  measure("run", first.start, last.end);
}
