import type { StaffNotification } from '../../../../api/contract/wire.ts';
import { fetchNotifications, markNotificationsRead } from '../api/loop.ts';
import { openNotificationStream } from '../api/live.svelte.ts';
import { askSystemPermission, buzz, chime, showSystem, systemPermission, type SystemPermission } from './alert.ts';

const MUTED_KEY = 'gm-notify-muted';
const RELOAD_MS = 60_000; // the list is read again now and then: a notification whose push was lost still shows

/**
 * The signed-in staff member's notifications on an open page (docs/notifications.md): the list
 * and unread count from the API, each new one pushed by their own stream, and the page's ways to
 * get attention (tone, vibration, system notification), which a mute toggle silences.
 */
class StaffNotifications {
  items = $state<StaffNotification[]>([]);
  unread = $state(0);
  /** true once the list has been read from the API (until then an empty list means "not known yet") */
  loaded = $state(false);
  muted = $state(typeof localStorage !== 'undefined' && localStorage.getItem(MUTED_KEY) === '1');
  permission = $state<SystemPermission>(typeof window === 'undefined' ? 'unsupported' : systemPermission());
  /** words for a system notification, given by the page that shows the bell (it knows the language) */
  describe: ((n: StaffNotification) => { title: string; body: string }) | null = null;

  #close: (() => void) | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #controller: AbortController | null = null;

  start() {
    if (this.#close) return;
    this.#close = openNotificationStream((n) => this.#arrive(n), () => void this.load());
    this.#timer = setInterval(() => void this.load(), RELOAD_MS);
    void this.load();
  }

  stop() {
    this.#close?.();
    this.#close = null;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#controller?.abort();
  }

  async load() {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    try {
      const list = await fetchNotifications(controller.signal);
      this.items = list.notifications;
      this.unread = list.unread;
      this.loaded = true;
    } catch {
      // signed out or offline: the bell keeps what it had; the stream's reconnection reads again
    }
  }

  #arrive(n: StaffNotification) {
    if (this.items.some((m) => m.id === n.id)) return;
    this.items = [n, ...this.items].slice(0, 50);
    this.unread++;
    if (!this.muted) {
      chime();
      buzz();
    }
    // a page in view shows the badge; one out of view (another tab, a locked phone) asks the system
    if (this.describe && document.visibilityState !== 'visible') {
      const { title, body } = this.describe(n);
      void showSystem(title, body, `gm-notification-${n.id}`, `/worker?ticket=${encodeURIComponent(n.ticket)}`, this.muted).catch(() => {});
    }
  }

  async markRead(ids: number[]) {
    const unread = ids.filter((id) => this.items.some((n) => n.id === id && !n.readAt));
    if (!unread.length) return;
    this.#controller?.abort();
    const now = new Date().toISOString();
    this.items = this.items.map((n) => (unread.includes(n.id) ? { ...n, readAt: now } : n));
    this.unread = Math.max(0, this.unread - unread.length);
    try {
      this.unread = (await markNotificationsRead({ ids: unread })).unread;
    } catch {
      void this.load();
    }
  }

  async markAllRead() {
    this.#controller?.abort(); // a read in flight would bring back the counts from before
    const now = new Date().toISOString();
    this.items = this.items.map((n) => (n.readAt ? n : { ...n, readAt: now }));
    this.unread = 0;
    try {
      this.unread = (await markNotificationsRead({ all: true })).unread;
    } catch {
      void this.load();
    }
  }

  toggleMute() {
    this.muted = !this.muted;
    localStorage.setItem(MUTED_KEY, this.muted ? '1' : '0');
  }

  async askPermission() {
    this.permission = await askSystemPermission().catch(() => systemPermission());
  }
}

export const staffNotifications = new StaffNotifications();
