import type { RequestCategory } from '../../../../api/contract/vocabulary.ts';
import { errorField, errorText } from '../api/errors.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import { fetchSimilar, fileRequest, meToo, uploadPhoto, type Filed, type SimilarRequest } from '../api/residents.ts';
import { shrinkPhoto } from './photo.ts';
import { keepReportToken } from '../api/report-token.ts';

export type ReportResult = Filed & { photo: 'none' | 'sent' | 'failed' };

/** The parts of the report form an error can be about (the API's `lon`/`lat` are the pin). */
export type ReportField = 'category' | 'description' | 'pin' | 'contact';
export const reportFieldOf = (apiField: string | null | undefined): ReportField | null =>
  apiField === 'lon' || apiField === 'lat' ? 'pin'
    : apiField === 'category' || apiField === 'description' || apiField === 'contact' ? apiField : null;

/**
 * One report being written: what, where, an optional photo and contact. Before it is sent it
 * looks for the same problem already reported within 50 m, so a resident can add "me too"
 * instead of filing a duplicate.
 */
export class ReportForm {
  category = $state<RequestCategory | null>(null);
  description = $state('');
  pin = $state<[number, number] | null>(null);
  pinFromLink = $state(false);
  /** the building the pin stands for (found by search, or the QR code's): staff see it (issue 10); cleared when the pin moves */
  buildingId = $state<string | null>(null);
  photo = $state<File | null>(null);
  contact = $state('');
  similar = $state<SimilarRequest[]>([]);
  meTooDone = $state<Record<string, number>>({});
  sending = $state(false);
  /** what went wrong, in the resident's language, and the field it is about (to mark it) */
  error = $state<string | null>(null);
  errorField = $state<string | null>(null);
  result = $state<ReportResult | null>(null);
  #similarController: AbortController | null = null;

  /** Looks for open requests like this one near the pin (called when category or pin change). */
  async checkSimilar() {
    this.#similarController?.abort();
    const controller = (this.#similarController = new AbortController());
    if (!this.category || !this.pin) {
      this.similar = [];
      return;
    }
    try {
      const found = await fetchSimilar(this.pin[0], this.pin[1], this.category, controller.signal);
      if (!controller.signal.aborted) this.similar = found;
    } catch {
      // the list is a courtesy: without it the resident can still file
      if (!controller.signal.aborted) this.similar = [];
    }
  }

  async addMeToo(ticket: string) {
    try {
      const { meToo: count } = await meToo(ticket);
      this.meTooDone = { ...this.meTooDone, [ticket]: count };
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown) {
    this.error = errorText(error, i18n.t);
    this.errorField = errorField(error) ?? null;
  }

  /** Checks what the API would refuse, in the resident's words, with the part of the form to fix; null when ready. */
  problem(messages: { needCategory: string; needDescription: string; needPin: string }): { field: ReportField; message: string } | null {
    if (!this.category) return { field: 'category', message: messages.needCategory };
    if (this.description.trim().length < 2) return { field: 'description', message: messages.needDescription };
    if (!this.pin) return { field: 'pin', message: messages.needPin };
    return null;
  }

  async send(channel: 'qr' | 'web' | 'rider' = 'web') {
    if (!this.category || !this.pin || this.sending) return;
    this.sending = true;
    this.error = null;
    this.errorField = null;
    try {
      const filed = await fileRequest({
        category: this.category,
        description: this.description.trim(),
        lon: this.pin[0],
        lat: this.pin[1],
        ...(this.contact.trim() ? { contact: this.contact.trim() } : {}),
        channel,
        ...(this.buildingId ? { buildingId: this.buildingId } : {}),
      });
      keepReportToken(filed.ticket, filed.reportToken);
      let photo: ReportResult['photo'] = 'none';
      if (this.photo && filed.reportToken) {
        try {
          await uploadPhoto(filed.ticket, filed.reportToken, await shrinkPhoto(this.photo));
          photo = 'sent';
        } catch {
          photo = 'failed';
        }
      } else if (this.photo) photo = 'failed';
      this.result = { ...filed, photo };
    } catch (error) {
      this.#failed(error);
    } finally {
      this.sending = false;
    }
  }
}
