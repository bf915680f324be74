import { create as parseFont } from 'fontkit';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as echarts from 'echarts';
import { numberFormat } from '../common/money.js';
import type { DocumentLanguage } from './document-types.js';

/**
 * Bar charts as SVG, drawn on the server by echarts (server-side rendering, no script in the page),
 * for the monitoring pages and the monitoring report PDF alike. A chart never stands alone: pages
 * and PDF put its title, a one-sentence summary and the table of its figures beside it.
 */

export interface ChartSeries {
  name: string;
  values: number[];
}

export interface BarChart {
  title: string;
  categories: string[];
  series: ChartSeries[];
  /** Counts are drawn as they are; cents are drawn in euros. */
  unit: 'count' | 'cents';
}

/**
 * Colours of the bars, each with a contrast of at least 4.5:1 to white (WCAG 1.4.11 asks 3:1 of
 * graphics), and different enough in lightness to tell apart in grey.
 */
export const CHART_COLOURS = ['#1d4f91', '#b34700', '#2e6b30', '#6a1b9a', '#7a5c00'];
const TEXT = '#333333';
const AXIS = '#595959';

interface GlyphMetrics {
  unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
}

/**
 * Text is measured with the font the PDF draws it in (DejaVu Sans). Without a canvas, echarts guesses
 * widths from Arial-like figures, about a tenth too narrow for DejaVu: long axis labels such as
 * „Extremismusprävention“ then ran past the chart's left edge and were cut off.
 */
const DEJAVU = parseFont(
  readFileSync(join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf')),
) as unknown as GlyphMetrics;
echarts.setPlatformAPI({
  measureText: (text: string, font?: string) => {
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
    let units = 0;
    for (const char of text ?? '') units += DEJAVU.glyphForCodePoint(char.codePointAt(0)!).advanceWidth;
    return { width: (units * size) / DEJAVU.unitsPerEm } as TextMetrics;
  },
});

/** One legend entry per line above the plot, so the legend can never run into the bars. */
const LEGEND_LINE = 20;

/** Rendered charts by a hash of everything that shapes them: the same figures are drawn once. */
const cache = new Map<string, string>();
const CACHE_SIZE = 500;

/**
 * The chart as an SVG element. `id` names its <title> (for aria-labelledby); with `forPage` the SVG
 * is an image with that accessible name, and hover styles are left out (nothing in it reacts).
 */
export function barChartSvg(chart: BarChart, options: { id: string; lang: DocumentLanguage; width?: number; height?: number; forPage?: boolean }): string {
  const width = options.width ?? 640;
  const legendHeight = chart.series.length * LEGEND_LINE;
  const height = options.height ?? Math.max(260, 100 + legendHeight + chart.categories.length * chart.series.length * 9);
  const key = createHash('sha256').update(JSON.stringify([chart, options.id, options.lang, width, height, options.forPage === true])).digest('base64url');
  const cached = cache.get(key);
  if (cached !== undefined) {
    // Most recently used last, so that the oldest goes first.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const svg = render(chart, options.id, options.lang, width, height, legendHeight, options.forPage === true);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, svg);
  return svg;
}

function render(chart: BarChart, id: string, lang: DocumentLanguage, width: number, height: number, legendHeight: number, forPage: boolean): string {
  const scale = chart.unit === 'cents' ? 100 : 1;
  const format = (value: number) => numberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 0 }).format(value) + (chart.unit === 'cents' ? ' €' : '');
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    instance.setOption({
      animation: false,
      color: CHART_COLOURS,
      textStyle: { fontFamily: 'DejaVu Sans, sans-serif', color: TEXT },
      legend: { top: 0, left: 0, orient: 'vertical', itemGap: LEGEND_LINE - 14, itemHeight: 14, textStyle: { color: TEXT, fontSize: 12 }, selectedMode: false },
      // Horizontal bars: long names of fields of action and districts stay readable.
      grid: { top: legendHeight + 12, left: 8, right: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { color: AXIS, formatter: format, fontSize: 11 }, splitLine: { lineStyle: { color: '#d9d9d9' } }, minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: chart.categories, axisLabel: { color: TEXT, fontSize: 12, width: 180, overflow: 'break' }, axisLine: { lineStyle: { color: AXIS } } },
      series: chart.series.map((series) => ({
        type: 'bar',
        name: series.name,
        data: series.values.map((value) => value / scale),
        silent: true,
        emphasis: { disabled: true },
        label: { show: true, position: 'right', color: TEXT, fontSize: 11, formatter: (p: { value: number }) => format(p.value) },
        barMaxWidth: 18,
      })),
    });
    let svg = instance.renderToSVGString();
    // Nothing in the chart reacts to the pointer: zrender's hover rules and class names would only grow the page.
    svg = svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/ class="zr\d+-cls-\d+"/g, '');
    const title = `<title id="${id}-title">${escapeXml(chart.title)}</title>`;
    const opening = forPage ? `<svg role="img" aria-labelledby="${id}-title" focusable="false" ` : '<svg ';
    return svg.replace(/^<svg /, opening).replace(/^(<svg[^>]*>)/, `$1${title}`);
  } finally {
    instance.dispose();
  }
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
