// Text metrics of DejaVu Sans (matplotlib's default font), so layout can reserve room for labels
// without a browser or a font engine; the PNG path renders with the same font.

/** Advance widths of DejaVu Sans for U+0020..U+007E, in font units (2048 per em). */
const ASCII_ADVANCE = [
  651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303,
  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401,
  1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612,
  1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300,
  1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067,
  803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
];

/** Advance widths of a few non-ASCII characters plots use (minus sign, Greek letters, …). */
const EXTRA_ADVANCE: Record<string, number> = {
  '−': 1716,
  '×': 1716,
  '°': 1024,
  '²': 821,
  '³': 821,
  '·': 651,
  α: 1350,
  β: 1307,
  γ: 1212,
  ε: 1107,
  η: 1298,
  λ: 1212,
  μ: 1303,
  σ: 1298,
  θ: 1253,
  π: 1233,
  Δ: 1401,
  '…': 2048,
  '–': 1024,
  '—': 2048,
};

/** Units per em of DejaVu Sans. */
const UNITS_PER_EM = 2048;
/** Width assumed for characters not in the tables (DejaVu's average CJK-free advance). */
const DEFAULT_ADVANCE = 1229;

/** The font stack written into SVG: DejaVu Sans first (what the PNG path loads), then look-alikes. */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', Arial, sans-serif";

/** Height of DejaVu Sans capitals in em; used to centre text vertically on a point. */
export const CAP_HEIGHT = 0.729;

/**
 * Width in pixels of `text` set in DejaVu Sans at `fontSize` pixels (no kerning).
 * @example textWidth('0.5', 10) // 15.9 (to 0.1)
 */
export function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 32;
    if (c >= 32 && c < 127) units += ASCII_ADVANCE[c - 32];
    else units += EXTRA_ADVANCE[ch] ?? DEFAULT_ADVANCE;
  }
  return (units / UNITS_PER_EM) * fontSize;
}
