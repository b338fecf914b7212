// `npm run demo`: starts the simulated Plex server with its sample library and imports it with the real,
// built `marquee` CLI, printing what each step says. The catalog is kept (path printed) for a look around.
//   npm run demo -- [--db FILE] [--keep-serving]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPlexSim } from '../plex-sim/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const dbIndex = args.indexOf('--db');
const work = mkdtempSync(join(tmpdir(), 'marquee-demo-'));
const db = dbIndex >= 0 && args[dbIndex + 1] !== undefined ? args[dbIndex + 1]! : join(work, 'catalog.sqlite');
const env = { ...process.env, MARQUEE_DB: db, MARQUEE_CONFIG_DIR: join(work, 'config'), MARQUEE_TOKEN: '' };

/** Runs the built CLI exactly as a user would, echoing the command line. */
function marquee(...cliArgs: string[]): Promise<number> {
  console.log(`\n$ marquee ${cliArgs.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}`);
  const child = spawn(process.execPath, [join(root, 'dist/main/cli/marquee.js'), ...cliArgs], { env, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

const sim = await startPlexSim({ seed: 1, friendlyName: 'Demo Plex' });
console.log(`Simulated Plex Media Server at ${sim.url} (sample library: movies, TV shows, a kids' section, music)`);
console.log(`Catalog: ${db}`);
try {
  env.MARQUEE_TOKEN = sim.token;
  const steps: string[][] = [
    ['server', 'add', '--name', 'Demo', '--url', sim.url],
    ['sync'],
    // Mappings apply to what is already imported: no resync needed.
    ['mapping', 'add', '--server', 'Demo', '--plex-path', '/data/media/movies', '--local-path', '/mnt/nas/movies'],
    ['mapping', 'add', '--server', 'Demo', '--library', 'TV Shows', '--plex-path', '\\\\NAS\\tv', '--local-path', '/mnt/nas/tv'],
    ['mapping', 'resolve', '--server', 'Demo', '\\\\nas\\TV\\Breaking Bad\\Season 01\\Breaking Bad - S01E01.mkv'],
    ['library', 'list'],
    ['discover', '--server', 'Demo', 'office', '--year', '2005'],
  ];
  for (const step of steps) {
    const code = await marquee(...step);
    if (code !== 0) throw new Error(`marquee ${step.join(' ')} exited with ${code}`);
  }
  sim.library.addMovie(sim.library.sections().find((section) => section.type === 'movie')?.key ?? '1', {
    title: 'Added After The First Sync',
    year: 2026,
  });
  console.log('\n(the simulated server gained a movie; an incremental sync asks only for what changed)');
  await marquee('sync');
  const configDir = env.MARQUEE_CONFIG_DIR;
  console.log(`\nExport one JSON object per item: npx marquee --db ${db} export --jsonl`);
  console.log(`The same catalog in the app's UI, in a browser: MARQUEE_CONFIG_DIR=${configDir} npm run preview -- --db ${db}`);
  if (!args.includes('--keep-serving'))
    console.log('(`npm run demo -- --keep-serving` keeps the simulated server up, so syncs from the UI work too)');
  if (args.includes('--keep-serving')) {
    console.log(`\nSimulated server keeps serving at ${sim.url}; Ctrl-C to stop.`);
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }
} finally {
  await sim.close();
}
