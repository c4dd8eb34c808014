// `ensemble-lens attack <config> [--json out.json]`: trains what the cache lacks, then computes the
// adversarial transferability matrix in a worker thread, with progress; Ctrl-C cancels.
import { resolve } from 'node:path';
import type { BackendChoice } from '../../core/protocol';
import { formatMatrix, sweepTable, type TransferabilityResult } from '../../core/transfer';
import { atomicWrite } from '../../engine/cache/memberCache';
import { loadCachedTransferability, runTransferability } from '../../engine/attack/transferability';
import { CliError, requireValidConfig } from '../loadConfig';
import { trainWithProgress } from './train';

export interface AttackArgs {
  configPath: string;
  backend: BackendChoice;
  workers?: number;
  cacheDir?: string;
  /** Write the TransferabilityResult JSON here. */
  json?: string;
  maxModelBytes?: number;
  /** Recompute even when the result is cached. */
  force?: boolean;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);

/** The result as terminal text: protocol, matrix, summary, ensemble attacks, leave-one-out, sweeps, skipped. */
export function formatTransferability(r: TransferabilityResult): string {
  const p = r.protocol;
  const out: string[] = [];
  const target = p.targeted ? `, targeted (${p.targetRule === 'fixed' ? `class ${p.targetClass}` : 'label + 1'})` : '';
  out.push(
    `${p.attack.toUpperCase()} ${p.norm} eps ${p.epsilon}, ${p.steps} step(s) of ${+p.stepSize.toPrecision(4)}, ${p.restarts} restart(s)${p.randomStart ? ', random start' : ''}${target}`,
    `pool: ${p.poolSize} test samples every member classifies correctly (of ${p.candidates} examined, seed ${p.seed}); bounds [${+p.bounds.min.toPrecision(4)}, ${+p.bounds.max.toPrecision(4)}] (${p.bounds.source}); backend ${p.backend}`,
    '',
    'fooled fraction (rows: source the examples were crafted on; columns: target):',
    formatMatrix(r),
    '',
    `mean off-diagonal transfer: ${pct(r.summary.meanOffDiagonal)} (lower = more diverse vulnerabilities); white-box ${pct(r.summary.whiteBoxMean)}; on the ensemble ${pct(r.summary.ensembleMean)}`,
  );
  const { mostTransferable: most, leastTransferable: least } = r.summary;
  if (most && least) out.push(`most transferable: ${most.source} -> ${most.target} ${pct(most.rate)}; least: ${least.source} -> ${least.target} ${pct(least.rate)}`);
  const attacks = Object.entries(r.ensembleAttacks);
  if (attacks.length) {
    out.push('', `ensemble attacks on ${attacks[0][1].surrogates.length} surrogates:`);
    for (const [name, row] of attacks) out.push(`  ${name.padEnd(6)} ${r.columns.map((c, j) => `${c} ${pct(row.rates[j])}`).join('  ')}`);
  }
  if (r.leaveOneOut.length) {
    out.push('', 'leave-one-out (ENS on the others, measured on the held-out member / on the ensemble):');
    for (const e of r.leaveOneOut) out.push(`  ${e.heldOut.padEnd(12)} ${pct(e.rate).padStart(7)}  ${pct(e.ensembleRate).padStart(7)}`);
  }
  if (r.sweeps.length) {
    out.push('', 'epsilon sweep (mean off-diagonal / white-box / ensemble column):');
    for (const s of sweepTable(r)) out.push(`  eps ${String(s.epsilon).padEnd(8)} ${pct(s.meanOffDiagonal).padStart(7)} ${pct(s.whiteBoxMean).padStart(7)} ${pct(s.ensembleMean).padStart(7)}`);
  }
  for (const s of r.skipped) out.push(`skipped ${s.id}: ${s.reason}`);
  return out.join('\n');
}

export async function runAttack(args: AttackArgs): Promise<number> {
  const config = requireValidConfig(args.configPath, { maxModelBytes: args.maxModelBytes });
  if (config.task !== 'classification') throw new CliError(`${args.configPath}: attacks need a classification task`);
  if (!config.attack) process.stderr.write('no `attack` block in the config: using the defaults (PGD, L-inf, epsilon 0.1, 10 steps)\n');
  const trained = await trainWithProgress({ configPath: args.configPath, backend: args.backend, workers: args.workers, cacheDir: args.cacheDir, maxModelBytes: args.maxModelBytes });
  if (trained.cancelled) return 130;

  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\ninterrupted: stopping the attack (Ctrl-C again to quit now)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const tty = Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb';
  let lastTenth = -1;
  const t0 = Date.now();
  const cached = !args.force && (await loadCachedTransferability(config, { backend: args.backend, cacheDir: args.cacheDir })) !== undefined;
  let result: TransferabilityResult;
  try {
    result = await runTransferability(config, {
      backend: args.backend,
      cacheDir: args.cacheDir,
      force: args.force,
      signal: abort.signal,
      onBackend: (b) => process.stderr.write(`attack backend: ${b.name} (${b.reason})\n`),
      log: (l) => process.stderr.write(`${l}\n`),
      onProgress: (done, total, label) => {
        if (tty) process.stderr.write(`\r\x1b[2Kattack ${done}/${total} ${label}`);
        else if (Math.floor((10 * done) / total) > lastTenth) {
          lastTenth = Math.floor((10 * done) / total);
          process.stderr.write(`attack ${done}/${total} ${label}\n`);
        }
      },
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') return 130;
    throw new CliError(`attack: ${(e as Error).message}`);
  } finally {
    if (tty) process.stderr.write('\r\x1b[2K');
    process.off('SIGINT', onSigint);
  }
  process.stderr.write(cached ? `transferability from the cache (computed in ${(result.millis / 1000).toFixed(1)}s)\n` : `transferability in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  process.stdout.write(formatTransferability(result) + '\n');
  if (args.json) {
    const out = resolve(args.json);
    await atomicWrite(out, JSON.stringify(result, null, 1));
    process.stderr.write(`wrote ${out}\n`);
  }
  return 0;
}
