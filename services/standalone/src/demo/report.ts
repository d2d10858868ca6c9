import type { DemoResult } from './run-demo';

const TYPE_WORDS: Record<string, string> = {
  suspected_theft: 'suspected theft, with the flagged transfer and the security events behind it',
  transaction_dispute: 'transaction dispute, linked to the flagged payment',
  account_lockout: 'account locked out by wrong passwords',
};

/**
 * What the newcomer reads at the end of the demo. The tokens are development tokens, signed with
 * the key only a non-production support-cases accepts; they go to the terminal, never to the log.
 */
export function demoReport(result: DemoResult, seconds: number): string {
  const lines = [
    '',
    `Demo ready in ${seconds.toFixed(1)} s: ${result.cases.length} cases are waiting for an agent.`,
    ...result.cases.map((c) => `  ${c.number}  ${c.priority}  ${TYPE_WORDS[c.type] ?? c.type}`),
    '',
    `Agent console: ${result.consoleUrl}`,
    'Sign in with this agent token (ada, valid 8 hours):',
    '',
    result.agentToken,
    '',
    'or as a supervisor (sam, may also unfreeze accounts):',
    '',
    result.supervisorToken,
    '',
    `Customer portal (sign-in, and where the e-mails' links lead): ${result.portal.url}`,
    `  sign in as ${result.portal.email} with ${result.portal.password}`,
    '',
    ...(result.mailbox
      ? [
          `E-mails (development mailbox: no SMTP server configured): ${result.mailbox.url}`,
          ...result.mailbox.unlockEmails.map((m) => `  ${m.locale.padEnd(5)}  ${m.subject}  ${m.url}`),
          '',
        ]
      : []),
    'More tokens: pnpm agent-token --role agent --agent NAME. Stop with Ctrl-C.',
    '',
  ];
  return lines.join('\n');
}
