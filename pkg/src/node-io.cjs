// The file system the CLI reads through (`CliIo`), backed by Node's fs, worded exactly as the native binary
// words its errors: Rust's `std::io::Error` prints `<strerror> (os error <errno>)`. CommonJS, so that require() works
// on every Node the package supports (Node 18 and 20 cannot require an ES module); node-io.js re-exports it.
"use strict";

const { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } = require("node:fs");
const { constants } = require("node:os");

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
function ioErrorText(error) {
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

/** The bytes of `fd` (stdin: 0) up to its end, or up to `max` bytes: a device such as /dev/zero has no end. */
function readAll(fd, max = Infinity) {
  const chunks = [];
  const buf = Buffer.alloc(1 << 16);
  let total = 0;
  while (total < max) {
    let n;
    try {
      n = readSync(fd, buf, 0, Math.min(buf.length, max - total), null);
    } catch (e) {
      if (e.code === "EAGAIN") continue; // a non-blocking pipe with nothing yet
      if (e.code === "EOF") break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks);
}

function readAllStdin() {
  return readAll(0);
}

/**
 * The bytes of a file (`-`: stdin) as the native binary reads them: a regular file larger than `limit` is not
 * read (its size is returned), anything else is read up to one byte past `limit`.
 */
function readBytes(path, limit) {
  if (path === "-") {
    try {
      return readAll(0, limit + 1);
    } catch (e) {
      throw new Error(`-: ${ioErrorText(e)}`);
    }
  }
  let fd;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new Error(`${path}: ${ioErrorText(e)}`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return { size };
    return readAll(fd, limit + 1);
  } catch (e) {
    throw new Error(`${path}: ${ioErrorText(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** A `CliIo` over Node's fs (all calls synchronous, as the engine expects). */
function createNodeIo() {
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
    readBytes,
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

module.exports = { createNodeIo, ioErrorText };
