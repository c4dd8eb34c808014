// parseConfig: JSONC text of an `*.ensemble.json` -> the resolved EnsembleConfig plus every problem,
// each with the exact source range of the node it is about. Pure apart from the optional host.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { EnsembleConfig, MemberSpec, ParseResult, Problem, Task } from './types';
import { LineIndex } from './ranges';
import { ensembleSchema, schemaDefault, schemaEnum } from './schema';
import { validateNode, type SchemaError } from './schemaValidator';
import { nodeAt, ownerOf, report, type ParseContext } from './context';
import { buildData, type DataFacts } from './data';
import { buildMembers } from './members';
import { buildAnalysis, buildAttack, buildCombine } from './combine';
import { basenameOf, dirnameOf, resolvePath } from './paths';

/** File access for the checks that look at referenced files; without a host those checks are skipped. */
export interface ConfigHost {
  exists(absPath: string): boolean;
  /**
   * The file's text, or undefined when it cannot (or should not) be read. Used only for user CSV data,
   * to count columns and classes; a host may return undefined for huge files to keep parsing cheap.
   */
  readText(absPath: string): string | undefined;
}

export interface ParseOptions {
  /** A `layers` member whose estimated training memory exceeds this is an error ('too-large'). Default 2 GiB. */
  maxModelBytes?: number;
}

export const DEFAULT_MAX_MODEL_BYTES = 2 * 2 ** 30;

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace expected',
  CloseBracketExpected: 'closing bracket expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/** A stable code for schema violations whose meaning has its own name. */
function schemaCode(e: SchemaError): string {
  const p = e.path;
  if (p.length === 2 && p[0] === 'data' && p[1] === 'source' && e.keyword === 'enum') return 'unknown-dataset';
  if (p.length === 1 && p[0] === 'members' && e.keyword === 'minItems') return 'empty-members';
  if (p[p.length - 1] === 'type' && p[p.length - 3] === 'layers' && e.keyword === 'enum') return 'unknown-layer';
  if (e.keyword === 'additionalProperties') return 'unknown-property';
  return 'schema';
}

function configName(file: string, explicit: unknown): string {
  if (typeof explicit === 'string' && explicit !== '') return explicit;
  return basenameOf(file).replace(/\.ensemble\.jsonc?$|\.jsonc?$/i, '');
}

/** Schema violations as problems, with stable codes and the `"data": "mnist"` quick fix. */
function schemaProblems(ctx: ParseContext): void {
  for (const e of validateNode(ctx.root, ensembleSchema)) {
    const p: Problem = { severity: 'error', code: schemaCode(e), file: ctx.file, path: e.path, range: ctx.lines.rangeOf(e.at), message: e.message };
    if (e.fix) p.fix = { range: ctx.lines.rangeOf(e.fix.at), newText: e.fix.newText, title: e.fix.title };
    const dataset = e.keyword === 'type' && e.path.length === 1 && e.path[0] === 'data' ? nodeAt(ctx, ['data'])?.value : undefined;
    if (typeof dataset === 'string' && schemaEnum('#/definitions/builtinData', 'source').includes(dataset)) {
      const newText = `{ "source": ${JSON.stringify(dataset)} }`;
      p.fix = { range: p.range, newText, title: `Change to ${newText}` };
    }
    ctx.problems.push(p);
  }
}

/** `task` as written, else the bundled set's own task, else the schema default; a contradiction is an error. */
function resolveTask(ctx: ParseContext, data: DataFacts): Task {
  const taskNode = nodeAt(ctx, ['task']);
  const explicit = taskNode?.value === 'classification' || taskNode?.value === 'regression' ? (taskNode.value as Task) : undefined;
  if (explicit && data.datasetTask && explicit !== data.datasetTask && taskNode) {
    report(ctx, 'error', 'task-mismatch', ['task'], taskNode, `"${explicit}" does not fit the ${data.spec.source} dataset, which is a ${data.datasetTask} set`);
  }
  return explicit ?? data.datasetTask ?? schemaDefault<Task>('#', 'task');
}

/** Without `data`: training needs inputs, and a prediction-only ensemble needs labels. */
function checkDataPresent(ctx: ParseContext, data: DataFacts, members: MemberSpec[]): void {
  if (data.kind !== 'none' || nodeAt(ctx, ['data']) !== undefined) return;
  if (members.some((m) => m.source.kind === 'layers')) {
    report(ctx, 'error', 'missing-data', ['data'], ownerOf(ctx, []), '`layers` members need training data: add `data` with a `source` or data files');
  } else if (members.length > 0) {
    report(ctx, 'error', 'no-labels', ['data'], ownerOf(ctx, []), 'a prediction-only ensemble needs labels: add `data` with `labels` (a file of test labels) or a dataset');
  }
}

function assemble(ctx: ParseContext, task: Task, data: DataFacts, members: MemberSpec[]): EnsembleConfig {
  const str = (path: string): string | undefined => {
    const v = nodeAt(ctx, [path])?.value;
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const cache = str('cache');
  const config: EnsembleConfig = {
    file: ctx.file,
    dir: ctx.dir,
    name: configName(ctx.file, str('name')),
    task,
    data: data.spec,
    members,
    combine: buildCombine(ctx, members, task),
    rootRange: ctx.lines.rangeOf(ctx.root),
    cacheDir: resolvePath(ctx.dir, cache ?? schemaDefault<string>('#', 'cache')),
  };
  if (cache !== undefined) config.cache = cache;
  const attack = buildAttack(ctx, task, members, data.numClasses);
  if (attack) config.attack = attack;
  const analysis = buildAnalysis(ctx, task);
  if (analysis) config.analysis = analysis;
  const membersNode = nodeAt(ctx, ['members']);
  if (membersNode) config.membersRange = ctx.lines.rangeOf(membersNode);
  const description = str('description');
  if (description !== undefined) config.description = description;
  return config;
}

/**
 * Parses and checks a config. `file` is its absolute path (relative paths in it resolve against its
 * folder). `config` is present whenever the root is an object, even with errors; `problems` holds every
 * problem found, sorted by position.
 */
export function parseConfig(text: string, file: string, host?: ConfigHost, options: ParseOptions = {}): ParseResult {
  const lines = new LineIndex(text);
  const problems: Problem[] = [];
  const errors: ParseError[] = [];
  const root: Node | undefined = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    const code = printParseErrorCode(e.error);
    problems.push({ severity: 'error', code: 'json-syntax', file, path: [], range: lines.range(e.offset, e.length), message: `syntax error: ${SYNTAX_MESSAGES[code] ?? code}` });
  }
  if (!root || root.type !== 'object') {
    if (root) problems.push({ severity: 'error', code: 'schema', file, path: [], range: lines.rangeOf(root), message: '(root): expected an object' });
    else if (errors.length === 0) problems.push({ severity: 'error', code: 'schema', file, path: [], range: lines.range(0, 0), message: '(root): the file is empty' });
    return { problems };
  }
  const ctx: ParseContext = { file, dir: dirnameOf(file), lines, root, host, maxModelBytes: options.maxModelBytes ?? DEFAULT_MAX_MODEL_BYTES, problems };
  schemaProblems(ctx);
  const data = buildData(ctx);
  const task = resolveTask(ctx, data);
  const members = buildMembers(ctx, data, task);
  checkDataPresent(ctx, data, members);
  const config = assemble(ctx, task, data, members);
  problems.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { config, problems };
}
