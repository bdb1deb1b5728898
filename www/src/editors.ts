// The editors: CodeMirror 6 with YAML highlighting, and kubeplan's problems shown inline (underline, gutter
// marker, tooltip) at their line and column. Problems are pushed from the planner's results with setDiagnostics.
//
// Each editor lives in an open shadow root. CodeMirror's styles (style-mod) go into a <style> element when
// mounted in the document, which the page's Content-Security-Policy (style-src 'self', no 'unsafe-inline')
// blocks; in a shadow root style-mod uses a constructed stylesheet (adoptedStyleSheets) instead, which CSP does
// not govern, so the policy stays strict. The page's own stylesheet does not reach inside: the editor's size
// and look are set with EditorView.theme.

import { EditorView, basicSetup } from "codemirror";
import { Compartment, EditorState, RangeSetBuilder, type Extension, type Text } from "@codemirror/state";
import { Decoration, ViewPlugin, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { highlightingFor } from "@codemirror/language";
import { yaml, yamlLanguage } from "@codemirror/lang-yaml";
import { highlightTree } from "@lezer/highlight";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { oneDark } from "@codemirror/theme-one-dark";
import type { EditorFix, Problem } from "./input.ts";

/**
 * Over this many characters a text is not parsed as a whole (CodeMirror's YAML language, its syntax tree behind
 * the highlighting, folding and indentation): only the lines drawn are, each time they change (`linesDrawnYaml`).
 * CodeMirror parses a text in idle time, a slice at a time, but builds the syntax tree of all it has parsed in one
 * go when it stops: at 10,000 nodes (2.6 MB) a task of 120 to 230 ms, after some 3 s of parsing; at 1 MB under 100.
 */
export const WHOLE_PARSE_MAX = 1_000_000;

const marks = new Map<string, Decoration>();
function mark(cls: string): Decoration {
  let m = marks.get(cls);
  if (!m) marks.set(cls, (m = Decoration.mark({ class: cls })));
  return m;
}

/**
 * YAML highlighting of the lines drawn alone (the editor's viewport, a few dozen lines): they are parsed as a YAML
 * text of their own, in the highlight style of the editor's theme. Lines inside a block (a block scalar, say) may be
 * read a little differently than in the whole text; folding and YAML indentation are the whole parse's.
 */
const linesDrawnYaml = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(u: ViewUpdate) {
      // Drawn again for other lines, another text, or another theme (the dark one's highlight style).
      if (u.docChanged || u.viewportChanged || u.transactions.some((tr) => tr.reconfigured)) this.decorations = this.build(u.view);
    }
    build(view: EditorView): DecorationSet {
      const { state } = view;
      const from = state.doc.lineAt(view.viewport.from).from;
      const text = state.doc.sliceString(from, state.doc.lineAt(view.viewport.to).to);
      const builder = new RangeSetBuilder<Decoration>();
      highlightTree(yamlLanguage.parser.parse(text), { style: (tags) => highlightingFor(state, tags) }, (start, end, cls) => builder.add(from + start, from + end, mark(cls)));
      return builder.finish();
    }
  },
  { decorations: (v) => v.decorations },
);

/** How a text of `length` characters is read: YAML as a whole, or only the lines drawn. */
const syntaxFor = (length: number): Extension => (length > WHOLE_PARSE_MAX ? linesDrawnYaml : yaml());

