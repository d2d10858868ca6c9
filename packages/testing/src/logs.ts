import { Writable } from 'node:stream';

/** A log destination that keeps every line, to assert on what was (and was not) logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') this.lines.push(line);
    callback();
  }

  get text(): string {
    return this.lines.join('\n');
  }

  /** Each captured line parsed as JSON (pino output). */
  entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  /** The secrets (passwords, tokens, codes) that appear anywhere in the captured logs. */
  leaked(secrets: readonly string[]): string[] {
    const text = this.text;
    return secrets.filter((s) => s.length > 0 && text.includes(s));
  }
}
