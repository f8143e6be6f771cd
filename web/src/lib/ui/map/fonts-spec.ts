/** The `text-font` stacks the style draws with; their names are keys of the style's `font-faces`. */
export type Fonts = { regular: string[]; bold: string[] };

export const fontNames: Fonts = {
  regular: ['Noto Sans SC Regular'],
  bold: ['Noto Sans SC Bold'],
};
