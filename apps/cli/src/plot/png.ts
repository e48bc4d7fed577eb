/**
 * SVG → PNG with resvg, the same for every figure the CLI draws (training curves, lab figures). The font is
 * DejaVu Sans from the `dejavu-fonts-ttf` package, so a PNG looks the same on a machine with no system
 * fonts. Kept apart from `curves.ts` so that rasterising does not load Vega.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

/** The font every figure names; its files ship with the CLI. */
export const FONT = 'DejaVu Sans';

/**
 * Rasterises SVG text to a PNG, by default at twice its size (sharp on high-density screens).
 *
 * @example
 * ```ts
 * await writeFile('chart.png', svgToPng(svgText));
 * ```
 */
export function svgToPng(svg: string, zoom = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: FONT },
  });
  return resvg.render().asPng();
}

let fonts: string[] | undefined;

function fontFiles(): string[] {
  if (fonts) return fonts;
  const require = createRequire(import.meta.url);
  const dir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');
  fonts = [`${dir}DejaVuSans.ttf`, `${dir}DejaVuSans-Bold.ttf`];
  return fonts;
}
