import { z } from 'zod';
import { topicSchemas } from './registry';
import type { Topic } from './topics';

/**
 * JSON Schema (draft 2020-12) of every topic's events, for consumers that do not use zod.
 * Refinements that JSON Schema cannot express (the ISO 4217 list, envelope/payload account
 * equality) are described, not enforced, by these documents.
 */
export function eventJsonSchemas(): Record<Topic, Record<string, unknown>> {
  const result = {} as Record<Topic, Record<string, unknown>>;
  for (const [topic, schema] of Object.entries(topicSchemas) as [Topic, z.ZodType][]) {
    result[topic] = {
      $id: `https://wallet-guard.dev/schemas/${topic}.json`,
      title: topic,
      ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }),
    };
  }
  return result;
}
