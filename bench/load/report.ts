/**
 * Writes a run's results: docs/benchmarks/<scenario>-<timestamp>.{json,md} with its SVG charts, and
 * the same again as <scenario>-latest.* (overwritten each run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ReportFiles {
  json: string;
  md: string;
  svgs: string[];
  latestMd: string;
}

export function stamp(d = new Date()): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '').replace('T', '-');
}

/**
 * `markdown(chartName)` gets the file name to link for each chart, so the timestamped report links
 * its own charts and the -latest report the -latest ones.
 */
export function writeReport(
  outDir: string,
  scenario: string,
  when: Date,
  data: unknown,
  charts: Record<string, string>,
  markdown: (chartFile: (name: string) => string) => string,
): ReportFiles {
  mkdirSync(outDir, { recursive: true });
  const written: ReportFiles = { json: '', md: '', svgs: [], latestMd: '' };
  for (const base of [`${scenario}-${stamp(when)}`, `${scenario}-latest`]) {
    const chartFile = (name: string) => `${base}-${name}.svg`;
    for (const [name, svg] of Object.entries(charts)) {
      const f = path.join(outDir, chartFile(name));
      writeFileSync(f, svg);
      if (!base.endsWith('-latest')) written.svgs.push(f);
    }
    const json = path.join(outDir, `${base}.json`);
    const md = path.join(outDir, `${base}.md`);
    writeFileSync(json, JSON.stringify(data, null, 2) + '\n');
    writeFileSync(md, markdown(chartFile));
    if (base.endsWith('-latest')) written.latestMd = md;
    else {
      written.json = json;
      written.md = md;
    }
  }
  return written;
}

/** A markdown table from rows of cells. */
export function table(head: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [`| ${head.join(' | ')} |`, `|${sep.join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
