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

/** The colour of a value on the palette's scale. */
export function heatColor(p: Palette, spec: Pick<HeatmapSpec, 'min' | 'max' | 'diverging'>, v: number | null): string {
  const bg = parseColor(p.background);
  if (v === null) return rgba(bg, 0);
  const hi = parseColor(p.accent);
  if (spec.diverging) {
    const m = Math.max(Math.abs(spec.min), Math.abs(spec.max)) || 1;
    const t = v / m;
    return rgba(t >= 0 ? mix(bg, hi, 0.15 + 0.85 * t) : mix(bg, parseColor(p.error), 0.15 + 0.85 * -t), 1);
  }
  const t = spec.max > spec.min ? (v - spec.min) / (spec.max - spec.min) : 0.5;
  return rgba(mix(bg, hi, 0.08 + 0.92 * t), 1);
}

function textColorOn(bg: string): string {
  const c = parseColor(bg);
  const lum = (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255;
  return lum > 0.55 ? '#111111' : '#f3f3f3';
}

export function heatmap(parent: HTMLElement, charts: ChartBag, p: Palette, spec: HeatmapSpec): Chart<'matrix'> {
  const cells: Cell[] = [];
  spec.rows.forEach((r, i) => spec.cols.forEach((c, j) => cells.push({ x: c, y: r, v: spec.values[i]?.[j] ?? null, i, j })));
  const showText = spec.rows.length <= 14 && spec.cols.length <= 14;
  const colors = cells.map((c) => heatColor(p, spec, c.v));
  const valueText: Plugin<'matrix'> = {
    id: 'cellText',
    afterDatasetsDraw(chart) {
      if (!showText) return;
      const meta = chart.getDatasetMeta(0);
      const g = chart.ctx;
      g.save();
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.font = `${Math.max(10, p.fontSize - 2)}px ${p.fontFamily}`;
      meta.data.forEach((el, k) => {
        const cell = cells[k];
        if (cell.v === null) return;
        const { x, y, width, height } = el.getProps(['x', 'y', 'width', 'height'], true) as { x: number; y: number; width: number; height: number };
        if (width < 28) return;
        g.fillStyle = textColorOn(colors[k]);
        // The element's x/y is its top-left corner (the controller resolves the anchor).
        g.fillText(spec.format(cell.v), x + width / 2, y + height / 2);
      });
      g.restore();
    },
  };
  const sel = spec.selected;
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
            borderColor: cells.map((c) => (sel && c.i === sel[0] && c.j === sel[1] ? p.foreground : rgba(parseColor(p.background), 1))),
            borderWidth: cells.map((c) => (sel && c.i === sel[0] && c.j === sel[1] ? 3 : 1)),
            width: ({ chart: ch }) => (ch.chartArea ? ch.chartArea.width / spec.cols.length - 1 : 10),
            height: ({ chart: ch }) => (ch.chartArea ? ch.chartArea.height / spec.rows.length - 1 : 10),
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
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
      plugins: [valueText],
    },
    spec.size ?? 'chart-square',
    spec.label,
  );
  return chart;
}
