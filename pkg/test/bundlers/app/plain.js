// webpack 5, Rollup with @web/rollup-plugin-import-meta-assets, Vite: init() finds the engine on its own.
import init, { plan } from "kubeplan";

import { show } from "./show.js";

show(init(), plan);
