// Fault 1 (issue 8): kill -9 the transaction monitor while 50,000 transactions stream, restart it:
// every transaction is scored exactly once in effect. The same stream also goes through a monitor
// nobody disturbs (the clean run); both databases must hold the same rows, and every
// announcement must be on the broker once.
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

const TOTAL = 50_000;
const run = monitorFaultSetup(TOTAL);

it('scores every transaction exactly once in effect although the monitor is killed -9 mid-stream', async () => {
  const faulted = run.db.faulted;
  // The clean run goes alongside: the faulted run spends half its time waiting for the group to notice the kill.
  const reference = cleanRun(run.db.clean, run.kafka.clean, run.stream, 'f1-monitor-clean', run.services);
  reference.catch(() => undefined); // awaited below; a failure there must not be an unhandled rejection

  const first = await startMonitorProcess(faulted, run.kafka.faulted, 'f1-monitor-killed');
  run.services.push(first);
  const flow = await startStream(faulted, run.kafka.faulted, run.stream, 5_000);
  await waitFor(async () => (await countRows(faulted.db, 'monitor_transactions')) >= TOTAL * 0.3, {
    what: 'the monitor to be well into the stream',
    timeoutMs: 120_000,
    intervalMs: 20,
  });
  await new Promise((r) => setTimeout(r, Math.random() * 500)); // anywhere in a chunk, not just after a commit
  const exit = await first.kill();
  const appliedAtKill = await countRows(faulted.db, 'monitor_transactions');
  const stillStreaming = !flow.done();

  const second = await startMonitorProcess(faulted, run.kafka.faulted, 'f1-monitor-restarted');
  run.services.push(second);
  await flow.finished();
  const actual = await settled(faulted, TOTAL);
  const redeliveries = await second.metric('monitor_transactions_duplicate_total');
  const expected = await reference;
  const comparison = compareRuns(expected, actual);
  const announcements = await announcementsOf(run.kafka.faulted, actual);
  report('fault 1: kill -9 the monitor mid-stream, restart', {
    killedAfterApplied: `${appliedAtKill}/${TOTAL}`,
    producerStillStreaming: stillStreaming,
    redeliveriesIgnoredAfterRestart: redeliveries,
    ...figures(expected, actual, comparison, announcements),
  });

  expect(exit.signal).toBe('SIGKILL');
  expect(stillStreaming).toBe(true);
  expect(appliedAtKill).toBeLessThan(TOTAL);
  expectSameAsClean(expected, actual, TOTAL, comparison, announcements);
  expect((await second.stop()).code).toBe(0);
});
