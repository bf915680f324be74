/** CSV for German spreadsheets: semicolons, CRLF, a BOM so that Excel reads UTF-8. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return '\uFEFF' + rows.map((cells) => cells.map((cell) => csvCell(String(cell ?? ''))).join(';')).join('\r\n') + '\r\n';
}

/** Quotes a cell when needed; cells a spreadsheet would run as a formula are defused. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
