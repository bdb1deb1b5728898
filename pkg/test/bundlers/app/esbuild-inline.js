// esbuild with `--loader:.wasm=binary`: the import is the engine's bytes, inlined in the bundle.
import init, { plan } from "kubeplan";
import wasm from "kubeplan/kubeplan_bg.wasm";

import { show } from "./show.js";

show(init(wasm), plan);
