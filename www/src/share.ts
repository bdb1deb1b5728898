// The share link: the whole input (both editors, the update and the steps) as JSON, compressed with
// CompressionStream("deflate-raw") and written in base64url into the URL fragment as `#v1=…`. The fragment never
// leaves the browser (it is not sent with requests), so a shared plan stays on the reader's machine too.

const PREFIX = "v1=";
/** The fields of a shared input, in a fixed order; anything else in a decoded payload is ignored. */
export const FIELDS = ["manifests", "nodes", "update", "steps", "scheduler"] as const;
export type ShareField = (typeof FIELDS)[number];
/** The editors' texts, by field. */
export type SharedInput = Record<ShareField, string>;

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("the link is damaged: not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** `{manifests, nodes, update, steps, scheduler}` → the fragment text, without `#`. Other fields are left out. */
export async function encodeShare(state: Partial<Record<string, string>>): Promise<string> {
  const payload: Partial<SharedInput> = {};
  for (const k of FIELDS) {
    const text = state[k];
    if (text) payload[k] = text;
  }
  const json = new TextEncoder().encode(JSON.stringify(payload));
  const packed = await pipe(json, new CompressionStream("deflate-raw"));
  return PREFIX + toBase64Url(packed);
}

/** The fragment (with or without `#`) → `{manifests, nodes, update, steps, scheduler}` (all strings), or null if it is not a share link. Throws on a damaged link. */
export async function decodeShare(fragment: string | null | undefined): Promise<SharedInput | null> {
  const f = String(fragment ?? "").replace(/^#/, "");
  if (!f.startsWith(PREFIX)) return null;
  const bytes = fromBase64Url(f.slice(PREFIX.length));
  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(await pipe(bytes, new DecompressionStream("deflate-raw")));
  } catch {
    throw new Error("the link is damaged: it does not decompress");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    throw new Error("the link is damaged: not JSON");
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) throw new Error("the link is damaged: not an object");
  const fields: Partial<Record<string, unknown>> = payload;
  const text = (k: ShareField) => {
    const v = fields[k];
    return typeof v === "string" ? v : "";
  };
  return { manifests: text("manifests"), nodes: text("nodes"), update: text("update"), steps: text("steps"), scheduler: text("scheduler") };
}
