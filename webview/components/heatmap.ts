// A square or rectangular heatmap on chartjs-chart-matrix: theme-derived colour scale, values drawn in
// the cells when they fit, a highlighted selected cell, and a click handler.
import type { Chart, Plugin } from 'chart.js';
import type { MatrixDataPoint } from 'chartjs-chart-matrix';
import type { ChartBag } from '../charts';
import { mix, parseColor, rgba, type Palette } from '../theme';

export interface HeatmapSpec {
  rows: string[];
  cols: string[];
  /** values[i][j] for rows[i], cols[j]; null draws an empty cell. */
  values: (number | null)[][];
  min: number;
  max: number;
  /** Diverging scale around 0 (e.g. correlations) instead of a sequential one. */
  diverging?: boolean;
  selected?: [number, number] | null;
  format(v: number): string;
  label: string;
  onClick?(i: number, j: number): void;
  size?: string;
}

interface Cell {
  x: string;
  y: string;
  v: number | null;
  i: number;
  j: number;
}

/** The palette's colour scale for a heatmap (colours parsed once, not per cell). */
export function colorScale(p: Palette, spec: Pick<HeatmapSpec, 'min' | 'max' | 'diverging'>): (v: number | null) => string {
  const bg = parseColor(p.background);
  const hi = parseColor(p.accent);
  const lo = parseColor(p.error);
  const empty = rgba(bg, 0);
  if (spec.diverging) {
    const m = Math.max(Math.abs(spec.min), Math.abs(spec.max)) || 1;
    return (v) => {
      if (v === null) return empty;
      const t = v / m;
      return rgba(t >= 0 ? mix(bg, hi, 0.15 + 0.85 * t) : mix(bg, lo, 0.15 + 0.85 * -t), 1);
    };
  }
  const span = spec.max > spec.min ? spec.max - spec.min : 0;
  return (v) => (v === null ? empty : rgba(mix(bg, hi, 0.08 + 0.92 * (span ? (v - spec.min) / span : 0.5)), 1));
}

/** The colour of one value (see colorScale). */
export function heatColor(p: Palette, spec: Pick<HeatmapSpec, 'min' | 'max' | 'diverging'>, v: number | null): string {
  return colorScale(p, spec)(v);
}

