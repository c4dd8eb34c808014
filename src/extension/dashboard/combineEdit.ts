// The config edit behind "use these weights": `combine` becomes a weighted mean. Pure (no vscode), so
// it is unit-tested; jsonc-parser keeps comments and formatting elsewhere in the file.
import { modify, type EditResult } from 'jsonc-parser';

/** The text edits that set `combine` to a weighted mean with these weights (pure; tested without VS Code). */
export function combineWeightsEdits(text: string, weights: Record<string, number>, eol = '\n', insertSpaces = true, tabSize = 2): EditResult {
  const rounded: Record<string, number> = {};
  for (const [id, w] of Object.entries(weights)) rounded[id] = Number(w.toPrecision(6));
  return modify(text, ['combine'], { method: 'weighted', weights: rounded }, { formattingOptions: { eol, insertSpaces, tabSize } });
}
