import { i18n } from '../i18n/i18n.svelte.ts';
import { errorField, errorText } from '../api/errors.ts';
import type { KioskLink } from '../api/admin.ts';

/**
 * What the console keeps of things it issues with a secret (kiosk links, Open311 keys): the list,
 * the secret of the one just made (shown once), the error and the field it is about, and whether a
 * call is under way. The sections give the calls and the words; the rest is the same for both.
 */
export class Issued {
  items = $state<KioskLink[] | null>(null);
  made = $state<string | null>(null);
  error = $state<string | null>(null);
  field = $state<string | null>(null);
  busy = $state(false);

  constructor(private readonly calls: { list: () => Promise<KioskLink[]>; revoke: (id: number) => Promise<unknown> }) {}

  async load() {
    try {
      this.items = await this.calls.list();
    } catch (err) {
      this.error = errorText(err, i18n.t);
    }
  }

  /** Makes one by `make` (which answers its secret); true when made. */
  async create(make: () => Promise<string>): Promise<boolean> {
    this.busy = true;
    this.error = this.field = null;
    try {
      this.made = await make();
      await this.load();
      return true;
    } catch (err) {
      this.error = errorText(err, i18n.t);
      this.field = errorField(err) ?? null;
      return false;
    } finally {
      this.busy = false;
    }
  }

  async revoke(item: KioskLink, question: string) {
    if (!confirm(question)) return;
    try {
      await this.calls.revoke(item.id);
      await this.load();
    } catch (err) {
      this.error = errorText(err, i18n.t);
    }
  }
}
