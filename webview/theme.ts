// Colours from VS Code's theme variables, read at render time, so charts match light, dark and
// high-contrast themes; the exported HTML defines fallback values for the same variables.

export interface Rgb {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface Palette {
  foreground: string;
  muted: string;
  background: string;
  border: string;
  grid: string;
  accent: string;
  error: string;
  warning: string;
  ok: string;
  /** One colour per series (members), cycling through the theme's chart colours. */
  series: string[];
  fontFamily: string;
  fontSize: number;
  highContrast: boolean;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Parses #rgb, #rrggbb, #rrggbbaa and rgb()/rgba(); unknown strings give mid grey. */
export function parseColor(s: string): Rgb {
  const t = s.trim();
  if (t.startsWith('#')) {
    const hex = t.slice(1);
    const full = hex.length <= 4 ? hex.split('').map((c) => c + c).join('') : hex;
    const n = (i: number) => parseInt(full.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: full.length >= 8 ? n(6) / 255 : 1 };
  }
  const m = /rgba?\(([^)]+)\)/.exec(t);
  if (m) {
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }
  return { r: 128, g: 128, b: 128, a: 1 };
}

export function rgba(c: Rgb, alpha = c.a): string {
  return `rgba(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)}, ${alpha})`;
}

/** Linear mix of two colours, t in [0, 1]. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.min(1, Math.max(0, t));
  return { r: a.r + (b.r - a.r) * u, g: a.g + (b.g - a.g) * u, b: a.b + (b.b - a.b) * u, a: a.a + (b.a - a.a) * u };
}

/** Translucent version of a CSS colour. */
export function alpha(color: string, a: number): string {
  return rgba(parseColor(color), a);
}

/** Reads the palette from the current theme. */
export function readPalette(): Palette {
  const base = [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-yellow', '#cca700'),
  ];
  const series: string[] = [];
  for (let i = 0; i < 64; i++) {
    if (i < base.length) series.push(base[i]);
    else {
      // Beyond the theme's six colours: the same colours, alternately lighter and darker.
      const c = parseColor(base[i % base.length]);
      const toward = Math.floor(i / base.length) % 2 ? { r: 255, g: 255, b: 255, a: 1 } : { r: 0, g: 0, b: 0, a: 1 };
      series.push(rgba(mix(c, toward, 0.35 + 0.1 * Math.floor(i / 12)), 1));
    }
  }
  const fg = cssVar('--vscode-foreground', '#cccccc');
  const body = document.body.classList;
  return {
    foreground: fg,
    muted: cssVar('--vscode-descriptionForeground', alpha(fg, 0.7)),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    border: cssVar('--vscode-panel-border', alpha(fg, 0.3)),
    grid: alpha(fg, body.contains('vscode-high-contrast') ? 0.4 : 0.12),
    accent: cssVar('--vscode-charts-blue', '#3794ff'),
    error: cssVar('--vscode-charts-red', '#f14c4c'),
    warning: cssVar('--vscode-charts-yellow', '#cca700'),
    ok: cssVar('--vscode-charts-green', '#89d185'),
    series,
    fontFamily: cssVar('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: parseFloat(cssVar('--vscode-font-size', '13px')) || 13,
    highContrast: body.contains('vscode-high-contrast') || body.contains('vscode-high-contrast-light'),
  };
}

/** Calls `onChange` when VS Code switches theme (it changes the body's class and style). */
export function watchTheme(onChange: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className !== last) {
      last = document.body.className;
      onChange();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
