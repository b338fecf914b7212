// `npm run plex:sim -- [--port N] [--seed N] [--movies N] [--shows N] [--episodes N] [--artists N] [--albums N]
//   [--tracks N] [--audiobooks N] [--token T] [--xml-only]`
// Prints one JSON line {"url","token","machineIdentifier","controlKey"} on stdout once listening, then serves
// until SIGTERM/SIGINT. Everything else goes to stderr, so a parent process can read stdout line by line.

import { startPlexSim, type PlexSimOptions } from './server.js';

class CliUsageError extends Error {
  readonly code = 'USAGE';
}

const USAGE =
  'usage: plex-sim [--port N] [--seed N] [--movies N] [--shows N] [--episodes N] [--artists N] [--albums N] [--tracks N] ' +
  '[--audiobooks N] [--token T] [--xml-only] [--verbose]';

function parseArgs(argv: readonly string[]): { options: PlexSimOptions; verbose: boolean } {
  const options: PlexSimOptions = {};
  const library: NonNullable<PlexSimOptions['library']> = {};
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new CliUsageError(`${name} needs a value\n${USAGE}`);
      return v;
    };
    const integer = (): number => {
      const v = value();
      if (!/^-?\d+$/.test(v)) throw new CliUsageError(`${name} needs an integer, got ${v}\n${USAGE}`);
      return Number(v);
    };
    switch (name) {
      case '--port':
        options.port = integer();
        break;
      case '--seed':
        options.seed = integer();
        break;
      case '--movies':
        library.movies = integer();
        break;
      case '--shows':
        library.shows = integer();
        break;
      case '--episodes':
        library.episodes = integer();
        break;
      case '--artists':
        library.artists = integer();
        break;
      case '--albums':
        library.albums = integer();
        break;
      case '--tracks':
        library.tracks = integer();
        break;
      case '--audiobooks':
        library.audiobooks = integer();
        break;
      case '--token':
        options.token = value();
        break;
      case '--xml-only':
        options.xmlOnly = true;
        break;
      case '--verbose':
        verbose = true;
        break;
      case '--help':
      case '-h':
        throw new CliUsageError(USAGE);
      default:
        throw new CliUsageError(`unknown argument ${flag}\n${USAGE}`);
    }
  }
  if (Object.keys(library).length > 0) options.library = library;
  return { options, verbose };
}

async function main(): Promise<void> {
  const { options, verbose } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const sim = await startPlexSim(options);
  process.stdout.write(
    `${JSON.stringify({ url: sim.url, token: sim.token, machineIdentifier: sim.machineIdentifier, controlKey: sim.controlKey })}\n`,
  );
  process.stderr.write(`plex-sim: listening on ${sim.url} (ready in ${Math.round(performance.now() - started)} ms)\n`);
  if (verbose) {
    let logged = 0;
    setInterval(() => {
      for (; logged < sim.requests.length; logged++) {
        const r = sim.requests[logged];
        if (r) process.stderr.write(`plex-sim: ${r.status} ${r.method} ${r.path} ${new URLSearchParams(r.query).toString()}\n`);
      }
      if (sim.requests.length < logged) logged = sim.requests.length;
    }, 250).unref();
  }
  const stop = (signal: string): void => {
    process.stderr.write(`plex-sim: ${signal}, closing\n`);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`plex-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof CliUsageError ? 2 : 1);
});
