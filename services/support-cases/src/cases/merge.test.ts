import { randomUUID } from 'node:crypto';
import { TOPICS } from '@wallet-guard/contracts';
import { waitFor } from '@wallet-guard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CasesHarness, lockedEvent, securityEvent, startCases } from '../testing/harness';
import { SYSTEM } from './actor';
import { type IncidentKind, incidentKinds } from './case-rules';
import { recordIncident } from './incidents';

let h: CasesHarness;
beforeAll(async () => {
  h = await startCases({ kafka: true });
});
afterAll(() => h.close());

const wallet = { 'x-api-key': 'dev-wallet-key' };

const incident = (kind: IncidentKind, accountId: string, ref = randomUUID()) =>
  h.db.db.transaction().execute((trx) =>
    recordIncident(trx, h.context, {
      kind,
      accountId,
      actor: SYSTEM,
      detail: `${kind.type} ${ref}`,
      evidence: [{ kind: 'security_event', ref }],
    }),
  );

/** A lockout (P3) and a session hijack (P2) of one account: two cases, each with one key. */
async function twoCases(accountId: string = randomUUID()) {
  const lockout = (await incident(incidentKinds.lockout(accountId), accountId)).case;
  const hijack = (await incident(incidentKinds.sessionHijack(accountId), accountId)).case;
  return { accountId, lockout, hijack };
}

const merge = (
  id: string,
  intoCaseId: string,
  as: { name: string; role: 'agent' | 'supervisor' } = { name: 'alice', role: 'agent' },
) =>
  h.asAgent(as.name, as.role, {
    method: 'POST',
    url: `/v1/cases/${id}/merge`,
    payload: { intoCaseId, reason: 'Same incident reported twice' },
  });

const row = (id: string) => h.db.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const timeline = (id: string) =>
  h.db.db.selectFrom('case_timeline').selectAll().where('case_id', '=', id).orderBy('id').execute();
const evidence = async (id: string) =>
  (await h.db.db.selectFrom('case_evidence').select(['kind', 'ref']).where('case_id', '=', id).execute())
    .map((e) => `${e.kind}:${e.ref}`)
    .sort();
const openKeys = async (id: string) =>
  (
    await h.db.db
      .selectFrom('case_incident_keys')
      .select('incident_key')
      .where('case_id', '=', id)
      .where('open', '=', true)
      .execute()
  )
    .map((k) => k.incident_key)
    .sort();

