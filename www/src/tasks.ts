// Work in steps, cut into tasks by time: a large plan is drawn in tasks of a few tens of milliseconds, so that the
// page still answers input and paints, and a small one in a single task, without the browser rendering a frame
// between its steps for nothing (at 1,000 nodes each such frame cost the drawing a few milliseconds).

/** How long a task of stepped work runs before it yields to the browser. */
export const SLICE_MS = 30;

/** Resolves in a later task. */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Resolves in a task after the browser has rendered a frame (or after 100 ms, should no frame come: a page in a
 * background tab renders none). Work after it is styled and laid out in a frame of its own, not with what came before.
 */
export const afterFrame = (): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      setTimeout(resolve, 0);
    });
  });

/** A pause between two steps of some work: see slicer. */
export type Pause = () => Promise<void>;

/**
 * A pause for work done in steps: it resolves at once while the task has run for less than SLICE_MS (counted from
 * when the slicer was made, then from its last yield), and in a later task otherwise. A step that may be long is
 * best preceded by one.
 */
export function slicer(): Pause {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < SLICE_MS) return;
    await nextTask();
    start = performance.now();
  };
}

/** Run `steps` to their end, `slice` milliseconds of them per task (the page answers between), to their value. */
export async function stepsInTasks<T>(steps: Generator<void, T, void>, slice = SLICE_MS): Promise<T> {
  let end = performance.now() + slice;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= end) {
      await nextTask();
      end = performance.now() + slice;
    }
  }
}
