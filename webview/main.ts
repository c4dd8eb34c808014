// Entry of the dashboard bundle (dist/dashboard.js + dist/dashboard.css), loaded by the extension's
// webview and inlined in the exported HTML report.
import '@vscode/codicons/dist/codicon.css';
import './dashboard.css';
import { DashboardApp } from './app';
import { Chart } from './charts';

declare global {
  interface Window {
    /** For tests and debugging: the Chart.js class (Chart.getChart(canvas) finds a chart). */
    ensembleLens?: { Chart: typeof Chart };
  }
}
window.ensembleLens = { Chart };

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
root.id = 'app';
const app = new DashboardApp(root);
app.start();
