import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverOptions, serviceKit } from '@wallet-guard/http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_PUBLIC_ROUTES, consoleRoutes } from './console-routes';

const dir = mkdtempSync(join(tmpdir(), 'wg-console-'));
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify(serverOptions({ service: 'support-cases', logLevel: 'silent' }));
  await app.register(serviceKit, {
    service: 'support-cases',
    title: 'test',
    description: 'test',
    version: '0',
    errorPrefix: 'CASE',
    publicRoutes: CONSOLE_PUBLIC_ROUTES,
    readiness: {},
    sharedMetrics: [],
  });
  await app.register(consoleRoutes, { dir });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console at /console', () => {
  it('answers 503 CASE_CONSOLE_NOT_BUILT with the build command before the console is built', async () => {
    for (const url of ['/console', '/console/', '/console/assets/index.js']) {
      const res = await app.inject({ url });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 503, 'CASE_CONSOLE_NOT_BUILT']);
      expect(res.json().error.message).toContain('build:console');
    }
  });

  it('serves the built page and its assets under the strict security headers, once built', async () => {
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><script type="module" src="/console/assets/index-abc.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');

    const page = await app.inject({ url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const withoutSlash = await app.inject({ url: '/console' });
    expect([withoutSlash.statusCode, withoutSlash.body]).toEqual([200, page.body]);

    const asset = await app.inject({ url: '/console/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-security-policy']).toBe(csp);

    const missing = await app.inject({ url: '/console/assets/nope.js' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'CASE_NOT_FOUND']);
    const outside = await app.inject({ url: '/console/../package.json' });
    expect(outside.statusCode).not.toBe(200);
  });
});
