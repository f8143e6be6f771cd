// How a staff member's open page gets their attention for a new notification: a short tone made
// with WebAudio (no sound file), a vibration on phones, and a system notification through the
// service worker (web/public/notify-sw.js) once they granted it with a button — never asked on load.

let audio: AudioContext | null = null;

/**
 * Browsers keep audio silent until the person has touched the page: the first touch (any tap on
 * the page) makes the context, so a later notification can sound.
 */
export function unlockSound() {
  if (audio || typeof AudioContext === 'undefined') return;
  audio = new AudioContext();
}

/** Two short rising tones (≈ 0.35 s), quiet enough for an office. */
export function chime() {
  if (!audio) return;
  void audio.resume().catch(() => {});
  const start = audio.currentTime + 0.02;
  for (const [i, hz] of [880, 1320].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = hz;
    const t0 = start + i * 0.16;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.15);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + 0.16);
  }
}

/** A short double buzz on phones that can (Android browsers; iPhones ignore it). */
export const buzz = () => navigator.vibrate?.([120, 80, 120]);

export type SystemPermission = NotificationPermission | 'unsupported';

export const systemPermission = (): SystemPermission =>
  typeof Notification === 'undefined' || !('serviceWorker' in navigator) || !isSecureContext ? 'unsupported' : Notification.permission;

const worker = () => navigator.serviceWorker.register('/notify-sw.js', { scope: '/' });

/** Asks for permission (call from a button's click) and readies the service worker. */
export async function askSystemPermission(): Promise<SystemPermission> {
  if (systemPermission() === 'unsupported') return 'unsupported';
  const answer = await Notification.requestPermission();
  if (answer === 'granted') await worker();
  return answer;
}

/** A system notification through the service worker; `url` opens when it is tapped. */
export async function showSystem(title: string, body: string, tag: string, url: string, silent: boolean) {
  if (systemPermission() !== 'granted') return;
  const registration = await worker();
  await registration.showNotification(title, { body, tag, silent, data: { url }, lang: document.documentElement.lang });
}
