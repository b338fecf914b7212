import { startPlexSim } from './server.js';
const t0 = performance.now();
const sim = await startPlexSim({ library: { movies: 10_000, shows: 2_000, episodes: 100_000 } });
console.log('start ms', Math.round(performance.now() - t0), 'heap MB', Math.round(process.memoryUsage().heapUsed / 1e6));
const h = { 'X-Plex-Token': sim.token, Accept: 'application/json' };
for (const [label, path] of [
  ['ep page 0 json', '/library/sections/2/all?type=4&includeGuids=1&X-Plex-Container-Start=0&X-Plex-Container-Size=1000'],
  ['ep page 1 json', '/library/sections/2/all?type=4&includeGuids=1&X-Plex-Container-Start=1000&X-Plex-Container-Size=1000'],
  ['ep page 50 json', '/library/sections/2/all?type=4&includeGuids=1&X-Plex-Container-Start=50000&X-Plex-Container-Size=1000'],
  ['ep sort id', '/library/sections/2/all?type=4&sort=id&X-Plex-Container-Start=0&X-Plex-Container-Size=1000'],
  ['ep filter', '/library/sections/2/all?type=4&episode.updatedAt>>=1690000000&X-Plex-Container-Start=0&X-Plex-Container-Size=1000'],
  ['ep filter p2', '/library/sections/2/all?type=4&episode.updatedAt>>=1690000000&X-Plex-Container-Start=1000&X-Plex-Container-Size=1000'],
  ['movies', '/library/sections/1/all?type=1&X-Plex-Container-Start=0&X-Plex-Container-Size=1000'],
  ['search', '/hubs/search?query=river'],
  ['search2', '/hubs/search?query=storm'],
]) {
  for (const fmt of ['json', 'xml']) {
    const t = performance.now();
    const r = await fetch(sim.url + path, { headers: fmt === 'json' ? h : { 'X-Plex-Token': sim.token } });
    const body = await r.text();
    console.log(label, fmt, r.status, body.length, Math.round((performance.now() - t) * 10) / 10, 'ms');
  }
}
const t = performance.now();
console.log('touch', sim.library.touchEpisodes(0.01), Math.round(performance.now() - t), 'ms');
const t2 = performance.now();
const r = await fetch(sim.url + '/library/sections/2/all?type=4&X-Plex-Container-Start=0&X-Plex-Container-Size=1000', { headers: h });
await r.text();
console.log('after touch page', Math.round(performance.now() - t2), 'ms', 'heap MB', Math.round(process.memoryUsage().heapUsed / 1e6));
await sim.close();
