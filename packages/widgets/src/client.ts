/**
 * A minimal reader of Strata's tRPC queries over HTTP GET (`/trpc/<path>?input=<json>`),
 * enough for the widgets and far smaller than a full tRPC client.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface Envelope<T> {
  readonly result?: { readonly data: T };
  readonly error?: { readonly message: string; readonly data?: { readonly httpStatus?: number } };
}

/**
 * Calls a query procedure and returns its data, or throws ApiError with the server's message.
 * `token` (an embed token signed by the portal, or a Strata service token) is sent as
 * `Authorization: Bearer`.
 */
export function query<T>(
  apiBase: string,
  path: string,
  input: unknown,
  signal?: AbortSignal,
  token?: string,
): Promise<T> {
  const base = apiBase.replace(/\/+$/, '');
  const url = `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  return send<T>(url, { signal }, token);
}

/** Calls a mutation procedure (POST, JSON body), as `query` does. */
export function mutate<T>(
  apiBase: string,
  path: string,
  input: unknown,
  token?: string,
): Promise<T> {
  const base = apiBase.replace(/\/+$/, '');
  return send<T>(`${base}/trpc/${path}`, { method: 'POST', body: JSON.stringify(input) }, token, {
    'content-type': 'application/json',
  });
}

async function send<T>(
  url: string,
  init: RequestInit,
  token: string | undefined,
  extra: Record<string, string> = {},
): Promise<T> {
  // The token names who is asking; no cookies cross from the host page.
  const headers: Record<string, string> = token
    ? { ...extra, authorization: `Bearer ${token}` }
    : extra;
  const response = await fetch(url, { ...init, credentials: 'omit', headers });
  let body: Envelope<T>;
  try {
    body = (await response.json()) as Envelope<T>;
  } catch {
    throw new ApiError(`HTTP ${response.status}`, response.status);
  }
  if (body.error || !body.result) {
    throw new ApiError(
      body.error?.message ?? `HTTP ${response.status}`,
      body.error?.data?.httpStatus ?? response.status,
    );
  }
  return body.result.data;
}
