import { api, read, signalled, type Answer } from './client.ts';

// 三率 and the monthly report (docs/rates.md): staff only, by the signed-in staff member's scope.

export type RatesAnswer = Answer<typeof api.rates.$get>;
export type RateRow = RatesAnswer['rows'][number];
export type { RateBreakdown } from '../../../../api/contract/rates.ts';
export type RatesQuery = { area?: string; month?: string; from?: string; to?: string; by?: import('../../../../api/contract/rates.ts').RateBreakdown };

export type RatesTrend = Answer<typeof api.rates.trend.$get>;

export const fetchRates = (query: RatesQuery, signal?: AbortSignal) => read(api.rates.$get({ query }, signalled(signal)));

/** The twelve months ending with `month`: loaded after the month's figures (it reads a year of requests). */
export const fetchTrend = (query: { area?: string; month: string }, signal?: AbortSignal) =>
  read(api.rates.trend.$get({ query }, signalled(signal)));

/** Where the monthly report of an area downloads from (.xlsx, in the page's language). */
export const monthlyReportUrl = (month: string, area: string | undefined, lang: 'zh-CN' | 'en') => {
  const url = api.reports['monthly.xlsx'].$url({ query: { month, lang, ...(area ? { area } : {}) } });
  return url.pathname + url.search;
};
