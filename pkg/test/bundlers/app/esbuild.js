// esbuild with `--loader:.wasm=file`: the import is the emitted file's path, relative to the bundle.
import init, { plan } from "kubeplan";
import wasmUrl from "kubeplan/kubeplan_bg.wasm";

import { show } from "./show.js";

show(init(new URL(wasmUrl, import.meta.url)), plan);
