/**
 * The one font charts are drawn with, shipped as an npm package (dejavu-fonts-ttf) and loaded by
 * path, never from the system: a fresh machine may have no fonts at all, and the same font
 * everywhere makes the same chart the same bytes. DejaVu Sans has no Japanese, which is why a
 * chart carries digits and symbols only and every word goes in the message beside it.
 */
import { createRequire } from 'node:module';

export const CHART_FONT_FAMILY = 'DejaVu Sans';

let path: string | undefined;

/** The font file's path, resolved once from the installed package. */
export function chartFontFile(): string {
  path ??= createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
  return path;
}
