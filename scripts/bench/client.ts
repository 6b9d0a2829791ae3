/** Minimal JSON client for the public API, used to seed and probe. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Like call(), but anything other than the expected status stops the benchmark with the reason. */
  async expect<T>(status: number, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
    const response = await this.call<T>(method, path, options);
    if (response.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
}
