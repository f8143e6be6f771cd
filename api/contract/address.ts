// How people write a place inside a compound — "十号院 3号楼2单元", "三号楼", "3栋2单元", the riders'
// "3-2" — read the same way by the API's search and by the rider guide offline (no network at a gate).

export type Token =
  | { kind: 'text'; text: string }
  | { kind: 'building'; number: string; raw: string }
  | { kind: 'unit'; number: string; raw: string };

const chineseDigits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 三 → 3, 十二 → 12, 二十 → 20, 二十三 → 23 (building and unit numbers only). */
function chineseNumber(s: string): number | null {
  if (/^[零〇一二两三四五六七八九]$/.test(s)) return chineseDigits[s];
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (!m) return null;
  return (m[1] ? chineseDigits[m[1]] : 1) * 10 + (m[2] ? chineseDigits[m[2]] : 0);
}

/**
 * What a resident or rider types, as tokens: "十号院 3号楼2单元" → text 十号院, building 3, unit 2.
 * Building and unit numbers must match whole (3号楼 is not 13号楼); everything else is a
 * case-insensitive substring. Full-width digits, 三号楼, 3栋, 3幢, 3#, and the riders' "3-2" work.
 */
export function tokenize(query: string): Token[] {
  let q = query.normalize('NFKC').replace(/\s+/g, ' ').trim(); // NFKC: full-width digits and spaces
  q = q.replace(/([零〇一二两三四五六七八九十]{1,3})(?=\s*(号楼|栋|幢|单元))/g, (m) => String(chineseNumber(m) ?? m));
  const tokens: Token[] = [];
  const dash = /^(\d+)\s*[-－—#]\s*(\d+)$/.exec(q);
  if (dash) {
    return [
      { kind: 'building', number: String(Number(dash[1])), raw: `${dash[1]}号楼` },
      { kind: 'unit', number: String(Number(dash[2])), raw: `${dash[2]}单元` },
    ];
  }
  const pattern = /(\d+)\s*(号楼|栋|幢|#|号(?=\s|$|\d|单元))|(\d+)\s*单元/g;
  let last = 0;
  const text = (s: string) => { for (const t of s.split(' ')) if (t.trim()) tokens.push({ kind: 'text', text: t.trim() }); };
  for (let m = pattern.exec(q); m; m = pattern.exec(q)) {
    text(q.slice(last, m.index));
    if (m[1]) tokens.push({ kind: 'building', number: String(Number(m[1])), raw: m[0].replace(/\s/g, '') });
    else tokens.push({ kind: 'unit', number: String(Number(m[3])), raw: m[0].replace(/\s/g, '') });
    last = m.index + m[0].length;
  }
  text(q.slice(last));
  return tokens;
}

const digitNames = '零一二三四五六七八九';

/** 3 → 三, 10 → 十, 11 → 十一, 20 → 二十, 23 → 二十三; beyond 99 the digits stay. */
function chineseNumeral(n: number): string {
  if (n < 10) return digitNames[n];
  if (n > 99) return String(n);
  const tens = Math.floor(n / 10), ones = n % 10;
  return `${tens === 1 ? '' : digitNames[tens]}十${ones ? digitNames[ones] : ''}`;
}

/**
 * A piece of text as people may have written it in the data: as typed, with its Chinese numerals
 * in digits (十号院 → 10号院, 二十三号院 → 23号院) and with its digits in Chinese numerals
 * (10号院 → 十号院); full-width digits read as digits. Names mix both ways, so search tries each.
 */
export function numeralVariants(text: string): string[] {
  const typed = text.normalize('NFKC');
  const digits = typed.replace(/[零〇一二两三四五六七八九十]{1,3}/g, (m) => String(chineseNumber(m) ?? m));
  const chinese = typed.replace(/\d+/g, (m) => chineseNumeral(Number(m)));
  return [...new Set([typed, digits, chinese])];
}

/** The building and unit a text names ("3号楼2单元" → 3, 2), or null when it names no building. */
export function buildingAndUnit(text: string): { building: string; unit: number | null } | null {
  const tokens = tokenize(text);
  const building = tokens.find((t) => t.kind === 'building');
  if (!building) return null;
  const unit = tokens.find((t) => t.kind === 'unit');
  return { building: building.number, unit: unit ? Number(unit.number) : null };
}
