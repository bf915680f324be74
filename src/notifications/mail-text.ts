import nunjucks from 'nunjucks';
import { TEMPLATES_DIR } from '../common/paths.js';
import { views } from '../web/view.js';

/**
 * Mail bodies and subjects are plain text: rendered without HTML escaping (an "&" stays "&"),
 * with the same filters as pages. Pages and letters keep the autoescaped environment.
 */
const textViews = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES_DIR, { noCache: false }), {
  autoescape: false,
  throwOnUndefined: false,
  trimBlocks: true,
  lstripBlocks: true,
});
for (const name of ['iban', 'date', 'datetime', 'decimal', 'rating', 'euro']) textViews.addFilter(name, views.getFilter(name));

export function renderMailText(template: string, context: Record<string, unknown>): string {
  return textViews.render(template, context);
}
