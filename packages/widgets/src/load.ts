import { ApiError } from './client.js';

/** What an element shows while it fetches: loading, an error (with the HTTP status), or data. */
export type LoadState<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly status: number; readonly message: string }
  | { readonly kind: 'ready'; readonly data: T };

/** Fires a `strata:*` event from the element, crossing the shadow boundary to the host page. */
export function emit(host: HTMLElement, name: string, detail: unknown): void {
  host.dispatchEvent(new CustomEvent(`strata:${name}`, { detail, bubbles: true, composed: true }));
}

/**
 * Runs a fetch for an element: reports each state, fires `strata:load` (with `detail(data)`) or
 * `strata:error` (with the status) on the host, and returns the abort for the effect's cleanup.
 */
export function load<T>(
  host: HTMLElement,
  run: (signal: AbortSignal) => Promise<T>,
  set: (state: LoadState<T>) => void,
  detail: (data: T) => unknown,
): () => void {
  const controller = new AbortController();
  set({ kind: 'loading' });
  run(controller.signal)
    .then((data) => {
      if (controller.signal.aborted) return;
      set({ kind: 'ready', data });
      emit(host, 'load', detail(data));
    })
    .catch((error: unknown) => {
      if (controller.signal.aborted) return;
      const status = error instanceof ApiError ? error.status : 0;
      set({
        kind: 'error',
        status,
        message: error instanceof Error ? error.message : String(error),
      });
      emit(host, 'error', { status, message: error instanceof Error ? error.message : '' });
    });
  return () => controller.abort();
}

/** The origin to call: `api-base`, or the page's own. */
export function apiOf(apiBase: string): string {
  return apiBase || location.origin;
}

/** The `branch` attribute as the API takes it: a six-digit org unit code, or an id. */
export function branchInput(branch: string): { branch?: string | number } {
  if (!branch) return {};
  return { branch: /^\d{6}$/.test(branch) ? branch : Number(branch) };
}
