import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts the built server (`node dist/main.js`) on a free port with its own database file,
 * exactly as `npm start` runs it, and resolves once it prints its URL.
 */
export async function startStrata(env: Record<string, string>): Promise<{
  url: string;
  stop: () => Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash or an OOM kill would. */
  kill: () => Promise<void>;
}> {
  const child: ChildProcess = spawn(
    process.execPath,
    [fileURLToPath(new URL('../dist/main.js', import.meta.url))],
    {
      env: { ...process.env, STRATA_PORT: '0', STRATA_HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Strata is running: (http:\/\/\S+?)\/?\s/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  /** Stops the server with `signal`; at once if it has already exited. */
  const end = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  return {
    url,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
