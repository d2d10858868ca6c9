// The image's HEALTHCHECK (the slim image has no curl): exits 0 when every service of the
// container answers /readyz with 200 within 3 s, 1 otherwise. The ports: HEALTHCHECK_PORTS
// (comma-separated), else the *_PORT variables the container sets, else the default port of the
// service the container runs (its command, /proc/1/cmdline; 4001, auth's, for the standalone process).
import { readFileSync } from 'node:fs';

const DEFAULT_PORTS = {
  auth: ['AUTH_PORT', '4001'],
  'transaction-monitor': ['MONITOR_PORT', '4002'],
  'support-cases': ['CASES_PORT', '4003'],
  notifier: ['NOTIFIER_PORT', '4004'],
  'account-portal': ['PORTAL_PORT', '4005'],
};

function commandPort() {
  try {
    const command = readFileSync('/proc/1/cmdline', 'utf8');
    const service = /services\/([a-z-]+)\/dist\/server\.js/.exec(command)?.[1];
    return DEFAULT_PORTS[service]?.[1] ?? '4001';
  } catch {
    return '4001';
  }
}

const configured = process.env.HEALTHCHECK_PORTS?.split(',')
  .map((p) => p.trim())
  .filter(Boolean);
const fromVariables = Object.values(DEFAULT_PORTS)
  .map(([variable]) => process.env[variable])
  .filter(Boolean);
const ports = configured?.length ? configured : fromVariables.length ? fromVariables : [commandPort()];

const ready = async (port) => {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3_000) });
    return res.ok;
  } catch {
    return false;
  }
};

const results = await Promise.all(ports.map(ready));
process.exit(results.every(Boolean) ? 0 : 1);
