// Pure pieces, checked against values worked out by hand: the matrix summaries and sweep table
// (src/core/transfer.ts), attack spec defaults, the PNG encoder, and the attack cache's file handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { formatMatrix, meanOffDiagonal, rankPairs, summarizeMatrix, sweepTable, type ColumnKind, type TransferabilityResult } from '../../../src/core/transfer';
import { formatTransferability } from '../../../src/cli/commands/attack';
import { readAttackResult, writeAttackResult } from '../../../src/engine/attack/attackCache';
import { encodePng } from '../../../src/engine/attack/png';
import { resolveAttack, stepOptions } from '../../../src/engine/attack/spec';

const rows = ['a', 'b'];
const columns = ['a', 'b', 'onnx', 'ensemble'];
const kinds: ColumnKind[] = ['differentiable', 'differentiable', 'black-box', 'ensemble'];
const matrix = [
  [0.9, 0.4, 0.2, 0.5],
  [0.3, 1.0, 0.3, 0.6],
];

test('summaries: mean off-diagonal, white-box, ensemble, most/least transferable pairs', () => {
  // off-diagonal member entries: a->b 0.4, a->onnx 0.2, b->a 0.3, b->onnx 0.3 => mean 1.2/4 = 0.3
  assert.ok(Math.abs(meanOffDiagonal(rows, columns, matrix, kinds)! - 0.3) < 1e-12);
  const s = summarizeMatrix(rows, columns, matrix, kinds);
  assert.ok(Math.abs(s.whiteBoxMean! - 0.95) < 1e-12);
  assert.ok(Math.abs(s.ensembleMean! - 0.55) < 1e-12);
  assert.deepEqual(s.mostTransferable, { source: 'a', target: 'b', rate: 0.4 });
  assert.deepEqual(s.leastTransferable, { source: 'a', target: 'onnx', rate: 0.2 });
  // ties (b->a 0.3 and b->onnx 0.3) are ordered by source then target id
  assert.deepEqual(rankPairs(rows, columns, matrix, kinds).map((p) => `${p.source}>${p.target}`), ['a>b', 'b>a', 'b>onnx', 'a>onnx']);
  assert.equal(meanOffDiagonal(['a'], ['a', 'ensemble'], [[0.8, 0.7]]), null, 'one member: no off-diagonal entry');
});

test('the sweep table is sorted by epsilon and reads the ensemble column of each ensemble attack', () => {
  const sweeps: TransferabilityResult['sweeps'] = [
    { epsilon: 0.3, matrix, counts: [], meanOffDiagonal: 0.3, ensembleRates: [0.5, 0.6], ensembleAttacks: { ens: [0.7, 0.7, 0.4, 0.8] } },
    { epsilon: 0.1, matrix: [[0.5, 0.1, 0.0, 0.2], [0.1, 0.6, 0.1, 0.2]], counts: [], meanOffDiagonal: 0.075, ensembleRates: [0.2, 0.2], ensembleAttacks: { ens: [0.3, 0.3, 0.1, 0.35] } },
  ];
  const t = sweepTable({ rows, columns, columnKinds: kinds, sweeps });
  assert.deepEqual(t.map((r) => r.epsilon), [0.1, 0.3]);
  assert.ok(Math.abs(t[0].meanOffDiagonal! - 0.075) < 1e-12); // (0.1 + 0 + 0.1 + 0.1) / 4
  assert.ok(Math.abs(t[0].whiteBoxMean! - 0.55) < 1e-12);
  assert.deepEqual(t[0].ensembleAttacks, { ens: 0.35 });
  assert.deepEqual(t[1].ensembleAttacks, { ens: 0.8 });
});

test('formatMatrix lays out one line per source', () => {
  const text = formatMatrix({ rows, columns, matrix });
  const lines = text.split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^source \\ target\s+a\s+b\s+onnx\s+ensemble$/);
  assert.match(lines[2], /^b\s+0\.30\s+1\.00\s+0\.30\s+0\.60$/);
});

