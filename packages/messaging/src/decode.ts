import { type Topic, topicSchemas } from '@wallet-guard/contracts';
import type { z } from 'zod';

export type Decoded<E> =
  | { ok: true; event: E }
  | { ok: false; code: 'invalid_json' | 'schema_violation'; message: string };

/**
 * Parses a record's bytes against its topic's contract. Never throws: anything that is not a
 * valid event comes back with a reason for the dead letter.
 */
export function decodeEvent<E>(topic: Topic, value: Buffer | string | null): Decoded<E> {
  if (value === null || value.length === 0) return { ok: false, code: 'invalid_json', message: 'empty message' };
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    // V8 quotes the text around the fault ("... is not valid JSON"): on a topic that carries
    // tokens that could be part of one. Only the position is kept.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, code: 'invalid_json', message: position ? `not JSON (at position ${position})` : 'not JSON' };
  }
  const result = (topicSchemas[topic] as z.ZodType).safeParse(json);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, code: 'schema_violation', message: issues.slice(0, 500) };
  }
  return { ok: true, event: result.data as E };
}
