// Chart.js with only the controllers, elements and scales the dashboard uses, themed from the palette.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import { h } from './dom';
import type { Palette } from './theme';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  MatrixController,
  MatrixElement,
);

/** Applies the theme to Chart.js's global defaults (called before each render). */
export function applyChartTheme(p: Palette): void {
  Chart.defaults.color = p.foreground;
  Chart.defaults.borderColor = p.grid;
  Chart.defaults.font.family = p.fontFamily;
  Chart.defaults.font.size = Math.max(11, p.fontSize - 1);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.plugins.legend.labels.boxWidth = 8;
  Chart.defaults.plugins.legend.labels.boxHeight = 8;
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.tooltip.backgroundColor = p.background;
  Chart.defaults.plugins.tooltip.titleColor = p.foreground;
  Chart.defaults.plugins.tooltip.bodyColor = p.foreground;
  Chart.defaults.plugins.tooltip.borderColor = p.border;
  Chart.defaults.plugins.tooltip.borderWidth = 1;
}

/** The charts of one view, destroyed together when the view redraws. */
export class ChartBag {
  private charts: Chart[] = [];

  /** A chart in a sized box (`size` is a CSS class: chart-s, chart-m, chart-l, chart-square). */
  add<T extends ChartType>(parent: HTMLElement, config: ChartConfiguration<T>, size = 'chart-m', label?: string): { box: HTMLElement; chart: Chart<T> } {
    const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': label ?? 'chart' } });
    const box = h('div', { class: `chart-box ${size}` }, canvas);
    // Attached before the chart is made, so its first layout has the box's real size.
    parent.append(box);
    const chart = new Chart(canvas, config);
    this.charts.push(chart as unknown as Chart);
    return { box, chart };
  }

  destroyAll(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }
}

export { Chart };
