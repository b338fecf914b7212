// Hand-picked content for the simulated libraries: the curated items carry the awkward cases real
// libraries have (legacy agents, odd characters, stacked files, several versions, missing updatedAt);
// the word lists feed the filler that sized libraries are made of.

/** How an item was matched: decides its `guid` and whether it has a `Guid[]` array. */
export type MovieAgent = { kind: 'plex'; guids: string[] } | { kind: 'legacy'; guid: string } | { kind: 'none' } | { kind: 'local' };

export interface CuratedMovie {
  title: string;
  titleSort?: string;
  year?: number;
  agent: MovieAgent;
  /** Several Part elements in one Media (cd1, cd2…). */
  parts?: number;
  /** Several Media elements (e.g. 1080p and 2160p copies). */
  versions?: number;
  /** Never refreshed: no updatedAt at all. */
  noUpdatedAt?: boolean;
  /** The file's base name when it does not follow "Title (Year)". */
  fileName?: string;
  contentRating?: string;
  studio?: string;
}

export type ShowAgent = { kind: 'plex'; guids: string[] } | { kind: 'tvdb'; id: number } | { kind: 'hama'; anidb: number };

export interface CuratedShow {
  title: string;
  titleSort?: string;
  year: number;
  agent: ShowAgent;
  /** Date-based show: some episodes have no index. */
  daily?: boolean;
  /** Has a season 0 ("Specials"). */
  specials?: boolean;
  noUpdatedAt?: boolean;
  contentRating?: string;
  studio?: string;
}

export const CURATED_MOVIES: readonly CuratedMovie[] = [
  {
    title: 'The Shawshank Redemption',
    titleSort: 'Shawshank Redemption',
    year: 1994,
    agent: { kind: 'legacy', guid: 'com.plexapp.agents.imdb://tt0111161?lang=en' },
    contentRating: 'R',
    studio: 'Castle Rock Entertainment',
  },
  {
    title: 'The Matrix',
    titleSort: 'Matrix',
    year: 1999,
    agent: { kind: 'legacy', guid: 'com.plexapp.agents.themoviedb://603?lang=en' },
    contentRating: 'R',
    studio: 'Warner Bros.',
  },
  {
    title: 'Toy Story',
    year: 1995,
    agent: { kind: 'plex', guids: ['imdb://tt0114709', 'tmdb://862', 'tvdb://168'] },
    contentRating: 'G',
    studio: 'Pixar',
  },
  {
    title: "Le Fabuleux Destin d'Amélie Poulain",
    year: 2001,
    agent: { kind: 'plex', guids: ['imdb://tt0211915', 'tmdb://194'] },
    contentRating: 'R',
  },
  {
    title: '千と千尋の神隠し',
    year: 2001,
    agent: { kind: 'plex', guids: ['imdb://tt0245429', 'tmdb://129', 'tvdb://2046'] },
    contentRating: 'PG',
    studio: 'Studio Ghibli',
  },
  { title: 'Брат', year: 1997, agent: { kind: 'plex', guids: ['imdb://tt0118767'] } },
  {
    title: 'Fast & Furious',
    year: 2009,
    agent: { kind: 'plex', guids: ['imdb://tt1013752', 'imdb://tt1013752', 'tmdb://13804'] },
    contentRating: 'PG-13',
  },
  { title: '"Crocodile" Dundee', year: 1986, agent: { kind: 'plex', guids: ['imdb://tt0090555', 'tmdb://9671'] }, contentRating: 'PG-13' },
  {
    title: 'Lawrence of Arabia',
    year: 1962,
    agent: { kind: 'plex', guids: ['imdb://tt0056172', 'tmdb://947'] },
    parts: 2,
    contentRating: 'PG',
  },
  {
    title: 'Blade Runner 2049',
    year: 2017,
    agent: { kind: 'plex', guids: ['imdb://tt1856101', 'tmdb://335984', 'tvdb://359'] },
    versions: 2,
    contentRating: 'R',
  },
  { title: '<Untitled> Birthday Party', agent: { kind: 'none' }, fileName: 'VID_20190412_birthday' },
  { title: 'holiday_2015_cam2', agent: { kind: 'local' }, fileName: 'holiday_2015_cam2' },
  { title: 'Plan 9 from Outer Space', year: 1957, agent: { kind: 'plex', guids: ['imdb://tt0052077', 'tmdb://10513'] }, noUpdatedAt: true },
  { title: "Schindler's List", year: 1993, agent: { kind: 'plex', guids: ['imdb://tt0108052', 'tmdb://424'] }, contentRating: 'R' },
  { title: 'Léon: The Professional', year: 1994, agent: { kind: 'plex', guids: ['tmdb://101'] }, contentRating: 'R' },
  { title: 'M*A*S*H', year: 1970, agent: { kind: 'legacy', guid: 'com.plexapp.agents.imdb://tt0066026?lang=en' } },
  {
    title: 'The Lord of the Rings: The Fellowship of the Ring',
    titleSort: 'Lord of the Rings: The Fellowship of the Ring',
    year: 2001,
    agent: { kind: 'plex', guids: ['imdb://tt0120737', 'tmdb://120', 'tvdb://200'] },
    versions: 2,
    parts: 2,
  },
  { title: '8½', year: 1963, agent: { kind: 'plex', guids: ['imdb://tt0056801', 'tmdb://422'] } },
  { title: '🎃 Halloween 2020', agent: { kind: 'none' }, fileName: 'halloween-2020', noUpdatedAt: true },
  { title: 'Tom & Jerry\'s "Big" <Adventure>', year: 2021, agent: { kind: 'plex', guids: ['imdb://tt1361336', 'tmdb://587807'] } },
];

