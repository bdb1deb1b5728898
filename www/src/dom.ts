// Building DOM without HTML: every text goes in through a Text node, never parsed as HTML, so user text
// (names, labels, messages from the engine that quote them) can never become markup.

/** What an attribute may be given: absent values (undefined, null, false) are left out, true is set empty. */
type AttrValue = string | number | boolean | null | undefined;

/** `h()`'s attributes: `class` (a string or a list with blanks to drop), `dataset`, `on…` listeners, the rest set as text. */
export interface Attrs {
  class?: string | readonly (string | false | null | undefined)[];
  dataset?: Record<string, string>;
  [name: `on${string}`]: ((event: Event) => void) | undefined;
  [name: string]: AttrValue | Attrs["class"] | Attrs["dataset"] | ((event: Event) => void);
}

/** A child: a node, text (numbers too), nothing (skipped), or a list of them. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/**
 * `h("td", {class: "x", title: "…", onclick: fn, dataset: {pod: "a"}}, "text", otherNode, [more, nodes])`.
 * Attributes are set with setAttribute (no `style`, no `on*` strings); functions under `on…` become listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else if (k === "class") el.className = Array.isArray(v) ? v.filter(Boolean).join(" ") : String(v);
      else if (k === "style" || k.startsWith("on") || typeof v === "object" || typeof v === "function") throw new Error(`h(): attribute ${k} is not allowed`);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append<E extends Element>(el: E, children: readonly Child[]): E {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/** Replace an element's children. */
export function fill<E extends Element>(el: E, ...children: Child[]): E {
  el.replaceChildren();
  return append(el, children);
}

/**
 * Make `children` the element's children, in this order, moving only those out of place: a child already where it
 * belongs stays put (its scroll position, focus and, for a canvas, its picture kept).
 */
export function setChildren(el: Element, children: readonly Node[]): void {
  children.forEach((child, i) => {
    const at = el.childNodes[i] ?? null;
    if (at !== child) el.insertBefore(child, at);
  });
  while (el.childNodes.length > children.length) el.lastChild?.remove();
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element's attributes: each set as text; absent values are left out. */
export type SvgAttrs = Record<string, string | number | undefined>;

/**
 * `svg("rect", {x: 1, fill: "#fff"}, ...children)`: an SVG element, its attributes set with setAttribute and its
 * text as Text nodes, as h() makes HTML. No `style`, no `on…`, no `href` or `src`: what it makes is inert and
 * refers to nothing outside itself.
 */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: SvgAttrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined) continue;
    if (k === "style" || k.startsWith("on") || /(^|:)(href|src)$/.test(k)) throw new Error(`svg(): attribute ${k} is not allowed`);
    el.setAttribute(k, String(v));
  }
  return append(el, children);
}

/** Save `blob` as a file named `name`: a link to a blob: URL of it, clicked (nothing leaves the page). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
