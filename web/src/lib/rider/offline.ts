/**
 * Keeps the rider guide working without a network: registers the service worker for /rider/
 * only, then hands it every same-origin file this page has loaded (the shell, its chunks, the
 * font slices its text used, the compound's API answer) to keep. The first visit loads them
 * before the worker exists, so the page names them itself rather than hoping the worker saw them.
 */
export async function keepForOffline(extraUrls: string[] = []): Promise<void> {
  if (!('serviceWorker' in navigator) || !isSecureOrigin()) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/rider/' });
    const registration = await navigator.serviceWorker.ready;
    await document.fonts.ready;
    const loaded = performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((url) => {
        const u = new URL(url);
        return u.origin === location.origin && !u.pathname.startsWith('/sw.js') && !u.pathname.startsWith('/api/events');
      });
    const urls = [...new Set([location.pathname, ...loaded, ...extraUrls.map((u) => new URL(u, location.href).href)])];
    registration.active?.postMessage({ type: 'keep', urls, shell: location.pathname });
  } catch (error) {
    console.warn('the rider guide will not work offline:', error);
  }
}

const isSecureOrigin = () => location.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname);
