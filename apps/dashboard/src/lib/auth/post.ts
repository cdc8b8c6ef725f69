/** Posts to an API mutation from the browser; resolves to the HTTP status and the error message. */
export async function postApi(
  path: string,
  input: unknown,
  csrf?: string | null,
): Promise<{ ok: boolean; status: number; message: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrf) headers['x-strata-csrf'] = csrf;
  const res = await fetch(`/trpc/${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(input),
  });
  let message = '';
  if (!res.ok) {
    try {
      const body = (await res.json()) as {
        error?: { message?: string; data?: { issues?: { message: string }[] } };
      };
      message = body.error?.data?.issues?.[0]?.message ?? body.error?.message ?? '';
    } catch {
      message = `HTTP ${res.status}`;
    }
  }
  return { ok: res.ok, status: res.status, message };
}

/** A same-site path to return to after signing in (never another site). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : '/';
}
