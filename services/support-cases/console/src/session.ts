// The agent's token lives in sessionStorage: it survives a reload of the tab, and ends with it.
import type { AgentView } from '@wallet-guard/contracts';
import type { CasesApi } from './api';

/** The signed-in agent and the API client that carries their token. */
export interface Session {
  api: CasesApi;
  agent: AgentView;
}

const KEY = 'wallet-guard.agent-token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string) => sessionStorage.setItem(KEY, token);
export const forgetToken = () => sessionStorage.removeItem(KEY);
