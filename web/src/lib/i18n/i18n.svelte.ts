import { zhCN, type Messages } from './zh-CN.ts';
import { en } from './en.ts';

export type Locale = 'zh-CN' | 'en';

const catalogs: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'gridmap.locale';

/** The UI language: Chinese unless the user switched (remembered) or `?lang=en` asks otherwise. */
class I18n {
  locale = $state<Locale>(initialLocale());
  t = $derived(catalogs[this.locale]);

  toggle() {
    this.set(this.locale === 'zh-CN' ? 'en' : 'zh-CN');
  }

  set(locale: Locale) {
    this.locale = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // private mode: the choice just isn't remembered
    }
    document.documentElement.lang = locale;
    document.title = catalogs[locale].title(null);
  }
}

function initialLocale(): Locale {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // ignore
  }
  return 'zh-CN';
}

export const i18n = new I18n();
