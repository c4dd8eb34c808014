// A hand-made report shared by the extension's logic tests.
import type { EnsembleReport } from '../../../src/core/report';

/** Members a..d (+ e, failed). a is best (lowest NLL); b tracks a (ρ 0.97); c is poorly calibrated; removing d helps. */
export function handReport(): EnsembleReport {
  const m = (id: string, nll: number, ece: number, accuracy: number) => ({ id, groupId: id, kind: 'layers', state: 'ok', line: 1, metrics: { accuracy, nll, brier: 0.1, ece } });
  return {
    format: 'ensemble-lens-report',
    version: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    tool: { name: 'ensemble-lens', version: '0.1.0' },
    data: { source: 'moons', nTest: 100, numClasses: 2 },
    config: { file: 'x.ensemble.json', name: 'x', task: 'classification', combine: { method: 'mean' } },
    members: [m('a', 0.2, 0.02, 0.9), m('b', 0.25, 0.03, 0.89), m('c', 0.3, 0.15, 0.85), m('d', 0.5, 0.05, 0.8), { id: 'e', groupId: 'e', kind: 'layers', state: 'failed', line: 1, message: 'boom' }],
    ensemble: { members: ['a', 'b', 'c', 'd'], metrics: { accuracy: 0.9, nll: 0.18, brier: 0.09, ece: 0.03 } },
    diversity: {
      memberIds: ['a', 'b', 'c', 'd'],
      errorCorrelation: [
        [1, 0.97, 0.5, 0.2],
        [0.97, 1, 0.96, 0.3],
        [0.5, 0.96, 1, 0.1],
        [0.2, 0.3, 0.1, 1],
      ],
    },
    contributions: {
      leaveOneOut: [
        { id: 'a', values: { accuracy: 0.88, nll: 0.21 }, delta: { accuracy: -0.02, nll: 0.03 } },
        { id: 'b', values: { accuracy: 0.9, nll: 0.1801 }, delta: { accuracy: 0, nll: 0.0001 } },
        { id: 'c', values: { accuracy: 0.89, nll: 0.1798 }, delta: { accuracy: -0.01, nll: -0.0002 } },
        { id: 'd', values: { accuracy: 0.91, nll: 0.17 }, delta: { accuracy: 0.01, nll: -0.01 } },
      ],
    },
  } as unknown as EnsembleReport;
}
