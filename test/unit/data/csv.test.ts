import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, parseNumber } from '../../../src/core/data/csv';
import { DataError } from '../../../src/core/data/errors';
import { csvTable, labelEncoding, parseJsonTable, readFeatures, readLabels } from '../../../src/core/data/table';

function error(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('quotes, escaped quotes, commas and newlines inside quotes', () => {
  const t = parseCsv('name,note,v\n"Smith, J.","said ""hi""",1\nplain,"two\nlines",2\n', 'a.csv');
  assert.deepEqual(t.header, ['name', 'note', 'v']);
  assert.deepEqual(t.rows, [['Smith, J.', 'said "hi"', '1'], ['plain', 'two\nlines', '2']]);
  // Empty quoted and unquoted fields.
  assert.deepEqual(parseCsv('a,b,c\n"",,x\n').rows, [['', '', 'x']]);
});

test('CRLF line ends, BOM, empty trailing line and blank lines', () => {
  const t = parseCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,"4\r\n5"\r\n\r\n');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(t.rows, [['1', '2'], ['3', '4\r\n5']]);
  assert.deepEqual(parseCsv('a\n1').rows, [['1']], 'no final newline');
});

test("a bad number reports file:line:col and the column's name", () => {
  const text = 'sepal_length,sepal_width\n5.1,3.5\n4.9,abc\n';
  const t = csvTable(parseCsv(text, 'data/train.csv'));
  const e = error(() => readFeatures(t, [0, 1]));
  assert.equal(e.message, "'abc' is not a number in column 'sepal_width'");
  assert.deepEqual([e.file, e.line, e.column], ['data/train.csv', 3, 5]);
  assert.equal(e.toString(), "data/train.csv:3:5: 'abc' is not a number in column 'sepal_width'");
  // Line numbers count the physical lines of earlier multi-line quoted fields.
  const t2 = csvTable(parseCsv('a,b\n"x\ny",1\n"q",  \n', 'm.csv'));
  const e2 = error(() => readFeatures(t2, [1]));
  assert.equal(e2.message, "empty value in column 'b'");
  assert.deepEqual([e2.line, e2.column], [4, 5]);
  // Quoted field: the column points at the opening quote.
  const e3 = error(() => readFeatures(csvTable(parseCsv('a,b\r\n1,"1e"\r\n', 'q.csv')), [0, 1]));
  assert.deepEqual([e3.line, e3.column, e3.message], [2, 3, "'1e' is not a number in column 'b'"]);
});

test('structural errors: unterminated quote, stray quote, junk after a quote, wrong field count', () => {
  const e1 = error(() => parseCsv('a,b\n1,"oops\n2,3\n', 'u.csv'));
  assert.deepEqual([e1.file, e1.line, e1.column], ['u.csv', 2, 3]);
  assert.match(e1.message, /unterminated quoted field/);
  const e2 = error(() => parseCsv('a,b\n1,x"y\n', 's.csv'));
  assert.deepEqual([e2.line, e2.column], [2, 4]);
  const e3 = error(() => parseCsv('a,b\n"1"x,2\n', 'j.csv'));
  assert.deepEqual([e3.line, e3.column], [2, 4]);
  assert.match(e3.message, /after a closing quote/);
  const e4 = error(() => parseCsv('a,b,c\n1,2,3\n4,5\n', 'f.csv'));
  assert.equal(e4.message, 'expected 3 fields like the header, found 2');
  assert.equal(e4.line, 3);
  const e5 = error(() => parseCsv('a,b\n1,2,3\n', 'g.csv'));
  assert.deepEqual([e5.line, e5.column], [2, 5], 'points at the first extra field');
  assert.match(error(() => parseCsv('\n\n', 'e.csv')).message, /empty CSV file/);
});

test('TSV through the delimiter option, with the same quoting and positions', () => {
  const t = parseCsv('a\tb\n"x\ty"\t2\n3\tz\n', 't.tsv', { delimiter: '\t' });
  assert.deepEqual(t.rows, [['x\ty', '2'], ['3', 'z']]);
  const e = error(() => readFeatures(csvTable(t), [1]));
  assert.equal(e.toString(), "t.tsv:3:3: 'z' is not a number in column 'b'");
});

test('parseNumber accepts decimal notation only', () => {
  assert.equal(parseNumber(' -1.5e3 '), -1500);
  assert.equal(parseNumber('.5'), 0.5);
  assert.equal(parseNumber('7.'), 7);
  for (const bad of ['', ' ', 'abc', '0x10', '1,5', 'NaN', 'Infinity', '1e', '--1']) assert.equal(parseNumber(bad), undefined, bad);
});

test('label encoding: non-negative integers are indices; names are sorted', () => {
  const ints = labelEncoding(['2', 0, '1', 2]);
  assert.equal(ints.numClasses, 3);
  assert.equal(ints.classNames, undefined);
  const names = labelEncoding(['versicolor', 'setosa', 'virginica', 'setosa']);
  assert.deepEqual(names.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.equal(names.index.get('virginica'), 2);
  const numeric = labelEncoding([-1, 1, 0.5]);
  assert.deepEqual(numeric.classNames, ['-1', '0.5', '1'], 'sorted numerically');
});

test('JSON tables: array of objects and {columns, rows}, with located errors', () => {
  const objs = parseJsonTable('[\n {"a": 1, "b": "x"},\n {"a": 2.5, "b": "y"}\n]', 'o.json');
  assert.deepEqual(objs.columns, ['a', 'b']);
  assert.deepEqual(readFeatures(objs, [0]), Float32Array.from([1, 2.5]));
  assert.deepEqual(readLabels(objs, 1, 'classification'), Float32Array.from([0, 1]));
  const cr = parseJsonTable('{"columns": ["f", "label"], "rows": [[1, 0], [2, 1], [3, "1"]]}', 'c.json');
  assert.deepEqual(readLabels(cr, 1, 'classification'), Float32Array.from([0, 1, 1]));
  const bad = parseJsonTable('[\n {"a": 1},\n {"a": "z"}\n]', 'b.json');
  const e = error(() => readFeatures(bad, [0]));
  assert.equal(e.toString(), "b.json:3:8: 'z' is not a number in column 'a'");
  const missing = parseJsonTable('[{"a": 1, "b": 2},\n{"a": 3}]', 'm.json');
  const e2 = error(() => readFeatures(missing, [0, 1]));
  assert.deepEqual([e2.message, e2.line, e2.column], ["missing value for column 'b'", 2, 1]);
  const e3 = error(() => parseJsonTable('[\n {"a": 1,}\n]', 's.json'));
  assert.deepEqual([e3.line, e3.column], [2, 10]);
  assert.match(e3.message, /^invalid JSON: /);
  assert.match(error(() => parseJsonTable('{"rows": 1}', 'x.json')).message, /expected a JSON array of row objects/);
  assert.equal(error(() => readFeatures(parseJsonTable('[{"a": [1]}]', 'n.json'), [0])).toString(), "n.json:1:8: [1] is not a number in column 'a'");
  const e4 = error(() => parseJsonTable('{"columns": ["a", "b"], "rows": [[1, 2], [3]]}', 'r.json'));
  assert.equal(e4.message, 'rows[1] has 1 values, expected 2 (one per column)');
});

test('DataError prints whatever location it has', () => {
  assert.equal(new DataError('m', { file: 'f', line: 2, column: 3 }).toString(), 'f:2:3: m');
  assert.equal(new DataError('m', { file: 'f', line: 2 }).toString(), 'f:2: m');
  assert.equal(new DataError('m', { file: 'f' }).toString(), 'f: m');
  const bare = new DataError('m');
  assert.deepEqual([bare.toString(), bare.where, bare.message, bare.name], ['m', '', 'm', 'DataError']);
  assert.ok(bare instanceof Error);
});