describe('POST /v1/cases/:id/merge', () => {
  it('moves the timeline, evidence, keys and occurrences to the survivor and closes the duplicate pointing to it', async () => {
    const { accountId, lockout, hijack } = await twoCases();
    await h.asAgent('alice', 'agent', {
      method: 'POST',
      url: `/v1/cases/${lockout.id}/notes`,
      payload: { body: 'Customer called about the lock', visibility: 'public' },
    });
    const lockoutEvidence = await evidence(lockout.id);
    const hijackEvidence = await evidence(hijack.id);
    const lockoutTimeline = await timeline(lockout.id);
    const events = await h.kafka?.collect(TOPICS.caseEvents);
    h.clock.advance(60_000);
    const before = h.clock.now();

    const res = await merge(lockout.id, hijack.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().merged).toMatchObject({ id: lockout.id, status: 'closed', mergedInto: hijack.id });
    expect(res.json().survivor).toMatchObject({ id: hijack.id, priority: 'P2', occurrenceCount: 2, mergedInto: null });

    const merged = await row(lockout.id);
    expect(merged).toMatchObject({ status: 'closed', merged_into: hijack.id });
    expect(merged.closed_at?.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(merged.merged_at).toEqual(merged.closed_at);
    expect(await evidence(lockout.id)).toEqual([]);
    expect(await evidence(hijack.id)).toEqual([...lockoutEvidence, ...hijackEvidence, `case:${lockout.id}`].sort());
    expect(await openKeys(lockout.id)).toEqual([]);
    expect(await openKeys(hijack.id)).toEqual([`hijack:${accountId}`, `lockout:${accountId}`]);

    // The survivor: its own story, the merge entry, then the duplicate's entries in order, marked.
    const survivorTimeline = await timeline(hijack.id);
    const mergedEntry = survivorTimeline.find((e) => e.kind === 'merged');
    expect(mergedEntry).toMatchObject({ actor: 'agent:alice', body: 'Same incident reported twice' });
    const copied = survivorTimeline.filter((e) => e.data.mergedFrom && e.kind !== 'merged');
    expect(copied.map((e) => [e.kind, e.visibility, e.body, e.at.getTime()])).toEqual(
      lockoutTimeline.map((e) => [e.kind, e.visibility, e.body, e.at.getTime()]),
    );
    expect(copied.map((e) => (e.data.mergedFrom as { entryId: string }).entryId)).toEqual(
      lockoutTimeline.map((e) => e.id),
    );
    // The duplicate keeps its story and says where it went (audit on both).
    const duplicateTimeline = await timeline(lockout.id);
    expect(duplicateTimeline.at(-1)).toMatchObject({
      actor: 'agent:alice',
      kind: 'merged',
      old_value: { status: 'open' },
      new_value: { status: 'closed', mergedInto: hijack.number },
    });

    // A later lockout lands on the survivor.
    await incident(incidentKinds.lockout(accountId), accountId);
    expect((await row(hijack.id)).occurrence_count).toBe(3);
    expect((await row(lockout.id)).occurrence_count).toBe(1);

    const announced = await waitFor(
      () => {
        const mine = (events ?? [])
          .map((m) => m.json<{ type: string; payload: { caseId: string; changes?: { field: string }[] } }>())
          .filter((e) => e.type === 'case.updated' && e.payload.changes?.some((c) => c.field.startsWith('merged')));
        return mine.length >= 2 ? mine : undefined;
      },
      { what: 'case.updated for both cases' },
    );
    expect(announced.map((e) => [e.payload.caseId, e.payload.changes?.map((c) => c.field)])).toEqual(
      expect.arrayContaining([
        [lockout.id, ['status', 'mergedInto']],
        [hijack.id, ['mergedFrom', 'occurrenceCount']],
      ]),
    );
  });

  it('raises the survivor to the more pressing priority with deadlines derived again', async () => {
    const { lockout, hijack } = await twoCases();
    const res = await merge(hijack.id, lockout.id);
    expect(res.statusCode).toBe(200);
    const survivor = await row(lockout.id);
    expect(survivor.priority).toBe('P2');
    // P2's first response in the test policy is 1 h from the opening, 24/7.
    expect(survivor.first_response_due_at.getTime() - survivor.opened_at.getTime()).toBe(60 * 60_000);
  });

  it('refuses a case of another account (422), itself (400), a closed or merged case (409), an unknown case (404)', async () => {
    const a = await twoCases();
    const b = await twoCases();
    const other = await merge(a.lockout.id, b.hijack.id);
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'CASE_MERGE_OTHER_ACCOUNT']);
    const self = await merge(a.lockout.id, a.lockout.id);
    expect([self.statusCode, self.json().error.code]).toEqual([400, 'CASE_MERGE_INTO_ITSELF']);
    const unknown = await merge(a.lockout.id, randomUUID());
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'CASE_NOT_FOUND']);

    expect((await merge(a.lockout.id, a.hijack.id)).statusCode).toBe(200);
    const again = await merge(a.lockout.id, a.hijack.id);
    expect([again.statusCode, again.json().error]).toMatchObject([
      409,
      { code: 'CASE_MERGE_CASE_CLOSED', details: { which: 'case', mergedInto: a.hijack.id } },
    ]);
    const intoMerged = await merge(a.hijack.id, a.lockout.id);
    expect([intoMerged.statusCode, intoMerged.json().error.details.which]).toEqual([409, 'into']);

    // Resolved cases do not merge either.
    await h.asAgent('alice', 'agent', {
      method: 'POST',
      url: `/v1/cases/${b.lockout.id}/resolve`,
      payload: { outcome: 'unlocked', note: 'done' },
    });
    const resolved = await merge(b.lockout.id, b.hijack.id);
    expect([resolved.statusCode, resolved.json().error.code]).toEqual([409, 'CASE_MERGE_CASE_CLOSED']);

    // Nothing moved on a refusal.
    expect(await openKeys(b.hijack.id)).toEqual([`hijack:${b.accountId}`]);
    // And a merged case is not reopened: its survivor carries on.
    const reopen = await h.asAgent('alice', 'agent', {
      method: 'POST',
      url: `/v1/cases/${a.lockout.id}/reopen`,
      payload: { reason: 'try' },
    });
    expect([reopen.statusCode, reopen.json().error.code]).toEqual([409, 'CASE_MERGED']);
  });

  it('goes through the state machine: an escalated duplicate is merged by a supervisor only; a case another agent holds is theirs', async () => {
    const { lockout, hijack } = await twoCases();
    await h.asAgent('bob', 'agent', {
      method: 'POST',
      url: `/v1/cases/${lockout.id}/escalate`,
      payload: { reason: 'needs a supervisor' },
    });
    const byAgent = await merge(lockout.id, hijack.id, { name: 'bob', role: 'agent' });
    expect([byAgent.statusCode, byAgent.json().error.code]).toEqual([403, 'CASE_FORBIDDEN']);
    expect((await merge(lockout.id, hijack.id, { name: 'sue', role: 'supervisor' })).statusCode).toBe(200);

    const pair = await twoCases();
    await h.asAgent('bob', 'agent', { method: 'POST', url: `/v1/cases/${pair.lockout.id}/claim` });
    const held = await merge(pair.lockout.id, pair.hijack.id, { name: 'alice', role: 'agent' });
    expect([held.statusCode, held.json().error.code]).toEqual([409, 'CASE_ALREADY_CLAIMED']);
  });

  it('loses no event and puts none on the closed case when events for both cases arrive during the merge', async () => {
    const { accountId, lockout, hijack } = await twoCases();
    const refs = Array.from({ length: 24 }, () => randomUUID());
    const results = await Promise.all([
      ...refs
        .slice(0, 12)
        .map((ref, i) =>
          incident(i % 2 ? incidentKinds.lockout(accountId) : incidentKinds.sessionHijack(accountId), accountId, ref),
        ),
      merge(lockout.id, hijack.id),
      ...refs
        .slice(12)
        .map((ref, i) =>
          incident(i % 2 ? incidentKinds.lockout(accountId) : incidentKinds.sessionHijack(accountId), accountId, ref),
        ),
    ]);
    expect((results[12] as { statusCode: number }).statusCode).toBe(200);

    const survivor = await row(hijack.id);
    const merged = await row(lockout.id);
    // Every occurrence counted once: the two openings and the 24 events.
    expect(survivor.occurrence_count).toBe(26);
    expect(merged.status).toBe('closed');
    const evidenceOnSurvivor = await evidence(hijack.id);
    for (const ref of refs) expect(evidenceOnSurvivor).toContain(`security_event:${ref}`);
    expect(await evidence(lockout.id)).toEqual([]);
    // Nothing landed on the duplicate after its merge entry.
    const duplicateTimeline = await timeline(lockout.id);
    expect(duplicateTimeline.at(-1)?.kind).toBe('merged');
    const open = await h.db.db
      .selectFrom('cases')
      .select('id')
      .where('account_id', '=', accountId)
      .where('status', 'not in', ['resolved', 'closed'])
      .execute();
    expect(open.map((c) => c.id)).toEqual([hijack.id]);
  });

  it('applies Kafka events for both cases consumed while the merge runs on the survivor', async () => {
    const { accountId, lockout, hijack } = await twoCases();
    const hijacked = () =>
      securityEvent({
        type: 'refresh_token.reused',
        accountId,
        payload: { sessionId: randomUUID() },
      } as Parameters<typeof securityEvent>[0]);
    const sent = Array.from({ length: 10 }, (_, i) => (i % 2 ? lockedEvent(accountId, 5 + i) : hijacked()));
    await Promise.all([
      h.kafka?.produce(
        TOPICS.securityEvents,
        sent.map((e) => ({ key: e.accountId, value: JSON.stringify(e) })),
      ),
      merge(lockout.id, hijack.id),
    ]);
    await waitFor(async () => (await row(hijack.id)).occurrence_count === 12, { what: 'all ten events applied' });
    const evidenceOnSurvivor = await evidence(hijack.id);
    for (const e of sent) expect(evidenceOnSurvivor).toContain(`security_event:${e.eventId}`);
    expect((await timeline(lockout.id)).at(-1)?.kind).toBe('merged');
    expect((await row(lockout.id)).status).toBe('closed');
  });
});

