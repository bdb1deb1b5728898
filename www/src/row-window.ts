// A table whose rows are drawn only near its scroll box's view: the grid's 10,000 nodes, every event of a large
// plan. Thousands of rows of elements take seconds to make, style and lay out in one task; a window of a few dozen
// takes milliseconds, whatever the count.
//
// Two spacer rows, above and below the rows drawn, keep the table as tall as all its rows: each row's height is
// measured once drawn and estimated (the mean of those measured) until then. The table still says how many rows
// it has (`aria-rowcount`) and where each drawn one is (`aria-rowindex`), as the ARIA grid pattern asks of a table
// whose rows are not all in the page.

import { h } from "./dom.ts";
import { gridWindow } from "./model.ts";

/** A table whose rows a window draws: where they go, and how to make one. */
export interface WindowedTable<T> {
  table: HTMLTableElement;
  /** The rows go here, between the spacers `show` adds. */
  body: HTMLTableSectionElement;
  /** The header cells: the columns keep the widest they have been as other rows come into view. */
  head: readonly HTMLTableCellElement[];
  /** A row's key: a drawn row stays while its key is still among the rows shown; heights are kept by key. */
  key(item: T): string;
  make(item: T): HTMLTableRowElement;
}

export interface RowWindowOptions {
  /** Rows drawn beyond the view, above and below (pixels): a scroll of a few lines, or Tab to the next row, finds them drawn. */
  overscan?: number;
  /** The most rows in the page at once, whatever the view's height. */
  max?: number;
  /** A row's height until one is measured. */
  estimate?: number;
}

export interface RowWindow<T> {
  /**
   * Show `items` as `t`'s rows: a table not shown before starts with every row in the spacer below (call `update`
   * to draw them, after restoring the box's scroll position if it is to be kept); the table shown gets other items
   * (a filter), its rows still among them kept.
   */
  show(t: WindowedTable<T>, items: readonly T[]): void;
  /** Draw the rows in and near the view, keeping the row at the top of the view where it was. */
  update(): void;
  /** Forget the table shown (the caller empties the box). */
  clear(): void;
}

/** The table shown and its rows. */
interface Shown<T> {
  t: WindowedTable<T>;
  items: readonly T[];
  above: HTMLTableRowElement;
  below: HTMLTableRowElement;
  /** The rows in the page, by key. */
  drawn: Map<string, HTMLTableRowElement>;
  /** Each drawn row's place among the items, by key. */
  placeOf: Map<string, number>;
  /**
   * Each item's measured height, NaN for one not measured yet (the estimate stands for it): the window is found
   * by adding up every item's height, several times per scroll, which for 18,000 events read through the heights
   * map by key took tens of milliseconds.
   */
  sizes: Float64Array;
  /** The widest each column has been. */
  widths: number[];
}

