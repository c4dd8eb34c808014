// `ensemble-lens`: the headless front door to the engine, for terminals and CI.
import { parseArgs } from 'node:util';
import { CliError, formatProblem, loadConfig } from './loadConfig';
import { DataError } from '../core/data/errors';
import { runTrain } from './commands/train';
import { runReport } from './commands/report';
import { runAttack } from './commands/attack';

const USAGE = `Usage: ensemble-lens <command> <config.ensemble.json> [options]

Commands:
  validate <config>                       check a config; prints file:line:col: message per problem
  train <config> [--backend B] [--workers N] [--member ID]...
                                          train (or load) every member the cache lacks
  report <config> [--json out.json] [--html out.html] [--no-train] [--member ID]...
                                          analyse the ensemble (or the members named); without
                                          --json/--html prints a summary
  attack <config> [--json out.json] [--force]
                                          adversarial transferability between members (the config's attack block)
Options:
  --backend auto|tensorflow|wasm|cpu      TensorFlow.js backend (default auto)
  --workers N                             worker threads (default: one per core)
  --cache DIR                             cache folder (default: <config dir>/.ensemble-lens)
  --max-model-mb N                        refuse members whose estimated memory exceeds N MiB (default 2048)
  -h, --help                              this help

Exit codes: 0 ok, 1 problems in the config or a failed member, 2 bad usage, 130 interrupted.`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backend: { type: 'string' },
        workers: { type: 'string' },
        cache: { type: 'string' },
        member: { type: 'string', multiple: true },
        json: { type: 'string' },
        html: { type: 'string' },
        'no-train': { type: 'boolean' },
        force: { type: 'boolean' },
        'max-model-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const [command, configPath, ...extra] = positionals;
  if (!configPath) throw new CliError(`${command}: missing <config> argument\n\n${USAGE}`, 2);
  if (extra.length) throw new CliError(`unexpected arguments: ${extra.join(' ')}`, 2);

  const backend = values.backend ?? 'auto';
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) throw new CliError(`--backend must be auto, tensorflow, wasm or cpu (got '${backend}')`, 2);
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new CliError(`--workers must be a positive integer (got '${values.workers}')`, 2);
  }
  let maxModelBytes: number | undefined;
  if (values['max-model-mb'] !== undefined) {
    const mb = Number(values['max-model-mb']);
    if (!(mb > 0)) throw new CliError(`--max-model-mb must be a positive number (got '${values['max-model-mb']}')`, 2);
    maxModelBytes = mb * 1024 * 1024;
  }
  const common = { configPath, backend: backend as 'auto' | 'tensorflow' | 'wasm' | 'cpu', workers, cacheDir: values.cache, maxModelBytes };

  switch (command) {
    case 'validate': {
      const r = loadConfig(configPath, { maxModelBytes });
      for (const p of r.problems) process.stdout.write(formatProblem(p) + '\n');
      if (r.errors === 0) process.stdout.write(`${configPath}: ok (${r.config?.members.length ?? 0} members)\n`);
      return r.errors === 0 ? 0 : 1;
    }
    case 'train':
      return runTrain({ ...common, only: values.member });
    case 'report':
      return runReport({ ...common, json: values.json, html: values.html, train: !values['no-train'], members: values.member });
    case 'attack':
      return runAttack({ ...common, json: values.json, force: values.force });
    default:
      throw new CliError(`unknown command '${command}'\n\n${USAGE}`, 2);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof CliError) {
      process.stderr.write(`ensemble-lens: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else if (e instanceof DataError) {
      // a data file the config names is wrong: file:line:col: message, like a config problem
      process.stderr.write(`ensemble-lens: ${e.toString()}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`ensemble-lens: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 70;
    }
  },
);
