// The editors: CodeMirror 6 with YAML highlighting, and kubeplan's problems shown inline (underline, gutter
// marker, tooltip) at their line and column. Problems are pushed from the planner's results with setDiagnostics.
//
// Each editor lives in an open shadow root. CodeMirror's styles (style-mod) go into a <style> element when
// mounted in the document, which the page's Content-Security-Policy (style-src 'self', no 'unsafe-inline')
// blocks; in a shadow root style-mod uses a constructed stylesheet (adoptedStyleSheets) instead, which CSP does
// not govern, so the policy stays strict. The page's own stylesheet does not reach inside: the editor's size
// and look are set with EditorView.theme.

import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics } from "@codemirror/lint";

/** One editor in `parent`; `onChange(text)` after every edit. */
const sizing = EditorView.theme({
  "&": { height: "38vh", minHeight: "220px", fontSize: "13px", backgroundColor: "#fff" },
  "&.cm-focused": { outline: "2px solid #2457c5", outlineOffset: "-2px" },
  ".cm-scroller": { fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace' },
});

export function createEditor(parent, { text = "", label, onChange }) {
  const root = parent.attachShadow({ mode: "open" });
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        sizing,
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": label, spellcheck: "false" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange?.(u.state.doc.toString());
        }),
      ],
    }),
  });
  return view;
}

export function getText(view) {
  return view.state.doc.toString();
}

/** Replace the whole text (no change event is lost: the listener fires as for typing). */
export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

// 1-based line and column (characters) to an offset in the document, clamped to the document.
function offsetOf(doc, line, column) {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

/** Show problems `{line, column, endLine, endColumn, severity, message, source}` (1-based) in the editor. */
export function showProblems(view, problems) {
  const doc = view.state.doc;
  const diagnostics = problems.map((p) => {
    const from = offsetOf(doc, p.line, p.column);
    let to = offsetOf(doc, p.endLine ?? p.line, p.endColumn ?? p.column);
    if (to <= from) {
      // A point: underline to the end of the word (or the line) so there is something to see and hover.
      const line = doc.lineAt(from);
      const rest = line.text.slice(from - line.from);
      const m = /^\S+/.exec(rest);
      to = m ? from + m[0].length : line.to;
    }
    return { from, to: Math.max(to, from), severity: p.severity, message: p.message, source: p.source };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