describe("the customer's view follows the survivor", () => {
  it('lists the survivor with the merged notes and number; a message on the merged case lands on the survivor', async () => {
    const accountId = randomUUID();
    const open = async (message: string) =>
      (
        await h.server.inject({
          method: 'POST',
          url: '/v1/customer-cases',
          headers: wallet,
          payload: { accountId, category: 'complaint', message },
        })
      ).json() as { caseId: string; caseNumber: string };
    const first = await open('My transfer is late');
    h.clock.advance(60_000);
    const second = await open('Still late, second request');
    expect((await merge(second.caseId, first.caseId)).statusCode).toBe(200);

    const list = async () =>
      (
        await h.server.inject({ method: 'GET', url: `/v1/customer-cases?accountId=${accountId}`, headers: wallet })
      ).json().items as { caseId: string; mergedCaseNumbers: string[]; publicNotes: { body: string }[] }[];
    const items = await list();
    expect(items.map((c) => [c.caseId, c.mergedCaseNumbers])).toEqual([[first.caseId, [second.caseNumber]]]);
    expect(items[0]?.publicNotes.map((n) => n.body)).toEqual(['My transfer is late', 'Still late, second request']);

    const written = await h.server.inject({
      method: 'POST',
      url: `/v1/customer-cases/${second.caseId}/messages`,
      headers: wallet,
      payload: { accountId, body: 'Any news?' },
    });
    expect([written.statusCode, written.json().caseId]).toEqual([201, first.caseId]);
    expect((await list())[0]?.publicNotes.at(-1)?.body).toBe('Any news?');
  });

  it('a freeze asked from the merged case lands on the survivor', async () => {
    const { accountId, lockout, hijack } = await twoCases();
    expect((await merge(lockout.id, hijack.id)).statusCode).toBe(200);
    const frozen = securityEvent({
      type: 'account.frozen',
      accountId,
      payload: { by: 'agent', actor: 'alice', reason: 'theft', caseId: lockout.id },
    } as Parameters<typeof securityEvent>[0]);
    await h.kafka?.produce(TOPICS.securityEvents, [{ key: accountId, value: JSON.stringify(frozen) }]);
    await waitFor(async () => (await row(hijack.id)).occurrence_count === 3, { what: 'the freeze on the survivor' });
    const cases = await h.db.db.selectFrom('cases').select('id').where('account_id', '=', accountId).execute();
    expect(cases).toHaveLength(2);
  });
});
