// Building DOM without HTML: every text goes in through a Text node, never parsed as HTML, so user text
// (names, labels, messages from the engine that quote them) can never become markup.

/**
 * `h("td", {class: "x", title: "…", onclick: fn, dataset: {pod: "a"}}, "text", otherNode, [more, nodes])`.
 * Attributes are set with setAttribute (no `style`, no `on*` strings); functions under `on…` become listeners.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else if (k === "class") el.className = Array.isArray(v) ? v.filter(Boolean).join(" ") : v;
      else if (k === "style" || k.startsWith("on")) throw new Error(`h(): attribute ${k} is not allowed`);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
