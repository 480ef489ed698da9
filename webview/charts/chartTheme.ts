/** Colours charts draw with, read from VS Code's theme variables (canvas cannot use var()). */
export interface ChartTheme {
  readonly foreground: string;
  readonly grid: string;
  readonly fontFamily: string;
  /** All images, or the semantic model in training charts. */
  readonly primary: string;
  /** Labelled outliers, or the background model in training charts. */
  readonly secondary: string;
  /** Labelled inliers. */
  readonly inlier: string;
  readonly threshold: string;
}

function variable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The current theme's chart colours. */
export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const foreground = variable(style, '--vscode-foreground', '#cccccc');
  return {
    foreground,
    grid: variable(style, '--vscode-editorWidget-border', variable(style, '--vscode-panel-border', '#80808059')),
    fontFamily: variable(style, '--vscode-font-family', 'sans-serif'),
    primary: variable(style, '--vscode-charts-blue', '#3794ff'),
    secondary: variable(style, '--vscode-charts-orange', '#d18616'),
    inlier: variable(style, '--vscode-charts-green', '#89d185'),
    threshold: variable(style, '--vscode-charts-red', '#f14c4c'),
  };
}

/** Add an alpha channel to a #rgb / #rrggbb colour (other syntaxes are returned as they are). */
export function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour);
  if (!hex) return colour;
  const digits = hex[1].length === 3 ? [...hex[1]].map((digit) => digit + digit).join('') : hex[1];
  return `#${digits}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

/**
 * Call `listener` when VS Code switches theme: it rewrites the body's class
 * (vscode-light / vscode-dark / vscode-high-contrast) and the variables on <html>.
 */
export function onThemeChange(listener: () => void): void {
  const observer = new MutationObserver(() => listener());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
