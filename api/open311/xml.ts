/**
 * GeoReport v2 XML: schemaless, no namespace, UTF-8 with the declaration (spec, "Encoding").
 * JSON and XML come from the same values (the spec's "Spark convention"): a JSON array is a
 * plural element whose children take the singular name below, an object is an element, a scalar
 * is text, null is an empty element.
 */
const itemName: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

export function toXml(root: string, value: XmlValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, '')}\n`;
}

function element(name: string, value: XmlValue, indent: string): string {
  if (value === undefined) return '';
  if (value === null || value === '') return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const child = itemName[name];
    if (!child) throw new Error(`no item name for the list <${name}>; add it to itemName`);
    if (value.length === 0) return `${indent}<${name}/>`;
    return `${indent}<${name}>\n${value.map((v) => element(child, v, `${indent}  `)).join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value).map(([k, v]) => element(k, v, `${indent}  `)).filter(Boolean);
    return children.length ? `${indent}<${name}>\n${children.join('\n')}\n${indent}</${name}>` : `${indent}<${name}/>`;
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Text safe inside an element: the five entities, and no characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
