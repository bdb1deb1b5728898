// Vite, in `vite build` and in the dev server alike: `?url` makes Vite serve and emit the file.
import init, { plan } from "kubeplan";
import wasmUrl from "kubeplan/kubeplan_bg.wasm?url";

import { show } from "./show.js";

show(init(wasmUrl), plan);
