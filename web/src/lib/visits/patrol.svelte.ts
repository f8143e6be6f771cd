import { fetchPatrol, sendTrack, startPatrol, stopPatrol, type Patrol } from '../api/visits.ts';
import { maxTrackBatch } from '../../../../api/contract/visits.ts';

// A patrol on this phone (巡查): started with the worker's consent, it follows the browser's
// position while the page is open (watchPosition; the browser asks for permission), keeps the
// positions in a buffer and sends them every `sendEveryMs`, and on stop sends the rest first.
// Positions are WGS84 as the Geolocation API gives them: no conversion. A send that fails keeps
// its positions for the next one, so a weak connection loses none.

type Point = { lon: number; lat: number; at: string; accuracy?: number };

const sendEveryMs = 15_000; // ms: a walk's line drawn at the pace of a walk, few requests on a weak connection
const minStepMeters = 3; // m: positions closer than this to the last one are the phone standing still

/** Metres between two WGS84 points (equirectangular: exact enough for steps of a walk). */
function metres(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

export class PatrolWalk {
  patrol = $state.raw<Patrol | null>(null);
  state = $state<'idle' | 'starting' | 'walking' | 'stopping' | 'ended'>('idle');
  /** why there is no track: the phone has no position, or the worker said no */
  location = $state<'ok' | 'none' | 'denied'>('ok');
  points = $state(0); // positions the server holds
  meters = $state(0); // walked so far, as this phone counted it
  error = $state<unknown>(null);

  #watch: number | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #buffer: Point[] = [];
  #last: Point | null = null;
  #sending: Promise<void> | null = null;

  /** Starts a walk (or takes up the one open on the server) and follows the position. */
  async start() {
    this.state = 'starting';
    this.error = null;
    try {
      this.#walk(await startPatrol());
    } catch (error) {
      this.error = error;
      this.state = 'idle';
    }
  }

  /** Takes up a walk left open (the page was reloaded). */
  async resume(id: number) {
    this.#walk(await fetchPatrol(id));
  }

  #walk(patrol: Patrol) {
    this.patrol = patrol;
    this.points = patrol.points;
    this.meters = patrol.meters;
    this.state = 'walking';
    this.#follow();
  }

  #follow() {
    if (!('geolocation' in navigator)) {
      this.location = 'none';
      return;
    }
    this.#watch = navigator.geolocation.watchPosition(
      (position) => this.#keep({
        lon: position.coords.longitude, lat: position.coords.latitude,
        at: new Date(position.timestamp || Date.now()).toISOString(), accuracy: Math.round(position.coords.accuracy),
      }),
      (error) => { this.location = error.code === error.PERMISSION_DENIED ? 'denied' : 'none'; },
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
    );
    this.#timer = setInterval(() => void this.send(), sendEveryMs);
  }

  #keep(point: Point) {
    this.location = 'ok';
    if (this.#last) {
      const step = metres(this.#last, point);
      if (step < minStepMeters) return;
      this.meters += Math.round(step);
    }
    this.#last = point;
    this.#buffer.push(point);
    if (this.points === 0 && this.#buffer.length === 1) void this.send(); // the first position at once: the walk has a start
  }

  /** Sends the positions gathered since the last send; one send at a time. */
  async send() {
    if (this.#sending) return this.#sending;
    if (!this.patrol || !this.#buffer.length) return;
    const batch = this.#buffer.splice(0, maxTrackBatch);
    this.#sending = sendTrack(this.patrol.id, batch)
      .then((answer) => { this.points = answer.points; this.error = null; })
      .catch((error) => { this.#buffer.unshift(...batch); this.error = error; })
      .finally(() => { this.#sending = null; });
    return this.#sending;
  }

  /** Sends what is left, stops following, and closes the walk on the server. */
  async stop() {
    if (!this.patrol) return;
    this.state = 'stopping';
    this.#unfollow();
    try {
      await this.send();
      await this.send(); // a send that was under way when stop began leaves the rest for this one
      this.patrol = await stopPatrol(this.patrol.id);
      this.points = this.patrol.points;
      this.meters = this.patrol.meters;
      this.state = 'ended';
    } catch (error) {
      this.error = error; // not closed (a weak connection): still walking, still recording
      this.state = 'walking';
      this.#follow();
    }
  }

  /** Leaving the page: no more positions (the walk stays open on the server, to be taken up again). */
  dispose() {
    this.#unfollow();
    void this.send();
  }

  #unfollow() {
    if (this.#watch !== null) navigator.geolocation.clearWatch(this.#watch);
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#watch = null;
    this.#timer = null;
  }
}
