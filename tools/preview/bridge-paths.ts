// The preview bridge's HTTP surface, shared by the server and the browser client.
export const BRIDGE_CLIENT_PATH = '/__bridge/client.js';
export const BRIDGE_INVOKE_PATH = '/__bridge/invoke';
export const BRIDGE_EVENTS_PATH = '/__bridge/events';
/** The access key: a header on invoke, a query parameter where no header can be set (page URL, EventSource). */
export const BRIDGE_KEY_HEADER = 'x-marquee-key';
export const BRIDGE_KEY_PARAM = 'key';
/** Images: `/__artwork/{key}/{itemId}/{role}/{width}x{height}`, the key in the path (an <img> sends no header). */
export const ARTWORK_PATH_PREFIX = '/__artwork/';
