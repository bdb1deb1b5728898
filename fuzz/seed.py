#!/usr/bin/env python3
"""Write the fuzz targets' seed corpora from the conformance scenarios and the bundled examples.

The seeds are generated, not kept in the repository: `make fuzz-smoke` (and `make fuzz-seed`) run this first.
They go to seeds/<target>/, which every run reads beside the corpus it grows (corpus/<target>/ for a long run,
a fresh smoke/<target>/ for the smoke run), so that the smoke run starts from the seeds alone.
Each target gets inputs in its own format (see fuzz_targets/*.rs):

  load, plan_bytes, lint: a scenario's files; plan_bytes joins manifests, update and steps with "\\n#%%\\n";
  lint starts with an options byte.
  lsp: an options byte, then JSON-RPC bodies separated by NUL bytes: a session that opens the scenario,
  edits it by a range, asks for code actions and shuts down.

Usage: seed.py [CONFORMANCE_DIR] [EXAMPLES_DIR] (defaults: ../../shared/conformance, ../examples).
"""
import json
import pathlib
import shutil
import sys

HERE = pathlib.Path(__file__).resolve().parent
CONFORMANCE = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "conformance"
EXAMPLES = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "examples"
SEEDS = HERE / "seeds"
SEPARATOR = b"\n#%%\n"


def scenarios():
    """(name, manifests, update, steps) of every conformance case and example."""
    for case in sorted(CONFORMANCE.glob("*/*/input.yaml")):
        d = case.parent
        read = lambda n: (d / n).read_bytes() if (d / n).exists() else None
        yield f"{d.parent.name}-{d.name}", case.read_bytes(), read("update.yaml"), read("steps.yaml")
    for d in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        text = b"---\n".join(f.read_bytes() for f in sorted(d.glob("*.yaml")))
        yield f"example-{d.name}", text, None, None


def lsp_session(text: str) -> bytes:
    uri = "file:///m.yaml"
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}},
        {"jsonrpc": "2.0", "method": "textDocument/didChange",
         "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
             {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 4}}, "text": "# "}]}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction",
         "params": {"textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}},
                    "context": {"diagnostics": []}}},
        {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}},
        {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    return b"\x00".join(json.dumps(m).encode() for m in messages)


def write(target: str, name: str, data: bytes):
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main():
    # Generated whole each time: a scenario renamed or removed leaves no seed behind.
    shutil.rmtree(SEEDS, ignore_errors=True)
    count = 0
    for name, manifests, update, steps in scenarios():
        write("load", name, manifests)
        parts = [manifests] + ([update or b""] if update or steps else []) + ([steps] if steps else [])
        write("plan_bytes", name, SEPARATOR.join(parts))
        write("lint", name, bytes([count % 24]) + manifests)
        write("lsp", name, bytes([count % 4]) + lsp_session(manifests.decode("utf-8", "replace")))
        count += 1
    (SEEDS / "plan_grammar").mkdir(parents=True, exist_ok=True)
    print(f"seed.py: {count} scenarios into {SEEDS}/{{load,plan_bytes,lint,lsp}}")


if __name__ == "__main__":
    main()
