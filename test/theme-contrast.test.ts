import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The light and dark themes (app/globals.css, components/monitoring/monitoring.css) keep text
 * readable: every pair of a text colour and the background it is drawn on reaches WCAG AA
 * (4.5:1), and chart series reach 3:1 against the panel (graphics). Read from the stylesheets
 * themselves, so a colour changed in one theme only is caught.
 */
const root = path.resolve(__dirname, '..');
const css = ['app/globals.css', 'components/monitoring/monitoring.css'].map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');

/** The hex custom properties of the `:root` blocks of one theme (the dark ones sit inside the prefers-color-scheme query). */
function themeVariables(scheme: 'light' | 'dark'): Record<string, string> {
  const vars: Record<string, string> = {};
  const blocks = [...css.matchAll(/(@media \(prefers-color-scheme: dark\) \{\s*)?:root \{([^}]*)\}/g)];
  for (const block of blocks) {
    if ((block[1] !== undefined) !== (scheme === 'dark')) continue;
    for (const [, name, value] of block[2]!.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) vars[name!] = value!;
  }
  return vars;
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Text colour → the backgrounds it is drawn on. */
const TEXT_ON: [string, string[]][] = [
  ['text', ['bg', 'panel', 'subtle', 'subrow', 'field-bg', 'ok-bg', 'danger-bg', 'warn-bg', 'info-bg']],
  ['muted', ['bg', 'panel', 'subtle', 'subrow']],
  ['accent', ['bg', 'panel', 'info-bg', 'subtle']],
  ['danger', ['panel', 'danger-bg']],
  ['ok', ['panel', 'ok-bg']],
  ['warn', ['panel', 'warn-bg']],
  ['accent-text', ['accent']],
  ['danger-text', ['danger']],
];

describe.each(['light', 'dark'] as const)('the %s theme', (scheme) => {
  const vars = themeVariables(scheme);

  it('defines its own colour for every variable the light theme defines', () => {
    const light = themeVariables('light');
    expect(Object.keys(vars).length).toBeGreaterThan(20);
    if (scheme === 'dark') {
      // A colour the dark theme leaves out would fall back to the light one.
      const missing = Object.keys(light).filter((name) => !(name in vars));
      expect(missing).toEqual([]);
    }
  });

  it.each(TEXT_ON)('draws --%s on its backgrounds at 4.5:1 or more', (text, backgrounds) => {
    for (const background of backgrounds) {
      expect(vars[text], `--${text}`).toBeDefined();
      expect(vars[background], `--${background}`).toBeDefined();
      expect(contrast(vars[text]!, vars[background]!), `--${text} on --${background}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('draws chart series at 3:1 or more against the panel', () => {
    for (const series of ['chart-1', 'chart-2', 'chart-3', 'chart-4', 'chart-5', 'chart-6']) {
      expect(contrast(vars[series]!, vars.panel!), `--${series} on --panel`).toBeGreaterThanOrEqual(3);
    }
  });

  it('sets the page and panels light or dark to match the scheme', () => {
    const dark = scheme === 'dark';
    for (const surface of ['bg', 'panel', 'field-bg']) {
      expect(luminance(vars[surface]!) < 0.05, `--${surface} in the ${scheme} theme`).toBe(dark);
    }
  });
});
