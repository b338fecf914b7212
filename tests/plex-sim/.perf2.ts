import { createSimLibrary } from './library.js';
import { ListingEngine } from './listing.js';
import { itemNode, encodeJson, encodeXml, mediaContainer } from './encode.js';
const lib = createSimLibrary({ movies: 10_000, shows: 2_000, episodes: 100_000 });
const eng = new ListingEngine(lib);
const sec = lib.section('2')!;
const l2 = eng.list(sec, 'episode', new URLSearchParams('type=4'));
const acc = { nodes: 0, xml: 0, json: 0 };
const R = 40;
for (let rep = 0; rep < R; rep++) {
  const slice = l2.slice(rep * 1000, rep * 1000 + 1000);
  const t1 = performance.now();
  const nodes = slice.map((i) => itemNode(lib, i, { full: false, includeGuids: true, sectionOnItem: false }));
  const t2 = performance.now();
  encodeXml(mediaContainer({ size: 1000 }, nodes));
  const t3 = performance.now();
  encodeJson(mediaContainer({ size: 1000 }, nodes));
  const t4 = performance.now();
  if (rep >= 10) { acc.nodes += t2 - t1; acc.xml += t3 - t2; acc.json += t4 - t3; }
}
console.log('avg ms', (acc.nodes / (R - 10)).toFixed(1), (acc.xml / (R - 10)).toFixed(1), (acc.json / (R - 10)).toFixed(1));
