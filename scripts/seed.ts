/**
 * Seeds a little demo data through the public API, so that it goes through
 * the same validation, services and events as real traffic. Safe to run
 * again: accounts that exist already are left alone.
 */
const gateway = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '3000'}`;

const demoUsers = [
  { username: 'ada', email: 'ada@example.com', displayName: 'Ada Lovelace' },
  { username: 'grace', email: 'grace@example.com', displayName: 'Grace Hopper' },
  { username: 'linus', email: 'linus@example.com', displayName: 'Linus' },
];

for (const user of demoUsers) {
  const response = await fetch(`${gateway}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, password: 'demo-password-123' }),
  });
  if (response.status === 201) process.stdout.write(`seeded user ${user.username}\n`);
  else if (response.status === 409) process.stdout.write(`user ${user.username} exists\n`);
  else throw new Error(`seeding ${user.username} failed: ${response.status} ${await response.text()}`);
}
