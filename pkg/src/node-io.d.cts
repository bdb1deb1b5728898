import type { CliIo } from "../types.js";

/** A `CliIo` over Node's fs, wording errors as the native `kubeplan` does. Node only. */
export declare function createNodeIo(): CliIo;
/** A Node fs error as Rust's `std::io::Error` displays it: `No such file or directory (os error 2)`. */
export declare function ioErrorText(error: unknown): string;
