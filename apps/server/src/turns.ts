import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Runs requests one per turn of the event loop, in the order they arrived.
 *
 * Node accepts new connections between turns of its event loop, and a turn handles every
 * request that was waiting when it began. Under load — 200 busy keep-alive connections, each
 * request a fraction of a millisecond of work — a turn lasts 100 ms or more and the server
 * accepts about one connection per turn: the 200th connection of a burst waited 10 s for its
 * first answer while requests on established connections took 0.2 s (autocannon's timeouts at
 * 200 connections; a bare `node:http` server doing 0.8 ms of work per request shows the same).
 * Taking one request per turn keeps turns short, so connections are accepted as they come and
 * requests are answered first come, first served. The request's own work — its synchronous
 * part and the promises it settles — runs within its turn; what it awaits on I/O runs when that
 * I/O is ready, as before.
 */
export function oneRequestPerTurn(handler: Handler, onError: (error: unknown) => void): Handler {
  const waiting: [IncomingMessage, ServerResponse][] = [];
  let head = 0;
  let scheduled = false;
  const next = () => {
    const item = waiting[head];
    if (item) {
      waiting[head++] = undefined as never;
      try {
        handler(item[0], item[1]);
      } catch (error) {
        onError(error);
        // a half-written answer cannot be mended: end the connection rather than leave it hanging
        if (item[1].headersSent) item[1].destroy();
        else item[1].writeHead(500).end();
      }
    }
    if (head < waiting.length) setImmediate(next);
    else {
      waiting.length = 0;
      head = 0;
      scheduled = false;
    }
  };
  return (req, res) => {
    waiting.push([req, res]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(next);
    }
  };
}
