// Fault 4 (issue 8): two monitor instances share the stream in one consumer group; one is killed
// -9 mid-stream and never comes back. The survivor takes over its partitions (after the group's
// session timeout) and the result equals a clean run's: no flag lost, none doubled.
import { waitFor } from '@wallet-guard/testing';
import { expect, it } from 'vitest';
import {
  announcementsOf,
  cleanRun,
  compareRuns,
  expectSameAsClean,
  figures,
  monitorFaultSetup,
  settled,
  startMonitorProcess,
  startStream,
} from './support/monitor-runs';
import { countRows } from './support/monitor-stream';
import { report } from './support/report';

const TOTAL = 40_000;
const GROUP = { group: 'transaction-monitor.transactions' };
const run = monitorFaultSetup(TOTAL);

it('loses and doubles no flag when one of two instances is killed -9 mid-stream', async () => {
  const faulted = run.db.faulted;
  // The clean run goes alongside: the faulted run spends half its time waiting for the group to notice the kill.
  const reference = cleanRun(run.db.clean, run.kafka.clean, run.stream, 'f4-monitor-clean', run.services);
  reference.catch(() => undefined); // awaited below; a failure there must not be an unhandled rejection

  const [a, b] = await Promise.all([
    startMonitorProcess(faulted, run.kafka.faulted, 'f4-monitor-a'),
    startMonitorProcess(faulted, run.kafka.faulted, 'f4-monitor-b'),
  ]);
  run.services.push(a, b);
  const flow = await startStream(faulted, run.kafka.faulted, run.stream, 4_000);
  // Both take part before the kill: the group really is shared.
  await waitFor(
    async () =>
      (await a.metric('events_applied_total', GROUP)) > 0 &&
      (await b.metric('events_applied_total', GROUP)) > 0 &&
      (await countRows(faulted.db, 'monitor_transactions')) >= TOTAL * 0.3,
    { what: 'both instances applying', timeoutMs: 120_000, intervalMs: 50 },
  );
  await new Promise((r) => setTimeout(r, Math.random() * 500));
  const appliedByVictim = await a.metric('events_applied_total', GROUP);
  const exit = await a.kill();
  const appliedAtKill = await countRows(faulted.db, 'monitor_transactions');
  const stillStreaming = !flow.done();

  await flow.finished();
  const actual = await settled(faulted, TOTAL);
  const survivorApplied = await b.metric('events_applied_total', GROUP);
  const redeliveries = await b.metric('monitor_transactions_duplicate_total');
  const expected = await reference;
  const comparison = compareRuns(expected, actual);
  const announcements = await announcementsOf(run.kafka.faulted, actual);
  report('fault 4: two instances, one killed -9 mid-stream', {
    killedAfterApplied: `${appliedAtKill}/${TOTAL}`,
    appliedByKilled: appliedByVictim,
    appliedBySurvivor: survivorApplied,
    producerStillStreaming: stillStreaming,
    redeliveriesIgnoredBySurvivor: redeliveries,
    ...figures(expected, actual, comparison, announcements),
  });

  expect(exit.signal).toBe('SIGKILL');
  expect(stillStreaming).toBe(true);
  expect(appliedByVictim).toBeGreaterThan(0);
  expect(survivorApplied).toBeGreaterThan(0);
  expectSameAsClean(expected, actual, TOTAL, comparison, announcements);
  expect((await b.stop()).code).toBe(0);
});
