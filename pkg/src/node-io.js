// The file system the CLI reads through (`CliIo`), backed by Node's fs, worded exactly as the native binary
// words its errors: Rust's `std::io::Error` prints `<strerror> (os error <errno>)`.
import { readFileSync, readSync, readdirSync, statSync } from "node:fs";
import { constants } from "node:os";

// glibc's strerror texts for the errors reading a file or a directory can meet.
const STRERROR = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  EBADF: "Bad file descriptor",
  EAGAIN: "Resource temporarily unavailable",
  ENOMEM: "Cannot allocate memory",
  EACCES: "Permission denied",
  EBUSY: "Device or resource busy",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  ENFILE: "Too many open files in system",
  EMFILE: "Too many open files",
  EFBIG: "File too large",
  ENOSPC: "No space left on device",
  ESPIPE: "Illegal seek",
  EROFS: "Read-only file system",
  EPIPE: "Broken pipe",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
  EOVERFLOW: "Value too large for defined data type",
};

/** `error` as Rust's `io::Error` displays it. */
export function ioErrorText(error) {
  const code = error && error.code;
  const errno = code && constants.errno[code];
  if (errno !== undefined && STRERROR[code]) return `${STRERROR[code]} (os error ${errno})`;
  if (errno !== undefined) return `${error.message.replace(/^[A-Z]+: /, "").replace(/, .*$/, "")} (os error ${errno})`;
  return error && error.message ? error.message : String(error);
}

// Rust's `read_to_string` refuses invalid UTF-8 and keeps a byte-order mark; so does this decoder.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function decode(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    const e = new Error("stream did not contain valid UTF-8");
    e.invalidUtf8 = true;
    throw e;
  }
}

function readAllStdin() {
  const chunks = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === "EAGAIN") continue; // a non-blocking pipe with nothing yet
      if (e.code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** A `CliIo` over Node's fs (all calls synchronous, as the engine expects). */
export function createNodeIo() {
  return {
    readFile(path) {
      let bytes;
      try {
        bytes = readFileSync(path);
      } catch (e) {
        throw new Error(`${path}: ${ioErrorText(e)}`);
      }
      try {
        return decode(bytes);
      } catch (e) {
        throw new Error(`${path}: ${e.message}`);
      }
    },
    isDir(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
    listDir(path) {
      let names;
      try {
        names = readdirSync(path);
      } catch (e) {
        throw new Error(`${path}: ${ioErrorText(e)}`);
      }
      // As Rust's `Path::join` does: one separator between the directory and the name.
      const prefix = path.endsWith("/") ? path : `${path}/`;
      return names.map((name) => prefix + name);
    },
    readStdin() {
      try {
        return decode(readAllStdin());
      } catch (e) {
        throw new Error(`reading stdin: ${e.invalidUtf8 ? e.message : ioErrorText(e)}`);
      }
    },
  };
}
