// `ensemble-lens report --html`: the dashboard as one self-contained HTML file. Reads the built
// dashboard (dist/dashboard.js + dist/dashboard.css and its fonts) and inlines them with the snapshot.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inlineCssAssets, renderDashboardHtml } from '../core/htmlReport';
import type { EnsembleOutputs } from '../core/outputs';
import type { EnsembleReport } from '../core/report';
import { buildSnapshot, type SnapshotDataset } from '../core/snapshot';
import type { DashboardFinding, SnapshotGrid } from '../core/webviewProtocol';

export interface HtmlReportExtras {
  /** The test inputs (images are drawn in the Predictions view). */
  dataset?: SnapshotDataset;
  /** Member outputs on a 2-D grid (Decision boundaries view). */
  grid?: SnapshotGrid;
  findings?: DashboardFinding[];
  /** Folder holding dashboard.js/.css (default: found next to this bundle, or the repo's dist/). */
  distDir?: string;
}

/** Where the built dashboard is: beside the CLI bundle (dist/cli.js) or, from sources, in ../../dist. */
export function findDashboardDist(): string {
  for (const dir of [__dirname, join(__dirname, '../../dist'), join(__dirname, '../dist')]) {
    if (existsSync(join(dir, 'dashboard.js'))) return dir;
  }
  throw new Error('dist/dashboard.js not found: run `npm run build` first');
}

/** Reads the built dashboard with its CSS assets inlined. */
export function readDashboardBundle(distDir = findDashboardDist()): { script: string; css: string } {
  const script = readFileSync(join(distDir, 'dashboard.js'), 'utf8');
  const cssFile = join(distDir, 'dashboard.css');
  const css = existsSync(cssFile)
    ? inlineCssAssets(readFileSync(cssFile, 'utf8'), (rel) => {
        const p = join(dirname(cssFile), rel);
        return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
      })
    : '';
  return { script, css };
}

/** The HTML document of a report (and, when given, its outputs and inputs). */
export async function renderHtmlReport(report: EnsembleReport, outputs?: EnsembleOutputs, extras: HtmlReportExtras = {}): Promise<string> {
  const { script, css } = readDashboardBundle(extras.distDir);
  const snapshot = buildSnapshot(report, outputs, extras.dataset, { host: 'export', grid: extras.grid, findings: extras.findings });
  return renderDashboardHtml({ script, css, snapshot });
}
