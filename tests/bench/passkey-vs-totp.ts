// Second-factor verification cost: passkey assertions (WebAuthn, ES256, @simplewebauthn/server's
// verifyAuthenticationResponse, as auth calls it) beside TOTP codes (otplib through auth's own
// matchTotpCode, drift 1 step either side as configured by default), in the same run on one core.
// Phases alternate (TOTP, passkey, TOTP, passkey) so that a shared machine's load drift falls on
// both alike; each rate is the mean of its two phases.
//
//   node --import tsx tests/bench/passkey-vs-totp.ts       (BENCH_SECONDS=10 by default, split over 2 phases each)
//
// Needs nothing running: it measures the verification work only, not the database round trips
// around it (a sign-in adds those alike for both factors).
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { SoftwareAuthenticator } from '@wallet-guard/testing';
import { generate } from 'otplib';
import { matchTotpCode, newTotpSecret } from '../../services/auth/src/two-factor/totp';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PHASE_MS = (SECONDS / 2) * 1000;
const ORIGIN = 'http://localhost:4005';
const RP_ID = 'localhost';

/** Registers one credential and pre-signs `count` assertions (the signing is the authenticator's work, not ours). */
async function passkeyFixture(count: number) {
  const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP_ID });
  const options = await generateRegistrationOptions({ rpName: 'bench', rpID: RP_ID, userName: 'bench' });
  const registered = await verifyRegistrationResponse({
    response: authenticator.register(options),
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
  if (!registered.verified) throw new Error('registration did not verify');
  const credential = registered.registrationInfo.credential;
  const assertions = [];
  for (let i = 0; i < count; i++) {
    const request = await generateAuthenticationOptions({ rpID: RP_ID, userVerification: 'required' });
    assertions.push({
      challenge: request.challenge,
      response: authenticator.authenticate({ ...request, allowCredentials: [{ id: credential.id }] }),
    });
  }
  return { credential, assertions };
}

async function passkeyPhase(fixture: Awaited<ReturnType<typeof passkeyFixture>>): Promise<number> {
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < PHASE_MS) {
    const { challenge, response } = fixture.assertions[
      count % fixture.assertions.length
    ] as (typeof fixture.assertions)[0];
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: [ORIGIN],
      expectedRPID: RP_ID,
      requireUserVerification: true,
      // As auth does: counter 0 here, the regression check is auth's own comparison afterwards.
      credential: { ...fixture.credential, counter: 0 },
    });
    if (!result.verified) throw new Error('assertion did not verify');
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

async function totpPhase(secret: Uint8Array): Promise<number> {
  const started = performance.now();
  let count = 0;
  // Made once (the app's work, not ours); a phase is far shorter than the drift window it stays valid in.
  const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
  while (performance.now() - started < PHASE_MS) {
    const at = new Date();
    const match = await matchTotpCode({ secret, code, at, driftSteps: 1, afterStep: null });
    if (!match) throw new Error('code did not match');
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

const fixture = await passkeyFixture(500);
const secret = newTotpSecret();
// Warm-up: JIT and lazy imports out of the measured phases.
for (const { challenge, response } of fixture.assertions.slice(0, 50)) {
  await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential: { ...fixture.credential, counter: 0 },
  });
}

const totp1 = await totpPhase(secret);
const passkey1 = await passkeyPhase(fixture);
const totp2 = await totpPhase(secret);
const passkey2 = await passkeyPhase(fixture);
const totp = (totp1 + totp2) / 2;
const passkey = (passkey1 + passkey2) / 2;

const row = (name: string, rate: number, phases: number[]) =>
  `| ${name.padEnd(34)} | ${rate.toFixed(0).padStart(12)} | ${(1000 / rate).toFixed(3).padStart(9)} | ${phases
    .map((p) => p.toFixed(0))
    .join(' / ')
    .padStart(15)} |`;
console.log(
  [
    `passkey vs TOTP verification (1 core of ${availableParallelism()}: ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version})`,
    `${SECONDS / 2} s per phase, phases TOTP, passkey, TOTP, passkey; load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    '',
    `| ${'what is verified'.padEnd(34)} | ${'verifies/s'.padStart(12)} | ${'ms each'.padStart(9)} | ${'phase 1 / 2'.padStart(15)} |`,
    `| ${'-'.repeat(34)} | ${'-'.repeat(12)} | ${'-'.repeat(9)} | ${'-'.repeat(15)} |`,
    row('TOTP code (otplib, drift +-1 step)', totp, [totp1, totp2]),
    row('passkey assertion (ES256, UV)', passkey, [passkey1, passkey2]),
    '',
    `A passkey assertion costs ${(totp / passkey).toFixed(1)}x a TOTP check on this machine.`,
  ].join('\n'),
);
