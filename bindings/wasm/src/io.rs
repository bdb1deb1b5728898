//! The file system of the JavaScript host, as the CLI reads it ([`kubeplan::cli::Io`]).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLI_IO: &'static str = r#"
/**
 * The file system as the CLI needs it; `runCli` calls these synchronously. A failing call throws an Error
 * whose message is what the CLI prints after `error: ` (the Node shell words it as the native CLI does:
 * `PATH: No such file or directory (os error 2)`).
 */
export interface CliIo {
    readFile(path: string): string;
    isDir(path: string): boolean;
    /** The entries of a directory, as paths (`dir/name`). */
    listDir(path: string): string[];
    readStdin(): string;
    /**
     * The bytes of a file (`-`: stdin), which need not be UTF-8: kubeplan decodes them as kubectl does (a byte
     * order mark honoured, invalid bytes located as warnings). A regular file larger than `limit` bytes is not
     * read: return `{ size }` instead. Anything else is read up to `limit + 1` bytes. Optional: without it,
     * `readFile` and `readStdin` are used, and a file that is not UTF-8 cannot be read.
     */
    readBytes?(path: string, limit: number): Uint8Array | { size: number };
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The file system the JavaScript shell provides.
    #[wasm_bindgen(typescript_type = "CliIo")]
    pub type JsIo;
    #[wasm_bindgen(method, catch, js_name = readFile)]
    fn read_file(this: &JsIo, path: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(method, catch, js_name = isDir)]
    fn is_dir(this: &JsIo, path: &str) -> Result<bool, JsValue>;
    #[wasm_bindgen(method, catch, js_name = listDir)]
    fn list_dir(this: &JsIo, path: &str) -> Result<Vec<String>, JsValue>;
    #[wasm_bindgen(method, catch, js_name = readStdin)]
    fn read_stdin(this: &JsIo) -> Result<String, JsValue>;
    #[wasm_bindgen(method, catch, js_name = readBytes)]
    fn read_bytes(this: &JsIo, path: &str, limit: f64) -> Result<JsValue, JsValue>;
    /// The `readBytes` member, to tell whether the host has one.
    #[wasm_bindgen(method, getter = readBytes)]
    fn read_bytes_member(this: &JsIo) -> JsValue;

    /// A thrown value as an `Error`, to read its message.
    type Error;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Error) -> JsValue;
    #[wasm_bindgen(js_name = String)]
    fn js_string(v: &JsValue) -> String;
}

/// A thrown value as the message the CLI prints: an Error's `message`, else the value as a string.
fn thrown(e: JsValue) -> String {
    let message = e.is_object().then(|| e.unchecked_ref::<Error>().message().as_string()).flatten();
    message.unwrap_or_else(|| js_string(&e))
}

impl kubeplan::cli::Io for &JsIo {
    fn read_file(&mut self, path: &str) -> Result<String, String> {
        JsIo::read_file(self, path).map_err(thrown)
    }
    fn is_dir(&mut self, path: &str) -> bool {
        JsIo::is_dir(self, path).unwrap_or(false)
    }
    fn list_dir(&mut self, path: &str) -> Result<Vec<String>, String> {
        JsIo::list_dir(self, path).map_err(thrown)
    }
    fn read_stdin(&mut self) -> Result<String, String> {
        JsIo::read_stdin(self).map_err(thrown)
    }
    fn read_bytes(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, String> {
        if !self.read_bytes_member().is_function() {
            return kubeplan::cli::read_text_as_bytes(self, path, limit);
        }
        let v = JsIo::read_bytes(self, path, limit as f64).map_err(thrown)?;
        let bytes = match v.dyn_into::<js_sys::Uint8Array>() {
            Ok(bytes) => bytes.to_vec(),
            Err(v) => {
                let size = js_sys::Reflect::get(&v, &JsValue::from_str("size")).ok().and_then(|s| s.as_f64());
                let size = size.ok_or_else(|| format!("{path}: readBytes returned neither bytes nor a size"))?;
                return Err(kubeplan::cli::too_large(path, size as u64, limit));
            }
        };
        if bytes.len() > limit {
            return Err(kubeplan::cli::too_large(path, bytes.len() as u64, limit));
        }
        Ok(bytes)
    }
}
