/**
 * A small XML writer for the awsQuery and restXml replies. Values map to
 * elements: objects become nested elements, arrays become repeated
 * `<member>` children (awsQuery lists) unless `flatten` names the key, dates
 * become ISO 8601, and `undefined` or `null` is left out.
 */
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | XmlValue[]
  | { [key: string]: XmlValue };

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// Checked by tag, not instanceof, because dates from fs.stat may come from
// another realm (Jest runs modules in a VM context).
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function scalarText(value: string | number | boolean | Date): string {
  if (isDate(value)) {
    return value.toISOString();
  }
  return escapeXml(String(value));
}

/**
 * Writes `value` as the content of an element. Arrays are written as
 * `<member>` items. A key listed in `flattened` instead repeats its own
 * element for each item, as S3 does for `Contents` and `CommonPrefixes`.
 */
export function writeXmlContent(
  value: XmlValue,
  flattened: ReadonlySet<string> = new Set(),
): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (Array.isArray(value)) {
    return value
      .map(item => `<member>${writeXmlContent(item, flattened)}</member>`)
      .join('');
  }
  if (typeof value === 'object' && !isDate(value)) {
    let text = '';
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) {
        continue;
      }
      if (Array.isArray(child) && flattened.has(key)) {
        for (const item of child) {
          text += `<${key}>${writeXmlContent(item, flattened)}</${key}>`;
        }
        continue;
      }
      text += `<${key}>${writeXmlContent(child, flattened)}</${key}>`;
    }
    return text;
  }
  return scalarText(value);
}

/** Writes a whole document with one root element. */
export function writeXmlDocument(
  root: string,
  value: XmlValue,
  options: { xmlns?: string; flattened?: ReadonlySet<string> } = {},
): string {
  const xmlns = options.xmlns ? ` xmlns="${options.xmlns}"` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${xmlns}>` +
    `${writeXmlContent(value, options.flattened)}</${root}>`
  );
}
