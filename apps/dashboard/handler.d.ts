import type { IncomingMessage, ServerResponse } from 'node:http';

/** The built dashboard as Node middleware (adapter-node's handler.js). */
export const handler: (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;
