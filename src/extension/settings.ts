// Typed access to the `ensembleLens.*` settings (declared in package.json `contributes.configuration`).
import * as vscode from 'vscode';
import type { BackendChoice } from '../core/protocol';
import type { FindingOptions } from '../core/findings';
import { DEFAULT_FIELDS, type AnnotationField } from './logic/format';

export interface Settings {
  backend: BackendChoice;
  /** Worker threads; undefined = one per core. */
  workers?: number;
  /** Cache folder as set ('' = the config's own / .ensemble-lens). */
  cacheFolder: string;
  redundancyThreshold: number;
  /** Member ECE at or above which it is reported as poorly calibrated (`ensembleLens.findings.calibrationEce`). */
  calibrationEce: number;
  /** Relative NLL/RMSE gain from leaving a member out above which it is reported as hurting (`ensembleLens.findings.hurtTolerance`). */
  hurtTolerance: number;
  gutter: boolean;
  afterLine: boolean;
  codeLens: boolean;
  hover: boolean;
  findings: boolean;
  fields: AnnotationField[];
}

/** Reads the settings for a resource (a config file), so folder-level overrides apply. */
export function settings(scope?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration('ensembleLens', scope);
  const workers = c.get<number>('workers', 0);
  return {
    backend: c.get<BackendChoice>('backend', 'auto'),
    workers: workers > 0 ? workers : undefined,
    cacheFolder: c.get<string>('cacheFolder', ''),
    redundancyThreshold: c.get<number>('redundancyThreshold', 0.95),
    calibrationEce: c.get<number>('findings.calibrationEce', 0.1),
    hurtTolerance: c.get<number>('findings.hurtTolerance', 0.002),
    gutter: c.get<boolean>('annotations.gutter', true),
    afterLine: c.get<boolean>('annotations.afterLine', true),
    codeLens: c.get<boolean>('annotations.codeLens', true),
    hover: c.get<boolean>('annotations.hover', true),
    findings: c.get<boolean>('annotations.findings', true),
    fields: c.get<AnnotationField[]>('annotations.metrics', DEFAULT_FIELDS),
  };
}

/** The thresholds findings are judged by, from the settings. */
export function findingOptions(s: Settings): FindingOptions {
  return { redundancyThreshold: s.redundancyThreshold, poorEce: s.calibrationEce, hurtTolerance: s.hurtTolerance };
}

/** The cache folder to pass to the engine: undefined lets the engine use the config's default. */
export function cacheDirSetting(scope: vscode.Uri): string | undefined {
  const s = settings(scope).cacheFolder.trim();
  return s ? s : undefined;
}
