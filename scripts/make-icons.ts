/**
 * Renders every installer icon from the one source, assets/icon.svg, with no browser and no network:
 * resvg (SVG → PNG, its native binary ships inside the npm package) and png2icons (PNG → .ico/.icns,
 * pure JS). Outputs are committed, so `npm run dist` never needs this; run `npm run icons` after
 * changing the SVG.
 *
 *   assets/icon.png            512×512, the window icon and electron-builder's fallback
 *   assets/icon.ico            Windows (16…256, PNG inside, BMP below 64 for old Explorer)
 *   assets/icon.icns           macOS (16…1024, retina variants included)
 *   assets/icons/NxN.png       Linux hicolor sizes for AppImage, deb and rpm desktop entries
 */
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import png2icons from 'png2icons';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

const assets = join(import.meta.dirname, '..', 'assets');

export function renderPng(svg: string, size: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: size },
    // The "$" on the till's screen is text: pin the family so every machine draws the same glyph.
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return Buffer.from(resvg.render().asPng());
}

function main(): void {
  const svg = readFileSync(join(assets, 'icon.svg'), 'utf8');
  const master = renderPng(svg, 1024);
  mkdirSync(join(assets, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES)
    writeFileSync(join(assets, 'icons', `${size}x${size}.png`), size === 1024 ? master : renderPng(svg, size));
  writeFileSync(join(assets, 'icon.png'), renderPng(svg, 512));
  const ico = png2icons.createICO(master, png2icons.BICUBIC, 0, false, true);
  const icns = png2icons.createICNS(master, png2icons.BICUBIC, 0);
  if (!ico || !icns) throw new Error('png2icons could not convert the rendered icon');
  writeFileSync(join(assets, 'icon.ico'), ico);
  writeFileSync(join(assets, 'icon.icns'), icns);
  console.log(`wrote assets/icon.{png,ico,icns} and assets/icons/{${LINUX_SIZES.join(',')}}px`);
}

if (process.argv[1] === import.meta.filename) main();