test('attack spec defaults: PGD step epsilon/4, FGSM one step of epsilon without random start', () => {
  const pgd = resolveAttack({ epsilon: [0.2, 0.4] });
  assert.deepEqual([pgd.method, pgd.norm, pgd.steps, pgd.restarts, pgd.randomStart, pgd.poolSize], ['pgd', 'linf', 10, 1, true, 1000]);
  assert.equal(stepOptions(pgd, 0.4).stepSize, 0.1);
  assert.equal(stepOptions(resolveAttack({ epsilon: [0.2], stepSize: 0.03 }), 0.2).stepSize, 0.03);
  const fgsm = resolveAttack({ method: 'fgsm', epsilon: [0.3], steps: 20, randomStart: true, restarts: 5 });
  assert.deepEqual([fgsm.steps, fgsm.randomStart, fgsm.restarts, stepOptions(fgsm, 0.3).stepSize], [1, false, 1, 0.3]);
  assert.equal(resolveAttack({ randomStart: false, restarts: 4 }).restarts, 1, 'restarts without a random start would repeat one run');
  assert.equal(resolveAttack({ restarts: 4 }).restarts, 4);
  assert.deepEqual([pgd.ensembleAttacks, pgd.leaveOneOut], [['ens'], false], 'the schema default');
  const ens = resolveAttack({ ensembleAttacks: ['cwa', 'leaveOneOut'] });
  assert.deepEqual([ens.ensembleAttacks, ens.leaveOneOut], [['cwa'], true]);
  assert.throws(() => resolveAttack({ epsilon: [0] }), /attack.epsilon/);
  assert.throws(() => resolveAttack({ restarts: 0 }), /attack.restarts/);
});

test('PNG: header, size and pixels survive a decode', () => {
  const png = encodePng([0, 0.5, 1, 2, -1, 0.25], 3, 2, 1);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [3, 2, 8, 0]);
  const idatLen = png.readUInt32BE(33);
  assert.equal(png.subarray(37, 41).toString('ascii'), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLen));
  // each row: filter byte 0, then values*255 rounded and clamped to [0, 255]
  assert.deepEqual([...raw], [0, 0, 128, 255, 0, 255, 0, 64]);
});

test('the attack cache keeps valid results and removes corrupt or foreign files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'el-attack-cache-'));
  try {
    const key = 'ab'.repeat(20);
    assert.equal(await readAttackResult(dir, key), undefined);
    const result = { format: 'ensemble-lens-transferability', version: 1, key, matrix: [[1]] } as unknown as TransferabilityResult;
    await writeAttackResult(dir, result);
    assert.deepEqual(await readAttackResult(dir, key), result);
    writeFileSync(join(dir, 'attacks', `${key}.json`), '{"format": "ensemble-lens-transf');
    assert.equal(await readAttackResult(dir, key), undefined);
    assert.ok(!existsSync(join(dir, 'attacks', `${key}.json`)), 'a truncated file is removed');
    mkdirSync(join(dir, 'attacks'), { recursive: true });
    writeFileSync(join(dir, 'attacks', `${key}.json`), JSON.stringify({ ...result, key: 'cd'.repeat(20) }));
    assert.equal(await readAttackResult(dir, key), undefined, 'a result stored under another key is not trusted');
    await assert.rejects(writeAttackResult(dir, { ...result, key: '../x' }), /invalid attack cache key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI text names the protocol, the matrix, the pairs, the ensemble attacks and the skipped members', () => {
  const r: TransferabilityResult = {
    format: 'ensemble-lens-transferability', version: 1,
    rows, columns, columnKinds: kinds, matrix, counts: [],
    protocol: { attack: 'pgd', norm: 'l2', epsilon: 0.5, epsilons: [0.5], steps: 10, stepSize: 0.125, randomStart: true, restarts: 2, targeted: true, targetRule: 'fixed', targetClass: 3,
      poolSize: 40, poolRequested: 50, candidates: 45, seed: 1, bounds: { source: 'data', min: -2, max: 3 }, ensembleCombine: 'mean-probability', backend: 'wasm' },
    ensembleAttacks: { ens: { surrogates: ['a', 'b'], rates: [0.8, 0.7, 0.45, 0.75], counts: [] } },
    leaveOneOut: [{ heldOut: 'a', surrogates: ['b'], rate: 0.3, count: 12, ensembleRate: 0.5 }],
    sweeps: [], gallery: { kind: 'none', reason: '' }, skipped: [{ id: 'p', reason: 'a prediction file' }],
    summary: summarizeMatrix(rows, columns, matrix, kinds), pool: [], millis: 1, key: '',
  };
  const text = formatTransferability(r);
  assert.match(text, /^PGD l2 eps 0\.5, 10 step\(s\) of 0\.125, 2 restart\(s\), random start, targeted \(class 3\)$/m);
  assert.match(text, /pool: 40 test samples .*\(of 45 examined, seed 1\); bounds \[-2, 3\] \(data\); backend wasm/);
  assert.match(text, /mean off-diagonal transfer: 30\.0%/);
  assert.match(text, /most transferable: a -> b 40\.0%; least: a -> onnx 20\.0%/);
  assert.match(text, /ens\s+a 80\.0%\s+b 70\.0%\s+onnx 45\.0%\s+ensemble 75\.0%/);
  assert.match(text, /^\s+a\s+30\.0%\s+50\.0%$/m);
  assert.match(text, /^skipped p: a prediction file$/m);
});