/** A window over the rows of a table in `box`, the element that scrolls. Heights measured are kept across tables, by key. */
export function createRowWindow<T>(box: HTMLElement, { overscan = 400, max = 200, estimate: first = 34 }: RowWindowOptions = {}): RowWindow<T> {
  let shown: Shown<T> | null = null;
  const heights = new Map<string, number>();
  let measuredSum = 0;
  /** Each drawn row's key, for the resize observer. */
  const keyOf = new WeakMap<Element, string>();
  let frame = 0;

  const estimate = () => (heights.size ? measuredSum / heights.size : first);
  const heightOf = (key: string) => heights.get(key) ?? estimate();
  const remember = (key: string, height: number) => {
    measuredSum += height - (heights.get(key) ?? 0);
    heights.set(key, height);
  };

  // A drawn row that changes height (a disclosure opened, the box narrower, fonts loaded): the window again, next frame.
  const resized = new ResizeObserver((entries) => {
    const changed = entries.some((e) => {
      const key = keyOf.get(e.target);
      return key === undefined || Math.abs(e.target.getBoundingClientRect().height - (heights.get(key) ?? -1)) >= 0.5;
    });
    if (changed) later();
  });
  resized.observe(box);
  box.addEventListener("scroll", () => update());

  function later() {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => update());
  }

  function show(t: WindowedTable<T>, items: readonly T[]) {
    const sizes = Float64Array.from(items, (item) => heights.get(t.key(item)) ?? NaN);
    if (shown?.t.body === t.body) {
      shown.items = items;
      shown.t = t;
      shown.sizes = sizes;
      return;
    }
    clear();
    const spacer = () => h("tr", { class: "row-spacer", "aria-hidden": "true" }, h("td", { colspan: String(Math.max(1, t.head.length)) }));
    const above = spacer();
    const below = spacer();
    t.body.replaceChildren(above, below);
    shown = { t, items, above, below, drawn: new Map(), placeOf: new Map(), widths: [], sizes };
    const guess = estimate();
    setSpacers(shown, 0, sizes.reduce((sum, size) => sum + (Number.isNaN(size) ? guess : size), 0));
  }

  /** At the end of the rows, stay there; else keep the first row in view where it was (rows above it measured other than estimated would move it). */
  function update() {
    const s = shown;
    if (!s || !s.t.table.isConnected) return;
    const atEnd = box.scrollTop > 0 && box.scrollTop + box.clientHeight >= box.scrollHeight - 1;
    const anchor = rowInView(s);
    // Measured heights change the window: a few passes settle it.
    for (let pass = 0; pass < 3 && drawWindow(s); pass++);
    if (anchor?.row.isConnected) {
      const moved = anchor.row.getBoundingClientRect().top - anchor.top;
      if (Math.abs(moved) >= 1) box.scrollTop += moved;
    }
    if (atEnd) box.scrollTop = box.scrollHeight;
  }

  /** The first drawn row in view, and where it is. */
  function rowInView(s: Shown<T>): { row: HTMLTableRowElement; top: number } | null {
    const top = box.getBoundingClientRect().top;
    for (let row = s.above.nextElementSibling; row instanceof HTMLTableRowElement && row !== s.below; row = row.nextElementSibling) {
      const r = row.getBoundingClientRect();
      if (r.bottom > top) return { row, top: r.top };
    }
    return null;
  }

  /** Draw the window for the scroll position; true if a row measured other than its estimate. */
  function drawWindow(s: Shown<T>): boolean {
    const top = box.getBoundingClientRect().top + box.clientTop - s.t.body.getBoundingClientRect().top;
    const guess = estimate();
    const win = gridWindow(s.items.length, (i) => {
      const size = s.sizes[i]!;
      return Number.isNaN(size) ? guess : size;
    }, top, top + box.clientHeight, { overscan, max });
    placeRows(s, s.items.slice(win.first, win.end), win.first);
    setSpacers(s, win.before, win.after);
    let changed = false;
    for (const [k, row] of s.drawn) {
      const height = row.getBoundingClientRect().height;
      if (Math.abs(height - heightOf(k)) >= 0.5) {
        remember(k, height);
        s.sizes[s.placeOf.get(k)!] = height;
        changed = true;
      }
    }
    if (win.first > 0 || win.end < s.items.length) keepWidths(s);
    return changed;
  }

  /**
   * Put `items`' rows between the spacers, in order: rows already drawn stay (a focused button keeps its focus),
   * others are made; rows out of the window go (focus on one moves to the box, not to the page).
   */
  function placeRows(s: Shown<T>, items: readonly T[], first: number) {
    const { key, make } = s.t;
    const keys = items.map(key);
    const keep = new Set(keys);
    for (const [k, row] of s.drawn) {
      if (keep.has(k)) continue;
      if (row.contains(document.activeElement)) box.focus({ preventScroll: true });
      resized.unobserve(row);
      row.remove();
      s.drawn.delete(k);
      s.placeOf.delete(k);
    }
    // The rows above the body's own (the header's) count in aria-rowindex, which starts at 1.
    const headerRows = s.t.table.tHead?.rows.length ?? 0;
    let before: HTMLTableRowElement = s.above;
    items.forEach((item, i) => {
      const k = keys[i]!;
      let row = s.drawn.get(k);
      if (!row) {
        row = make(item);
        keyOf.set(row, k);
        s.drawn.set(k, row);
        resized.observe(row);
      }
      if (before.nextElementSibling !== row) before.after(row);
      s.placeOf.set(k, first + i);
      row.setAttribute("aria-rowindex", String(headerRows + first + i + 1));
      before = row;
    });
  }

  /**
   * Columns keep the widest they have been (the table's layout sizes them by the rows drawn). Every width is read
   * before any is set: a width set between two reads lays the table out again for the next one.
   */
  function keepWidths(s: Shown<T>) {
    const widths = s.t.head.map((th) => th.getBoundingClientRect().width);
    widths.forEach((width, i) => {
      if (width > (s.widths[i] ?? 0) + 0.5) {
        s.widths[i] = width;
        s.t.head[i]!.style.setProperty("min-width", `${width}px`);
      }
    });
  }

  function clear() {
    cancelAnimationFrame(frame);
    if (shown) for (const row of shown.drawn.values()) resized.unobserve(row);
    shown = null;
  }

  return { show, update, clear };
}

/** The spacer rows' heights (a spacer of no height is not displayed: it would still have a border's). */
function setSpacers<T>(s: Shown<T>, before: number, after: number) {
  for (const [row, height] of [[s.above, before], [s.below, after]] as const) {
    row.hidden = height <= 0;
    row.style.setProperty("height", `${height}px`);
  }
}
