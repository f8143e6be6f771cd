// 一图 rider guide service worker (scope /rider/). Keeps the guide usable at a compound gate
// with no signal: the page shell, its hashed chunks, the font slices it used and the compound's
// API answers. Registered only by the rider page (web/src/lib/rider/offline.ts).
const CACHE = 'gm-rider-v1';
const SHELL = '/__rider_shell';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('gm-rider-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

// the page lists what it loaded before this worker was in control
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type !== 'keep' || !Array.isArray(data.urls)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(data.urls.map(async (url) => {
      try {
        if (new URL(url, self.location.href).origin !== self.location.origin) return;
        if (await cache.match(url)) return;
        const response = await fetch(url, { credentials: 'same-origin' });
        if (!response.ok) return;
        await cache.put(url, response.clone());
        if (data.shell && new URL(url, self.location.href).pathname === data.shell) await cache.put(SHELL, response);
      } catch {
        // one missing file is not worth failing the rest
      }
    }));
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/events')) return;

  if (request.mode === 'navigate') {
    // the page answers at once from the cache and refreshes it behind; any compound's page is the same shell
    event.respondWith(staleWhileRevalidate(request, (response) => putShell(response)));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request)); // hashed names never change
  } else if (/^\/api\/rider\/[^/]+$/.test(url.pathname)) {
    event.respondWith(staleWhileRevalidate(request));
  } else {
    event.respondWith(networkFirst(request));
  }
});

async function putShell(response) {
  const cache = await caches.open(CACHE);
  await cache.put(SHELL, response);
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request, also) {
  const cache = await caches.open(CACHE);
  const hit = (await cache.match(request, { ignoreSearch: request.mode === 'navigate' }))
    || (request.mode === 'navigate' ? await cache.match(SHELL) : undefined);
  const refresh = fetch(request).then(async (response) => {
    if (response.ok) {
      await cache.put(request, response.clone());
      if (also) await also(response.clone());
    }
    return response;
  });
  if (hit) {
    refresh.catch(() => {});
    return hit;
  }
  return refresh;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), 6000);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw error;
  }
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}
