// `npm start -- --demo`: fills the freshly started system with a small story, through the same
// public APIs the wallet backend uses, then prints where to look. Cases appear because the
// services do their job (events, scoring, intake), not because the demo writes them.
import type { CaseView } from '@wallet-guard/contracts';
import { enrolTwoFactor, guessPasswords, register, takeOver } from './accounts';
import { DemoError, eventually, expectStatus, send } from './http-client';
import { ATTACKER, demoPeople, type Person } from './people';
import { drainToNewCounterparty, everydaySpending, monitorHasSeen, submit, testThenLarge } from './transactions';

export interface DemoTargets {
  authUrl: string;
  monitorUrl: string;
  casesUrl: string;
  notifierUrl: string;
  portalUrl: string;
  /** Signs a development agent token (support-cases' dev key). */
  agentToken: (agent: string, role: 'agent' | 'supervisor') => Promise<string>;
}

/** An e-mail the demo caused, as the development mailbox shows it. */
export interface DemoEmail {
  to: string;
  locale: string;
  subject: string;
  url: string;
}

export interface DemoResult {
  cases: CaseView[];
  /** The account portal and a customer who can sign in there (lena: nothing happened to her). */
  portal: { url: string; email: string; password: string };
  /** The development mailbox and the unlock e-mails in it; undefined when e-mail goes to an SMTP server. */
  mailbox: { url: string; unlockEmails: DemoEmail[] } | undefined;
  consoleUrl: string;
  agentToken: string;
  supervisorToken: string;
}

const BALANCE = 480_000; // 4,800.00 EUR

/** Runs the story; throws a DemoError naming the step that failed. */
export async function runDemo(t: DemoTargets, say: (line: string) => void): Promise<DemoResult> {
  const people = demoPeople();
  const ids = {
    mila: await register(t.authUrl, people.mila),
    noah: await register(t.authUrl, people.noah),
    omar: await register(t.authUrl, people.omar),
    lena: await register(t.authUrl, people.lena),
    wei: await register(t.authUrl, people.wei),
  };
  say('registered 5 customers: mila, noah, omar, lena, and wei (whose wallet runs in Chinese)');

  await guessPasswords(t.authUrl, people.mila, ATTACKER, 5);
  await guessPasswords(t.authUrl, people.wei, ATTACKER, 5);
  say('5 wrong passwords each on mila and wei: their accounts lock and each is e-mailed an unlock link');

  const noahFactor = await enrolTwoFactor(t.authUrl, people.noah);
  say('noah turned on two-factor (an authenticator app code computed from the secret)');

  const histories = [
    ...everydaySpending(ids.noah, people.noah.phone, BALANCE),
    ...everydaySpending(ids.omar, people.omar.phone, BALANCE),
    ...everydaySpending(ids.lena, people.lena.phone, BALANCE),
  ];
  await submit(t.monitorUrl, histories);
  const perAccount = histories.length / 3;
  for (const id of [ids.noah, ids.omar, ids.lena]) await monitorHasSeen(t.monitorUrl, id, perAccount);
  say(`${histories.length} everyday transactions scored: two weeks of normal spending each`);

  const omarTests = testThenLarge(ids.omar, people.omar.phone, spentBalance(histories, ids.omar));
  await submit(t.monitorUrl, omarTests);
  say('omar: three tiny payments and then a large one within the hour');

  await takeOver(t.authUrl, people.noah, noahFactor, ATTACKER);
  await monitorHasSeen(t.monitorUrl, ids.noah, perAccount, ['sign_in.succeeded', 'totp.disabled']);
  await submit(t.monitorUrl, [drainToNewCounterparty(ids.noah, ATTACKER, spentBalance(histories, ids.noah))]);
  say('noah: a new-device sign-in, two-factor turned off, then nearly everything sent to a new bank account');

  const dispute = {
    accountId: ids.omar,
    category: 'transaction_dispute',
    message: 'I did not buy gift cards. Please reverse the 349 EUR payment.',
    transactionIds: [omarTests[omarTests.length - 1]?.transactionId as string],
    locale: 'en',
  };
  const disputeAnswer = await send(t.casesUrl, 'POST', '/v1/customer-cases', {
    body: dispute,
    headers: { 'x-api-key': 'dev-wallet-key' },
  });
  expectStatus(disputeAnswer, 201, 'omar disputes the payment');
  say('omar disputes the large payment through the wallet');

  const agentToken = await t.agentToken('ada', 'agent');
  const expected: [string, CaseView['type']][] = [
    [ids.noah, 'suspected_theft'],
    [ids.omar, 'transaction_dispute'],
    [ids.mila, 'account_lockout'],
    [ids.wei, 'account_lockout'],
  ];
  const cases: CaseView[] = [];
  for (const [accountId, type] of expected) {
    cases.push(
      await eventually(`the ${type} case`, async () => {
        const answer = await send(t.casesUrl, 'GET', `/v1/cases?accountId=${accountId}`, {
          headers: { authorization: `Bearer ${agentToken}` },
        });
        const page = expectStatus<{ items: CaseView[] }>(answer, 200, 'read the queue');
        return page.items.find((c) => c.type === type);
      }),
    );
  }
  if (cases.length !== expected.length) throw new DemoError('not every promised case opened');
  return {
    cases,
    mailbox: await unlockEmails(t.notifierUrl, [people.mila, people.wei]),
    portal: { url: t.portalUrl, email: people.lena.email, password: people.lena.password },
    consoleUrl: `${t.casesUrl}/console/`,
    agentToken,
    supervisorToken: await t.agentToken('sam', 'supervisor'),
  };
}

/**
 * The unlock e-mails of `people` in the development mailbox, once the notifier has written them;
 * undefined when the notifier sends to an SMTP server instead (the mailbox is not served).
 */
async function unlockEmails(notifierUrl: string, people: Person[]): Promise<DemoResult['mailbox']> {
  if ((await send(notifierUrl, 'GET', '/dev/mailbox.json')).status === 404) return undefined;
  const unlockEmails: DemoEmail[] = [];
  for (const person of people) {
    const entry = await eventually(`the unlock e-mail to ${person.name}`, async () => {
      const { items } = expectStatus<{ items: MailboxEntry[] }>(
        await send(notifierUrl, 'GET', '/dev/mailbox.json'),
        200,
        'read the development mailbox',
      );
      return items.find((m) => m.to === person.email && m.kind === 'unlock_link');
    });
    unlockEmails.push({
      to: entry.to,
      locale: entry.locale,
      subject: entry.subject,
      url: `${notifierUrl}/dev/mailbox/${entry.id}`,
    });
  }
  return { url: `${notifierUrl}/dev/mailbox`, unlockEmails };
}

/** A line of the development mailbox (`GET /dev/mailbox.json`). */
interface MailboxEntry {
  id: string;
  kind: string;
  to: string;
  subject: string;
  locale: string;
}

/** The balance after an account's history: what the thief (or the tester) finds. */
function spentBalance(histories: { accountId: string; balanceAfterMinor?: string | undefined }[], accountId: string) {
  const own = histories.filter((h) => h.accountId === accountId);
  return Number(own[own.length - 1]?.balanceAfterMinor ?? BALANCE);
}