function textColorOn(bg: string): string {
  const c = parseColor(bg);
  const lum = (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255;
  return lum > 0.55 ? '#111111' : '#f3f3f3';
}

/** A drawn heatmap; `select` moves the highlighted cell without rebuilding the chart. */
export interface Heatmap {
  chart: Chart<'matrix'>;
  select(cell: [number, number] | null): void;
}

export function heatmap(parent: HTMLElement, charts: ChartBag, p: Palette, spec: HeatmapSpec): Heatmap {
  const cells: Cell[] = [];
  spec.rows.forEach((r, i) => spec.cols.forEach((c, j) => cells.push({ x: c, y: r, v: spec.values[i]?.[j] ?? null, i, j })));
  const large = spec.rows.length * spec.cols.length > 900;
  const showText = spec.rows.length <= 14 && spec.cols.length <= 14;
  const scale = colorScale(p, spec);
  const colors = cells.map((c) => scale(c.v));
  let selected = spec.selected ?? null;
  const box = (el: { getProps(k: string[], final: boolean): unknown }) => el.getProps(['x', 'y', 'width', 'height'], true) as { x: number; y: number; width: number; height: number };
  const drawOverlay = (chart: Chart<'matrix'>) => {
    const meta = chart.getDatasetMeta(0);
    const g = chart.ctx;
    g.save();
    if (showText) {
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.font = `${Math.max(10, p.fontSize - 2)}px ${p.fontFamily}`;
      meta.data.forEach((el, k) => {
        const cell = cells[k];
        if (cell.v === null) return;
        const { x, y, width, height } = box(el);
        if (width < 28) return;
        g.fillStyle = textColorOn(colors[k]);
        // The element's x/y is its top-left corner (the controller resolves the anchor).
        g.fillText(spec.format(cell.v), x + width / 2, y + height / 2);
      });
    }
    if (selected) {
      const el = meta.data[selected[0] * spec.cols.length + selected[1]];
      if (el) {
        const { x, y, width, height } = box(el);
        g.lineWidth = 2.5;
        g.strokeStyle = p.foreground;
        g.strokeRect(x + 1, y + 1, Math.max(1, width - 2), Math.max(1, height - 2));
      }
    }
    g.restore();
  };
  // The cells are drawn once per size into a bitmap; hover (tooltip) and selection redraws blit it
  // instead of drawing every cell again, so a 100 x 100 matrix redraws as fast as a 5 x 5 one.
  let cache: { key: string; bitmap: HTMLCanvasElement; sx: number; sy: number } | undefined;
  const cached: Plugin<'matrix'> = {
    id: 'cellCache',
    beforeDatasetsDraw(chart) {
      const a = chart.chartArea;
      const key = `${a.left},${a.top},${a.width},${a.height},${chart.canvas.width},${chart.canvas.height}`;
      if (!cache || cache.key !== key) return true;
      const g = chart.ctx;
      g.save();
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.drawImage(cache.bitmap, cache.sx, cache.sy);
      g.restore();
      drawOverlay(chart);
      return false;
    },
    afterDatasetsDraw(chart) {
      const a = chart.chartArea;
      const r = chart.currentDevicePixelRatio;
      const sx = Math.max(0, Math.floor((a.left - 2) * r));
      const sy = Math.max(0, Math.floor((a.top - 2) * r));
      const sw = Math.min(chart.canvas.width - sx, Math.ceil((a.width + 4) * r));
      const sh = Math.min(chart.canvas.height - sy, Math.ceil((a.height + 4) * r));
      if (sw > 0 && sh > 0) {
        const bitmap = document.createElement('canvas');
        bitmap.width = sw;
        bitmap.height = sh;
        bitmap.getContext('2d')?.drawImage(chart.canvas, sx, sy, sw, sh, 0, 0, sw, sh);
        cache = { key: `${a.left},${a.top},${a.width},${a.height},${chart.canvas.width},${chart.canvas.height}`, bitmap, sx, sy };
      }
      drawOverlay(chart);
    },
  };
  const { chart } = charts.add<'matrix'>(
    parent,
    {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: spec.label,
            data: cells as unknown as MatrixDataPoint[],
            backgroundColor: colors,
            borderWidth: 0,
            // A 1px gap between cells (none for large matrices, where it would eat the cells).
            width: ({ chart: ch }) => (ch.chartArea ? ch.chartArea.width / spec.cols.length - (large ? 0 : 1) : 10),
            height: ({ chart: ch }) => (ch.chartArea ? ch.chartArea.height / spec.rows.length - (large ? 0 : 1) : 10),
          },
        ],
      },
      options: {
        normalized: true,
        plugins: {
          legend: { display: false },
          tooltip: {
            animation: false,
            callbacks: {
              title: () => '',
              label: (item) => {
                const c = item.raw as Cell;
                return `${c.y} × ${c.x}: ${c.v === null ? 'undefined' : spec.format(c.v)}`;
              },
            },
          },
        },
        scales: {
          x: { type: 'category', labels: spec.cols, offset: true, grid: { display: false }, ticks: { autoSkip: spec.cols.length > 30, maxRotation: 60 } },
          // chartjs-chart-matrix reverses y by default; rows read top to bottom like a table.
          y: { type: 'category', labels: spec.rows, offset: true, reverse: false, grid: { display: false }, ticks: { autoSkip: spec.rows.length > 30 } },
        },
        onClick: (_e, els) => {
          const el = els[0];
          if (!el || !spec.onClick) return;
          const c = cells[el.index];
          spec.onClick(c.i, c.j);
        },
        onHover: (e, els) => {
          const t = e.native?.target as HTMLElement | undefined;
          if (t) t.style.cursor = els.length && spec.onClick ? 'pointer' : 'default';
        },
      },
      plugins: [cached],
    },
    spec.size ?? 'chart-square',
    spec.label,
  );
  return {
    chart,
    select(cell) {
      selected = cell;
      chart.draw();
    },
  };
}
