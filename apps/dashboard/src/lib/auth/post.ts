/** Posts to an API mutation from the browser; resolves to the HTTP status and the error message. */
export async function postApi(
  path: string,
  input: unknown,
  csrf?: string | null,
): Promise<{
  ok: boolean;
  status: number;
  message: string;
  data?: unknown;
  /** For bad input: each field's path (e.g. `retailLadder.2.min`) and reason. */
  issues?: { path: string; message: string }[];
}> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrf) headers['x-strata-csrf'] = csrf;
  const res = await fetch(`/trpc/${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(input),
  });
  let message = '';
  if (res.ok) {
    try {
      const body = (await res.json()) as { result?: { data?: unknown } };
      return { ok: true, status: res.status, message, data: body.result?.data };
    } catch {
      return { ok: true, status: res.status, message };
    }
  }
  {
    try {
      const body = (await res.json()) as {
        error?: { message?: string; data?: { issues?: { path: string; message: string }[] } };
      };
      const issues = body.error?.data?.issues;
      message = issues?.[0]?.message ?? body.error?.message ?? '';
      return { ok: false, status: res.status, message, ...(issues && { issues }) };
    } catch {
      message = `HTTP ${res.status}`;
    }
  }
  return { ok: res.ok, status: res.status, message };
}

/**
 * A same-site path to return to after signing in, never another site: the value is resolved as
 * a browser would (which drops tabs and line breaks, so `/\t/evil.example` is `//evil.example`)
 * and only a same-origin result's path, query and fragment are kept.
 */
export function safeNext(next: string | null): string {
  if (!next) return '/';
  const base = 'http://strata.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}
