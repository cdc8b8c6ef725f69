import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The server's structured log (JSON lines). It records requests by method, path, status and
 * time, never bodies or query strings (a query string can carry a customer id); fields that could
 * hold personal data or secrets are masked should they ever be logged.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-strata-csrf"]',
          'password',
          'token',
          'name',
          'idNumber',
          'phone',
          '*.password',
          '*.token',
          '*.name',
          '*.idNumber',
          '*.phone',
        ],
        censor: '[masked]',
      },
    },
    destination,
  );
}

export type { Logger };