/** Kids Movies: "Toy Story" is the same film (same guid) as in Movies. */
export const CURATED_KIDS_MOVIES: readonly CuratedMovie[] = [
  {
    title: 'Toy Story',
    year: 1995,
    agent: { kind: 'plex', guids: ['imdb://tt0114709', 'tmdb://862', 'tvdb://168'] },
    contentRating: 'G',
    studio: 'Pixar',
  },
  {
    title: 'となりのトトロ',
    year: 1988,
    agent: { kind: 'plex', guids: ['imdb://tt0096283', 'tmdb://8392'] },
    contentRating: 'G',
    studio: 'Studio Ghibli',
  },
  {
    title: "Kiki's Delivery Service",
    year: 1989,
    agent: { kind: 'legacy', guid: 'com.plexapp.agents.imdb://tt0097814?lang=en' },
    contentRating: 'G',
  },
  {
    title: 'Pokémon: The First Movie',
    year: 1998,
    agent: { kind: 'plex', guids: ['imdb://tt0190641', 'tmdb://10228'] },
    contentRating: 'G',
  },
  { title: 'Ёжик в тумане', year: 1975, agent: { kind: 'plex', guids: ['imdb://tt0073135'] } },
];

export const CURATED_SHOWS: readonly CuratedShow[] = [
  {
    title: 'Breaking Bad',
    year: 2008,
    agent: { kind: 'plex', guids: ['imdb://tt0903747', 'tmdb://1396', 'tvdb://81189'] },
    specials: true,
    contentRating: 'TV-MA',
    studio: 'AMC',
  },
  {
    title: 'The Office (US)',
    titleSort: 'Office (US)',
    year: 2005,
    agent: { kind: 'tvdb', id: 73244 },
    specials: true,
    contentRating: 'TV-14',
    studio: 'NBC',
  },
  { title: 'Cowboy Bebop', year: 1998, agent: { kind: 'hama', anidb: 23 }, contentRating: 'TV-14', studio: 'Sunrise' },
  { title: '進撃の巨人', year: 2013, agent: { kind: 'plex', guids: ['imdb://tt2560140', 'tvdb://267440'] }, contentRating: 'TV-MA' },
  {
    title: 'Law & Order',
    year: 1990,
    agent: { kind: 'plex', guids: ['tvdb://72368', 'tvdb://72368'] },
    contentRating: 'TV-14',
    studio: 'NBC',
  },
  {
    title: 'The Daily Show',
    titleSort: 'Daily Show',
    year: 1996,
    agent: { kind: 'plex', guids: ['imdb://tt0115147', 'tvdb://71256'] },
    daily: true,
    noUpdatedAt: true,
  },
  {
    title: "Grey's Anatomy",
    year: 2005,
    agent: { kind: 'plex', guids: ['imdb://tt0413573', 'tmdb://1416', 'tvdb://73762'] },
    contentRating: 'TV-14',
  },
  { title: 'Мастер и Маргарита', year: 2005, agent: { kind: 'tvdb', id: 268592 } },
];

export const CURATED_ARTISTS: readonly string[] = ['Daft Punk', 'Sigur Rós', '宇多田ヒカル', 'Simon & Garfunkel'];

