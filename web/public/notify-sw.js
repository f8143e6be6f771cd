// 一图 staff notifications' service worker (scope /). It only shows what an open staff page hands
// it (web/src/lib/ui/alert.ts) and opens that request when the notification is tapped; it caches
// nothing and answers no fetch (the rider guide's offline worker is ./sw.js, scope /rider/).
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/worker', self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const page = open.find((c) => new URL(c.url).pathname === url.pathname) || open[0];
    if (page) {
      await page.focus();
      if ('navigate' in page) await page.navigate(url.href).catch(() => {});
      return;
    }
    await self.clients.openWindow(url.href);
  })());
});
