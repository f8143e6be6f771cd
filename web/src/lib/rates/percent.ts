/** A rate in [0, 1] as the reader writes a percentage, to one decimal: 87.5%. */
export const percent = (rate: number, locale: string): string =>
  new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rate);