export const ADJECTIVES: readonly string[] = [
  'Silent',
  'Crimson',
  'Hidden',
  'Last',
  'Broken',
  'Golden',
  'Quiet',
  'Endless',
  'Lost',
  'Burning',
  'Frozen',
  'Midnight',
  'Electric',
  'Savage',
  'Gentle',
  'Hollow',
  'Iron',
  'Distant',
  'Wild',
  'Secret',
  'Northern',
  'Velvet',
  'Shattered',
  'Bright',
  'Restless',
  'Final',
  'Forgotten',
  'Painted',
  'Bitter',
  'Sleeping',
  'Scarlet',
  'Wandering',
  'Fading',
  'Sacred',
  'Cold',
  'Perfect',
  'Strange',
  'Little',
  'Blind',
  'Rising',
  'Emerald',
  'Falling',
  'Wicked',
  'Lonely',
  'Brave',
  'Twisted',
  'Glass',
  'Silver',
  'Dark',
  'Open',
  'Éternel',
  'Naïve',
  'Café',
  'Fiery',
  'Hungry',
  'Lucky',
  'Stolen',
  'Tender',
  'Crooked',
  'Sunken',
];

export const NOUNS: readonly string[] = [
  'River',
  'Horizon',
  'Garden',
  'Empire',
  'Signal',
  'Harbor',
  'Kingdom',
  'Mirror',
  'Winter',
  'Storm',
  'Road',
  'Promise',
  'Orchard',
  'Tide',
  'Frontier',
  'Lantern',
  'Station',
  'Machine',
  'Island',
  'Circle',
  'Shadow',
  'Valley',
  'Letter',
  'Detective',
  'Summer',
  'Highway',
  'Witness',
  'Forest',
  'Heart',
  'Engine',
  'Crown',
  'Desert',
  'Echo',
  'Voyage',
  'Tower',
  'Canyon',
  'Bridge',
  'Planet',
  'Stranger',
  'Ocean',
  'Archive',
  'Carnival',
  'Compass',
  'Dynasty',
  'Fortress',
  'Glacier',
  'Hunter',
  'Labyrinth',
  'Meadow',
  'Outpost',
  'Pilgrim',
  'Quarry',
  'Reckoning',
  'Sanctuary',
  'Threshold',
  'Umbrella',
  'Vendetta',
  'Wolf',
  'Zenith',
  'Atlas',
  'Ballad',
  'Cipher',
  'Dominion',
  'Ember',
  'Fable',
  'Gambit',
  'Haven',
  'Inferno',
  'Journey',
  'Keeper',
  'Legacy',
  'Mosaic',
  'Nomad',
  'Oracle',
  'Paradox',
  'Quest',
  'Rhapsody',
  'Saga',
  'Tempest',
  'Utopia',
];

/** Odd suffixes that sprinkle escaping work across filler titles. */
export const TITLE_SUFFIXES: readonly string[] = [
  ' & Sons',
  ': Part II',
  " '86",
  ' "Redux"',
  " <Director's Cut>",
  ' — Épilogue',
  ' (ウルトラ)',
  ' Ночь',
  '!',
  '?',
];

export const EPISODE_WORDS: readonly string[] = [
  'Pilot',
  'The Return',
  'Homecoming',
  'Crossroads',
  'Aftermath',
  'Reunion',
  'The Offer',
  'Fallout',
  'Exposure',
  'Lockdown',
  'Blood Money',
  'The Long Night',
  'Second Chances',
  'Ghosts',
  'Trust Issues',
  'The Deal',
  'Open House',
  'Breaking Point',
  'Full Circle',
  'Loose Ends',
  'The Visitor',
  'Dead Reckoning',
  'Checkmate',
  'Sunrise',
  'Finale',
];

/** Shared summaries: filler items point at these strings instead of holding their own copies. */
export const SUMMARIES: readonly string[] = [
  'A quiet town is shaken when an old secret resurfaces.',
  'Two rivals must work together to survive a long night.\nNothing goes to plan.',
  'An unlikely friendship forms between a retired detective & a young thief.',
  'She said "never again" — and then the letter arrived.',
  "The crew's last job turns into a race against time.",
  "Une histoire d'amour à Paris, entre café et pluie.",
  'Годы спустя он возвращается домой.',
  '仲間を救うため、彼は再び旅に出る。',
  'Everything changes after the storm <and nobody talks about it>.',
  '',
];

export const STUDIOS: readonly string[] = [
  'Paramount',
  'Universal',
  'A24',
  'Studio Ghibli',
  'Warner Bros.',
  'Gaumont',
  'Toho',
  'Mosfilm',
  'HBO',
  'BBC',
];
export const MOVIE_RATINGS: readonly string[] = ['G', 'PG', 'PG-13', 'R', 'NR', 'de/12', 'nl/16'];
export const TV_RATINGS: readonly string[] = ['TV-Y', 'TV-PG', 'TV-14', 'TV-MA'];
