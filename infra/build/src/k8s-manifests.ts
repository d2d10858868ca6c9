// Checks the Kubernetes example (infra/k8s) against the Kubernetes API schemas, so a typo fails
// CI instead of a team's first `kubectl apply`. kubernetes-models validates types, enums and
// required fields; its schemas accept unknown fields, though, so a misspelt optional field
// (`readinesProbe`) would pass silently. The strict pass below finds those: it runs the same
// validator over a copy that records which fields the validator looks at, and every field it
// never looked at is one the schema does not define.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/** A kubernetes-models class: builds the object and validates it (throws when invalid). */
type ModelClass = (new (data: Record<string, unknown>) => { validate(): void }) & { prototype: { validate(): void } };

/** The kinds the example uses; anything else is reported (it is not checked). */
const KINDS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
};

/** One Kubernetes object of a manifest file. */
export interface ManifestObject {
  file: string;
  kind: string;
  name: string;
  body: Record<string, unknown>;
}

export interface ManifestProblem {
  file: string;
  /** `Kind/name` (or the document's index when it has none). */
  object: string;
  message: string;
}

/** Every YAML document of every *.yaml file directly in `dir`, parsed; YAML syntax errors throw. */
export function readManifests(dir: string): ManifestObject[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).flatMap((doc, index) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
        const body = doc.toJS() as Record<string, unknown> | null;
        if (!body) return [];
        const metadata = body.metadata as { name?: string } | undefined;
        return [{ file, kind: String(body.kind), name: metadata?.name ?? `#${index}`, body }];
      }),
    );
}

/** Wraps `value` so every field read of it (at any depth) is recorded in `read`. */
function recordingReads(value: unknown, read: WeakMap<object, Set<string>>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const fields = read.get(value) ?? new Set<string>();
  read.set(value, fields);
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string') fields.add(key);
      return recordingReads(Reflect.get(target, key, receiver), read);
    },
  });
}

/** Paths of the fields of `value` the validator never read (the top of each unknown subtree). */
function unreadFields(value: unknown, read: WeakMap<object, Set<string>>, path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  const fields = read.get(value) ?? new Set<string>();
  return Object.entries(value).flatMap(([key, child]) =>
    Array.isArray(value) || fields.has(key) ? unreadFields(child, read, `${path}/${key}`) : [`${path}/${key}`],
  );
}

/** Checks one object: its kind is known, it validates, and it has no field the schema lacks. */
function checkObject(object: ManifestObject): ManifestProblem[] {
  const problem = (message: string) => ({ file: object.file, object: `${object.kind}/${object.name}`, message });
  const Kind = KINDS[`${object.body.apiVersion}/${object.kind}`];
  if (!Kind) return [problem(`unexpected apiVersion/kind ${object.body.apiVersion}/${object.kind}`)];
  const model = new Kind(object.body);
  try {
    model.validate();
  } catch (error) {
    return [problem((error as Error).message)];
  }
  const plain = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
  const read = new WeakMap<object, Set<string>>();
  Kind.prototype.validate.call(recordingReads(plain, read));
  return unreadFields(plain, read, '').map((path) => problem(`unknown field ${path}`));
}

/** Every problem of every manifest in `dir` (empty when all are valid). */
export function checkManifests(dir: string): ManifestProblem[] {
  return readManifests(dir).flatMap(checkObject);
}
