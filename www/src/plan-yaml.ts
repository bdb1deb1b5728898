// The plan as YAML: the document of the JSON download (`kubeplan plan --output json`, the engine's text), written
// by the `yaml` package. Same text in, same YAML out.
//
// Key order: the engine writes every object's keys in code point order (src/output/sorted_json.rs), and
// JSON.parse keeps a text's order except for keys that look like array indices ("10", "9"), which a JavaScript
// object lists first, in numeric order. Sorting each mapping by code point gives back the JSON's order exactly.
//
// Strings are quoted wherever YAML 1.2 or YAML 1.1 would read them as something else (`"yes"`, `"on"`, `"0o17"`,
// `"1e3"`), so that kubectl's reader (YAML 1.1) and current ones alike read back the JSON's values; long strings
// stay on one line (no folding).

import { isScalar, stringify, type Pair } from "yaml";

/** `a` before `b` in code point order (UTF-16 code unit order differs from it only past U+FFFF). */
export function byCodePoint(a: string, b: string): number {
  // A surrogate (part of a character past U+FFFF) ranks after every character of U+E000..U+FFFF.
  const rank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2800 : unit);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

const keyText = (pair: Pair): string => String(isScalar(pair.key) ? pair.key.value : pair.key);

/** The plan's JSON text as YAML, its keys in the JSON's order. */
export function planYaml(json: string): string {
  const plan: unknown = JSON.parse(json);
  return stringify(plan, {
    compat: "yaml-1.1",
    lineWidth: 0,
    aliasDuplicateObjects: false,
    sortMapEntries: (a, b) => byCodePoint(keyText(a), keyText(b)),
  });
}
