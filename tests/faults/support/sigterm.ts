// What SIGTERM during load must look like from outside: requests the service had taken get their
// ordinary answer, later ones are refused (503 or no connection), and the process exits 0 in time.
import type { Kafka } from 'kafkajs';
import type { Answer } from './http';
import type { ServiceProcess } from './service-process';

/** Keeps `concurrency` request loops going until stopped; every answer is recorded. */
export function httpLoad(concurrency: number, request: (worker: number) => Promise<Answer>) {
  const answers: Answer[] = [];
  let running = true;
  const workers = Array.from({ length: concurrency }, async (_, worker) => {
    while (running) {
      const answer = await request(worker);
      answers.push(answer);
      // A refused connection answers at once: do not spin.
      if (answer.status === 0 || answer.status === 503) await new Promise((r) => setTimeout(r, 50));
    }
  });
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(workers);
    },
  };
}

export interface Termination {
  signalledAt: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  exitMs: number;
}

export async function terminate(service: ServiceProcess): Promise<Termination> {
  const signalledAt = performance.now();
  service.signal('SIGTERM');
  const exit = await service.exited;
  return { signalledAt, code: exit.code, signal: exit.signal, exitMs: exit.at - signalledAt };
}

/**
 * Sorts the answers around the signal. `inFlight`: sent before it and answered after it (work
 * the service had in hand). `late`: sent after the service had time to see the signal; none of
 * them may have been served.
 */
export function aroundSignal(answers: readonly Answer[], signalledAt: number, served: (a: Answer) => boolean) {
  const before = answers.filter((a) => a.sentAt < signalledAt);
  const inFlight = before.filter((a) => a.answeredAt > signalledAt);
  const late = answers.filter((a) => a.sentAt > signalledAt + 300);
  return {
    before: before.length,
    inFlight: inFlight.length,
    inFlightServed: inFlight.filter(served).length,
    /** Sent before the signal and left without any HTTP answer (reset, timeout). */
    unanswered: before.filter((a) => a.status === 0).length,
    late: late.length,
    lateServed: late.filter(served).length,
    lateStatuses: [...new Set(late.map((a) => (a.status === 0 ? `0:${a.error}` : String(a.status))))].sort(),
  };
}

/** Sum over partitions of a consumer group's committed offsets on a topic (records it has consumed for good). */
export async function committedOffsets(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}
