// Representative values of VS Code's theme variables (Dark Modern, Light Modern, High Contrast) as the
// workbench injects them into webviews, so the mimic page looks like the real panel.

const common = {
  '--vscode-font-family': "system-ui, -apple-system, 'Segoe UI', Ubuntu, 'Droid Sans', sans-serif",
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': "'Droid Sans Mono', monospace",
};

export const THEMES: Record<'dark' | 'light' | 'hc', { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editor-background': '#1f1f1f',
      '--vscode-panel-border': '#2b2b2b', '--vscode-widget-border': '#313131', '--vscode-focusBorder': '#0078d4',
      '--vscode-textLink-foreground': '#4daafc', '--vscode-list-hoverBackground': '#2a2d2e', '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-errorForeground': '#f85149', '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc', '--vscode-dropdown-border': '#3c3c3c', '--vscode-dropdown-listBackground': '#1f1f1f',
      '--vscode-settings-dropdownBorder': '#3c3c3c', '--vscode-settings-headerBorder': '#2b2b2b', '--vscode-panelTitle-activeForeground': '#e7e7e7',
      '--vscode-panelTitle-activeBorder': '#0078d4', '--vscode-panelTitle-inactiveForeground': '#9d9d9d', '--vscode-panel-background': '#181818',
      '--vscode-editorWidget-background': '#202020', '--vscode-scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
      '--vscode-settings-dropdownBackground': '#313131', '--vscode-settings-dropdownForeground': '#cccccc', '--vscode-settings-dropdownListBorder': '#454545',
      '--vscode-list-focusOutline': '#0078d4', '--vscode-list-highlightForeground': '#2aaaff', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#717171', '--vscode-editor-background': '#ffffff',
      '--vscode-panel-border': '#e5e5e5', '--vscode-widget-border': '#e5e5e5', '--vscode-focusBorder': '#005fb8',
      '--vscode-textLink-foreground': '#005fb8', '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000', '--vscode-errorForeground': '#f85149', '--vscode-charts-foreground': '#616161',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-red': '#e51400', '--vscode-charts-green': '#388a34', '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-dropdown-border': '#cecece', '--vscode-dropdown-listBackground': '#ffffff',
      '--vscode-settings-dropdownBorder': '#cecece', '--vscode-settings-headerBorder': '#e5e5e5', '--vscode-panelTitle-activeForeground': '#3b3b3b',
      '--vscode-panelTitle-activeBorder': '#005fb8', '--vscode-panelTitle-inactiveForeground': '#3b3b3b', '--vscode-panel-background': '#f8f8f8',
      '--vscode-editorWidget-background': '#f8f8f8', '--vscode-scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
      '--vscode-settings-dropdownBackground': '#ffffff', '--vscode-settings-dropdownForeground': '#3b3b3b', '--vscode-settings-dropdownListBorder': '#c8c8c8',
      '--vscode-list-focusOutline': '#005fb8', '--vscode-list-highlightForeground': '#0066bf', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-editor-background': '#000000',
      '--vscode-panel-border': '#6fc3df', '--vscode-widget-border': '#6fc3df', '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-textLink-foreground': '#21a6ff', '--vscode-list-hoverBackground': 'rgba(0,0,0,0)', '--vscode-list-activeSelectionBackground': 'rgba(0,0,0,0)',
      '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-errorForeground': '#f48771', '--vscode-charts-foreground': '#ffffff',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff',
      '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff', '--vscode-button-border': '#6fc3df',
      '--vscode-button-secondaryBackground': '#000000', '--vscode-button-secondaryForeground': '#ffffff', '--vscode-dropdown-background': '#000000',
      '--vscode-dropdown-foreground': '#ffffff', '--vscode-dropdown-border': '#6fc3df', '--vscode-dropdown-listBackground': '#000000',
      '--vscode-settings-dropdownBorder': '#6fc3df', '--vscode-settings-headerBorder': '#6fc3df', '--vscode-panelTitle-activeForeground': '#ffffff',
      '--vscode-panelTitle-activeBorder': '#6fc3df', '--vscode-panelTitle-inactiveForeground': '#ffffff', '--vscode-panel-background': '#000000',
      '--vscode-editorWidget-background': '#0c141f',
      '--vscode-settings-dropdownBackground': '#000000', '--vscode-settings-dropdownForeground': '#ffffff', '--vscode-settings-dropdownListBorder': '#6fc3df',
      '--vscode-list-focusOutline': '#f38518', '--vscode-list-highlightForeground': '#f38518', '--vscode-toolbar-hoverOutline': '#f38518',
    },
  },
};

/** A stylesheet that sets a theme's variables (served same-origin, so the strict CSP allows it). */
export function themeCss(name: keyof typeof THEMES): string {
  const t = THEMES[name];
  return `html { ${Object.entries(t.vars).map(([k, v]) => `${k}: ${v};`).join(' ')} }\nbody { background-color: var(--vscode-editor-background); }\n`;
}
