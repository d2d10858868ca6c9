// Prints a development agent token: pnpm agent-token --role agent|supervisor --agent NAME [--hours 8]
// The token carries `iat` and `exp`; --hours may not exceed CASES_AGENT_TOKEN_MAX_AGE_SECONDS
// (12 h by default), since the service refuses longer-lived tokens.
// Signed with the development key that only a non-production support-cases accepts; refused in
// production (and pointless there: production trusts its identity provider's keys only).
import { parseArgs } from 'node:util';
import { casesConfigSchema, loadConfig } from '@wallet-guard/config';
import { signDevAgentToken } from '../dev-agent-token';

const { values } = parseArgs({
  options: { role: { type: 'string' }, agent: { type: 'string' }, hours: { type: 'string', default: '8' } },
});
if (process.env.NODE_ENV === 'production') {
  process.stderr.write(
    'agent-token is for development only; in production agents sign in with your identity provider\n',
  );
  process.exit(1);
}
const config = loadConfig(casesConfigSchema);
const maxHours = config.agentTokens.maxAgeSeconds / 3600;
const role = values.role;
const agent = values.agent ?? '';
const hours = Number(values.hours);
if (
  !(role === 'agent' || role === 'supervisor') ||
  !/^[A-Za-z0-9._@-]{1,100}$/.test(agent) ||
  !(hours > 0 && hours <= maxHours)
) {
  process.stderr.write(`usage: agent-token --role agent|supervisor --agent NAME [--hours up to ${maxHours}]\n`);
  process.exit(2);
}
if (!config.agentTokens.usingDevKey) {
  process.stderr.write('CASES_AGENT_JWKS is set: tokens must come from the identity provider that holds those keys\n');
  process.exit(1);
}
process.stdout.write(`${await signDevAgentToken({ role, agent, hours, ...config.agentTokens })}\n`);