const sizing = EditorView.theme({
  "&": { height: "38vh", minHeight: "220px", fontSize: "13px" },
  "&.cm-focused": { outline: "2px solid var(--accent)", outlineOffset: "-2px" },
  ".cm-scroller": { fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace' },
});

// The editors' colours follow the system's light or dark setting, as the page's stylesheet does, and change with
// it while the page is open.
const light = EditorView.theme({ "&": { backgroundColor: "#fff" } });
const darkScheme = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
const colours = () => (darkScheme?.matches ? oneDark : light);
const coloured: [EditorView, Compartment][] = []; // every editor, with the compartment of its colours
darkScheme?.addEventListener("change", () => {
  for (const [view, compartment] of coloured) view.dispatch({ effects: compartment.reconfigure(colours()) });
});

/** One editor in `parent`; `onChange(text)` after every edit. */
export function createEditor(parent: HTMLElement, { text = "", label, onChange }: { text?: string; label: string; onChange?: (text: string) => void }): EditorView {
  const root = parent.attachShadow({ mode: "open" });
  const colour = new Compartment();
  const syntax = new Compartment();
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        syntax.of(syntaxFor(text.length)),
        // A change that takes the text across WHOLE_PARSE_MAX reads it the other way, in the same transaction (the
        // whole text is never parsed when it is over).
        EditorState.transactionExtender.of((tr) =>
          tr.docChanged && tr.newDoc.length > WHOLE_PARSE_MAX !== tr.startState.doc.length > WHOLE_PARSE_MAX ? { effects: syntax.reconfigure(syntaxFor(tr.newDoc.length)) } : null,
        ),
        lintGutter(),
        sizing,
        colour.of(colours()),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": label, spellcheck: "false" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange?.(u.state.doc.toString());
        }),
      ],
    }),
  });
  coloured.push([view, colour]);
  return view;
}

export function getText(view: EditorView): string {
  return view.state.doc.toString();
}

/** Replace the whole text (no change event is lost: the listener fires as for typing). */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

// 1-based line and column (characters) to an offset in the document, clamped to the document.
function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

/**
 * Apply a fix's edits (1-based lines and columns of `doc`, the text the problems were found in) as one change,
 * which runs the plan again as typing does. Nothing happens when the text has changed since: the edits' places
 * would be stale, and the run under way brings fresh problems. Returns whether the fix was applied.
 */
export function applyFix(view: EditorView, doc: Text, fix: EditorFix | undefined): boolean {
  if (view.state.doc !== doc || !fix?.edits?.length) return false;
  const changes = fix.edits
    .map((e) => ({ from: offsetOf(doc, e.line, e.column), to: offsetOf(doc, e.endLine, e.endColumn), insert: e.text }))
    .sort((a, b) => a.from - b.from);
  view.dispatch({ changes, userEvent: "input.fix" });
  view.focus();
  return true;
}

/** Put the cursor at a 1-based line and column, scrolled into view, and focus the editor. */
export function revealPosition(view: EditorView, line: number, column: number): void {
  const at = offsetOf(view.state.doc, line, column);
  view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  view.focus();
}

/** What each editor's diagnostics were last made from: the problems (as JSON) and the text. */
const shown = new WeakMap<EditorView, { key: string; doc: Text }>();

/**
 * Show problems `{line, column, endLine, endColumn, severity, message, source, fix?}` (1-based) in the editor. A
 * fix with edits becomes the tooltip's action button; one without is named in the message.
 */
export function showProblems(view: EditorView, problems: readonly Problem[]): void {
  const doc = view.state.doc;
  // Every plan and every lint shows each editor's problems again, most often the same ones (or none): an editor
  // already showing them, for this text, is left alone (an update of the five editors cost a few milliseconds of
  // every re-plan). No problems stay no problems whatever the text.
  const key = JSON.stringify(problems);
  const last = shown.get(view);
  if (last && last.key === key && (last.doc === doc || !problems.length)) return;
  shown.set(view, { key, doc });
  const diagnostics = problems.map((p): Diagnostic => {
    const from = offsetOf(doc, p.line, p.column);
    let to = offsetOf(doc, p.endLine, p.endColumn);
    if (to <= from) {
      // A point: underline to the end of the word (or the line) so there is something to see and hover.
      const line = doc.lineAt(from);
      const rest = line.text.slice(from - line.from);
      const m = /^\S+/.exec(rest);
      to = m ? from + m[0].length : line.to;
    }
    const fix = p.fix;
    const actions = fix?.edits.length ? [{ name: fix.description, apply: (v: EditorView) => applyFix(v, doc, fix) }] : [];
    const message = fix && !fix.edits.length ? `${p.message} (fix: ${fix.description})` : p.message;
    return { from, to: Math.max(to, from), severity: p.severity, message, source: p.source, actions };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
