import { api, registerBody } from './api.js';
import { uniqueUsername } from './env.js';
import { whenGraphKnows } from './graph.js';

export interface Account {
  id: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a fresh user through the gateway and logs in. */
export async function newAccount(prefix = 'acct'): Promise<Account> {
  const username = uniqueUsername(prefix);
  const body = registerBody(username);
  const registered = await api<{ id: string }>('POST', '/api/v1/auth/register', { body });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  const tokens = await api<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/login', { body: { login: username, password: body.password } });
  if (tokens.status !== 200) throw new Error(`login failed: ${tokens.status} ${JSON.stringify(tokens.body)}`);
  const account = { id: registered.body.id, username, password: body.password, ...tokens.body };
  // Profiles and follows are served by graph, which learns of the account by event.
  await whenGraphKnows(account);
  return account;
}
