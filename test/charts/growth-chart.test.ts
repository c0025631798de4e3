/** The growth chart as bytes: a real PNG of the size set, drawn with digits and symbols only. */
import { describe, expect, it } from 'vitest';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  type ChartDay,
  growthChartSvg,
  renderGrowthChart,
} from '../../src/charts/growth-chart.js';

const PNG_SIGNATURE = '89504e470d0a1a0a';

function days(count: number, start = Date.UTC(2026, 0, 1)): ChartDay[] {
  let followers = 50_000;
  return Array.from({ length: count }, (_, i) => {
    const gained = (i * 7) % 13;
    const lost = (i * 5) % 4;
    followers += gained - lost;
    return {
      day: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
      followers: i === 2 ? undefined : followers,
      gained,
      lost,
    };
  });
}

/** The width and height an image's IHDR chunk declares. */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Every piece of text the SVG draws. */
const drawnText = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');

describe('renderGrowthChart', () => {
  it('is a PNG of CHART_WIDTH × CHART_HEIGHT', () => {
    const png = renderGrowthChart({ days: days(30), locale: 'en-US' });
    expect(png.subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
    expect(ihdr(png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    // The PNG ends with its IEND chunk: the file is whole.
    expect(png.subarray(-8, -4).toString('latin1')).toBe('IEND');
  });

  it('draws the same bytes for the same figures (one bundled font, no system fonts)', () => {
    const input = { days: days(14), locale: 'es-ES' };
    expect(renderGrowthChart(input).equals(renderGrowthChart(input))).toBe(true);
  });

  it('draws different bytes for different figures', () => {
    const a = renderGrowthChart({ days: days(14), locale: 'en-US' });
    const b = renderGrowthChart({
      days: days(14).map((d) => ({ ...d, gained: d.gained + 50 })),
      locale: 'en-US',
    });
    expect(a.equals(b)).toBe(false);
  });

  it.each(['en-US', 'es-ES', 'ja'])('draws only digits and symbols in %s, never words', (locale) => {
    const text = drawnText(growthChartSvg({ days: days(60), locale }));
    expect(text.length).toBeGreaterThan(5);
    for (const piece of text) expect(piece, piece).toMatch(/^[\d\s.,/'’:+\-−\u00a0\u202f]+$/);
  });

  it('writes dates and counts the reader’s way', () => {
    const text = drawnText(growthChartSvg({ days: days(10, Date.UTC(2026, 2, 10)), locale: 'es-ES' }));
    // Day before month in Spanish; a month-day label like 3/10 would be the US order.
    expect(text).toContain('10/3');
    expect(text.some((t) => /^50\.0\d\d$/.test(t))).toBe(true);
    const ja = drawnText(growthChartSvg({ days: days(10, Date.UTC(2026, 2, 10)), locale: 'ja' }));
    expect(ja).toContain('3/10');
  });

  it('draws a single day, and a year of days', () => {
    expect(ihdr(renderGrowthChart({ days: days(1), locale: 'en-US' }))).toEqual({
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
    });
    expect(ihdr(renderGrowthChart({ days: days(365), locale: 'ja' }))).toEqual({
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
    });
  });
});
