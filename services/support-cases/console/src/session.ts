// The agent's token lives in sessionStorage: it survives a reload of the tab, and ends with it.
const KEY = 'wallet-guard.agent-token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const storeToken = (token: string) => sessionStorage.setItem(KEY, token);
export const forgetToken = () => sessionStorage.removeItem(KEY);
