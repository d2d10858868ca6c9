import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const artifacts = fileURLToPath(new URL('../../artifacts/faults', import.meta.url));

/**
 * Prints what a fault test did and measured (the figures the README's reliability section
 * quotes) and appends it to tests/artifacts/faults/report.txt.
 */
export function report(fault: string, figures: Record<string, unknown>): void {
  const line = `[${fault}] ${Object.entries(figures)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ')}`;
  console.log(line);
  mkdirSync(artifacts, { recursive: true });
  appendFileSync(`${artifacts}/report.txt`, `${new Date().toISOString()} ${line}\n`);
}
