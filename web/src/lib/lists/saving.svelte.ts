import { errorText } from '../api/errors.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

/**
 * One write of a list's form at a time: `saving` while it runs, then either `done` (the form
 * closes, the lists reload) or the error, worded in the reader's language, kept against the card
 * (`at`: a row's id, or 'new') it belongs to.
 */
export class Saving {
  saving = $state(false);
  error = $state<{ at: number | 'new'; text: string } | null>(null);

  constructor(private readonly done: () => void | Promise<void>) {}

  /** The error to show at this card or form, if it is the one that failed. */
  at = (at: number | 'new' | null) => (this.error && this.error.at === at ? this.error.text : null);

  async run(at: number | 'new', write: () => Promise<unknown>): Promise<void> {
    this.saving = true;
    this.error = null;
    try {
      await write();
      await this.done();
    } catch (err) {
      this.error = { at, text: errorText(err, i18n.t) };
    } finally {
      this.saving = false;
    }
  }
}
