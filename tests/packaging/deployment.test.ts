// What a team copies to deploy: the Dockerfile (linted), docker-compose, .env.example and the
// Kubernetes example (validated against the Kubernetes schemas), each kept in step with the
// services that exist and the secrets production requires.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as config from '@wallet-guard/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceEntries } from '../../infra/build/src/entries';
import { checkManifests, type ManifestObject, readManifests } from '../../infra/build/src/k8s-manifests';

const root = fileURLToPath(new URL('../..', import.meta.url));
const k8sDir = join(root, 'infra/k8s');
const services = serviceEntries(root).filter((s) => s.name !== 'standalone');
const dockerfile = readFileSync(join(root, 'infra/Dockerfile'), 'utf8');

/** Variables each config schema refuses to go without in production (from the schemas themselves). */
function requiredInProduction(): string[] {
  const schemas = Object.entries(config).filter(([name]) => name.endsWith('ConfigSchema'));
  expect(schemas.length).toBeGreaterThanOrEqual(4);
  return schemas.flatMap(([, schema]) => {
    try {
      config.parseConfig(schema as typeof config.authConfigSchema, { NODE_ENV: 'production' });
      return [];
    } catch (error) {
      return [...(error as Error).message.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string);
    }
  });
}

async function dockerfilelint(file: string): Promise<{ code: number; output: string }> {
  const bin = join(root, 'infra/build/node_modules/.bin/dockerfilelint');
  try {
    const { stdout } = await promisify(execFile)(bin, [file]);
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, output: e.stdout };
  }
}

describe('infra/k8s', () => {
  const objects = readManifests(k8sDir);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.name === name);

  it('is valid against the Kubernetes schemas, with no field the schemas lack', () => {
    expect(objects.length).toBeGreaterThan(10);
    expect(checkManifests(k8sDir)).toEqual([]);
  });

  it.each(services.map((s) => s.name))(
    '%s: a Deployment of 2+ replicas running the compiled entry, with probes, resources, a Service, a PDB and a Secret',
    (name) => {
      const deployment = find('Deployment', name) as ManifestObject;
      const spec = deployment.body.spec as {
        replicas: number;
        template: { spec: { containers: Record<string, unknown>[] } };
      };
      expect(spec.replicas).toBeGreaterThanOrEqual(2);
      const container = spec.template.spec.containers[0] as Record<string, { [k: string]: unknown }>;
      expect(container.command).toEqual(['node', `services/${name}/dist/server.js`]);
      expect(container.readinessProbe?.httpGet).toMatchObject({ path: '/readyz' });
      expect(container.livenessProbe?.httpGet).toMatchObject({ path: '/healthz' });
      expect(container.resources).toMatchObject({ requests: { cpu: expect.anything(), memory: expect.anything() } });
      expect(container.resources?.limits).toMatchObject({ memory: expect.anything() });
      expect(find('Service', name)).toBeDefined();
      expect(find('PodDisruptionBudget', name)?.body.spec).toMatchObject({
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      });
      expect(find('Secret', name)).toBeDefined();
    },
  );

  it('every secret production requires is in the Secret template of the service that needs it', () => {
    const secretKeys = objects
      .filter((o) => o.kind === 'Secret')
      .flatMap((o) => Object.keys((o.body.stringData ?? {}) as Record<string, string>));
    const missing = requiredInProduction().filter((v) => !secretKeys.includes(v));
    expect(missing).toEqual([]);
  });

  it('fails on a misspelt field and on a value of the wrong type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-k8s-'));
    try {
      cpSync(k8sDir, dir, { recursive: true });
      const auth = readFileSync(join(dir, 'auth.yaml'), 'utf8');
      writeFileSync(join(dir, 'auth.yaml'), auth.replace('readinessProbe:', 'readinesProbe:'));
      const notifier = readFileSync(join(dir, 'notifier.yaml'), 'utf8');
      writeFileSync(join(dir, 'notifier.yaml'), notifier.replace('replicas: 2', 'replicas: two'));
      const problems = checkManifests(dir).map((p) => `${p.file} ${p.object}: ${p.message}`);
      expect(problems).toEqual([
        'auth.yaml Deployment/auth: unknown field /spec/template/spec/containers/0/readinesProbe',
        'notifier.yaml Deployment/notifier: data/spec/replicas must be integer',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('infra/Dockerfile', () => {
  it('passes dockerfilelint, which does fail a broken Dockerfile', async () => {
    expect(await dockerfilelint(join(root, 'infra/Dockerfile'))).toMatchObject({ code: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'wg-dockerfile-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), `${dockerfile}\nEXPOSE http\nRUN apt-get install curl\n`);
      const broken = await dockerfilelint(join(dir, 'Dockerfile'));
      expect(broken.code).not.toBe(0);
      expect(broken.output).toMatch(/Invalid Port|apt-get/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as an unprivileged user in production mode, with a health check on /readyz and every entry documented', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "infra\/build\/healthcheck\.mjs"\]/m);
    expect(readFileSync(join(root, 'infra/build/healthcheck.mjs'), 'utf8')).toContain('/readyz');
    expect(runtime).not.toMatch(/tsx/);
    for (const entry of serviceEntries(root)) {
      expect(dockerfile).toContain(
        `node services/${entry.name}/dist/${entry.compiled.endsWith('main.js') ? 'main' : 'server'}.js`,
      );
    }
  });
});

describe('docker-compose and .env.example', () => {
  const compose = parse(readFileSync(join(root, 'infra/docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string[]; env_file?: string; build?: { dockerfile: string } }>;
  };

  it.each(services.map((s) => s.name))('%s runs its compiled entry from the production image', (name) => {
    expect(compose.services[name]).toMatchObject({
      command: ['node', `services/${name}/dist/server.js`],
      build: { dockerfile: 'infra/Dockerfile' },
      env_file: '../.env',
    });
  });

  it('.env.example names every variable production refuses to start without', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const named = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const required = requiredInProduction();
    expect(required).toEqual(expect.arrayContaining(['AUTH_API_KEYS', 'AUTH_JWT_SIGNING_KEYS', 'NOTIFIER_API_KEYS']));
    // The notifier needs SMTP or the webhook pair, checked once the rest is valid.
    for (const name of [...required, 'NOTIFIER_SMTP_URL', 'NOTIFIER_WEBHOOK_URL', 'NOTIFIER_WEBHOOK_SECRET']) {
      expect(named, name).toContain(name);
    }
  });
});
