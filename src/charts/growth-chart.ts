/**
 * A tracked account's growth as a PNG: followers over time (a line) above the followers gained
 * and lost each day (bars up and down). ECharts draws it as SVG on the server (no browser, no
 * canvas) and resvg turns that into PNG with the bundled font alone.
 *
 * Only digits and symbols are drawn (dates and counts, in the reader's number format): the
 * bundled font has no Japanese, and words in an image reach no screen reader. Titles, the legend
 * and the figures in words go in the message beside it.
 */
import { Resvg } from '@resvg/resvg-js';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { CHART_FONT_FAMILY, chartFontFile } from './font.js';

/** One UTC day of the chart; `followers` is undefined for a day nothing was recorded. */
export interface ChartDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  followers: number | undefined;
  gained: number;
  lost: number;
}

export interface ChartInput {
  days: readonly ChartDay[];
  /** The reader's locale, for the digits' grouping and the order of day and month. */
  locale: string;
}

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 600;

/** Flock's look: X's blue for followers, the alerts' green and red for gained and lost. */
export const CHART_COLORS = {
  background: '#15202b',
  grid: '#38444d',
  axis: '#8b98a5',
  followers: '#1d9bf0',
  gained: '#3ba55d',
  lost: '#ed4245',
} as const;

let registered = false;

/** The chart as PNG bytes, CHART_WIDTH × CHART_HEIGHT. */
export function renderGrowthChart(input: ChartInput): Buffer {
  const svg = growthChartSvg(input);
  const png = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [chartFontFile()],
      defaultFontFamily: CHART_FONT_FAMILY,
    },
    fitTo: { mode: 'original' },
    background: CHART_COLORS.background,
  }).render();
  return png.asPng();
}

/** The chart as SVG text (what the PNG is rendered from). */
export function growthChartSvg(input: ChartInput): string {
  if (!registered) {
    echarts.use([LineChart, BarChart, GridComponent, SVGRenderer]);
    registered = true;
  }
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  try {
    chart.setOption(chartOption(input));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function chartOption({ days, locale }: ChartInput) {
  const number = numberFormat(locale);
  const date = dateFormat(locale);
  const labels = days.map((d) => date(d.day));
  const few = days.length <= 31;
  const axisLabel = { color: CHART_COLORS.axis, fontFamily: CHART_FONT_FAMILY, fontSize: 14 };
  const splitLine = { lineStyle: { color: CHART_COLORS.grid } };
  const axisLine = { lineStyle: { color: CHART_COLORS.grid } };
  return {
    animation: false,
    backgroundColor: CHART_COLORS.background,
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    grid: [
      { left: 90, right: 30, top: 24, height: 310 },
      { left: 90, right: 30, top: 374, bottom: 40 },
    ],
    xAxis: [
      {
        type: 'category',
        data: labels,
        gridIndex: 0,
        axisLabel: { show: false },
        axisLine,
        axisTick: { show: false },
      },
      { type: 'category', data: labels, gridIndex: 1, axisLabel, axisLine, axisTick: { show: false } },
    ],
    yAxis: [
      {
        type: 'value',
        gridIndex: 0,
        scale: true,
        minInterval: 1,
        axisLabel: { ...axisLabel, formatter: number },
        splitLine,
      },
      {
        type: 'value',
        gridIndex: 1,
        minInterval: 1,
        splitNumber: 3,
        axisLabel: { ...axisLabel, formatter: number },
        splitLine,
      },
    ],
    series: [
      {
        type: 'line',
        data: days.map((d) => d.followers ?? null),
        xAxisIndex: 0,
        yAxisIndex: 0,
        showSymbol: few,
        symbolSize: 7,
        lineStyle: { color: CHART_COLORS.followers, width: 3 },
        itemStyle: { color: CHART_COLORS.followers },
        areaStyle: { color: 'rgba(29,155,240,0.15)' },
      },
      {
        type: 'bar',
        data: days.map((d) => d.gained),
        xAxisIndex: 1,
        yAxisIndex: 1,
        stack: 'day',
        itemStyle: { color: CHART_COLORS.gained },
      },
      {
        type: 'bar',
        data: days.map((d) => -d.lost),
        xAxisIndex: 1,
        yAxisIndex: 1,
        stack: 'day',
        itemStyle: { color: CHART_COLORS.lost },
      },
    ],
  };
}

/** Digits and the symbols between them only: anything else falls back to plain digits. */
const NUMERIC = /^[\d\s.,/'’:+\-−\u00a0\u202f]*$/;

function numberFormat(locale: string): (n: number) => string {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return (n) => {
    const text = format.format(n);
    return NUMERIC.test(text) ? text : String(Math.round(n));
  };
}

function dateFormat(locale: string): (day: string) => string {
  const format = new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
  return (day) => {
    const text = format.format(Date.parse(`${day}T00:00:00Z`));
    return NUMERIC.test(text) ? text : day.slice(5);
  };
}
