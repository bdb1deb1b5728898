// Lets Node (v20: no TypeScript of its own) import the page's .ts sources in the unit tests:
// `node --import ./test/ts-loader.mjs --test test/`. Each .ts module is compiled alone by esbuild's `transform`,
// which strips the types as the page's bundle does (no type checking here: `npm run typecheck` does that).
import { register } from "node:module";

register("./ts-loader-hooks.mjs", import.meta.url);
