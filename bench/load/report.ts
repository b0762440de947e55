/**
 * Writes a run's results to bench-results/ (ignored by git): <scenario>-<timestamp>.{json,md} with
 * its SVG charts. What is worth keeping goes by hand into the curated tables of docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RESULTS_DIR = 'bench-results';

export interface ReportFiles {
  json: string;
  md: string;
  svgs: string[];
}

export function stamp(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-');
}

/** `markdown(chartFile)` gets the file name to link for each chart (relative to the report). */
export function writeReport(
  outDir: string,
  scenario: string,
  when: Date,
  data: unknown,
  charts: Record<string, string>,
  markdown: (chartFile: (name: string) => string) => string,
): ReportFiles {
  mkdirSync(outDir, { recursive: true });
  const base = `${scenario}-${stamp(when)}`;
  const chartFile = (name: string) => `${base}-${name}.svg`;
  const svgs = Object.entries(charts).map(([name, svg]) => {
    const f = path.join(outDir, chartFile(name));
    writeFileSync(f, svg);
    return f;
  });
  const json = path.join(outDir, `${base}.json`);
  const md = path.join(outDir, `${base}.md`);
  writeFileSync(json, JSON.stringify(data, null, 2) + '\n');
  writeFileSync(md, markdown(chartFile));
  return { json, md, svgs };
}

/** A markdown table from rows of cells. */
export function table(head: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [`| ${head.join(' | ')} |`, `|${sep.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
