import { ApiError, fetchSession, signIn, signOut, type StaffUser } from './loop.ts';

/** Who is signed in. `checked` turns true once the server has answered (signed in or not). */
class Session {
  user = $state<StaffUser | null>(null);
  checked = $state(false);
  #controller: AbortController | null = null;

  async check() {
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    try {
      this.user = (await fetchSession(controller.signal)).user;
    } catch (error) {
      if (controller.signal.aborted) return;
      if (!(error instanceof ApiError)) throw error;
      this.user = null; // 401: nobody, and anything else we cannot use either
    }
    this.checked = true;
  }

  async signIn(username: string, password: string) {
    this.user = (await signIn(username, password)).user;
    this.checked = true;
    return this.user;
  }

  async signOut() {
    try {
      await signOut();
    } finally {
      this.user = null;
    }
  }
}

export const session = new Session();
