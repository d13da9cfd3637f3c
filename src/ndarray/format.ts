// NumPy-like printing: `repr` (`array([1., 2.])`) and `str` (`[1. 2.]`), following numpy's
// arrayprint: a common width per array, shortest digits up to precision 8, scientific notation when
// the magnitudes span too much, lines wrapped at 75 characters, '...' above 1000 elements.
import type { NDArray } from './ndarray.js';
import { formatShape, stridesOf } from './shape.js';

const LINE_WIDTH = 75;
const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

type Formatter = (v: number) => string;

/** Indices shown along an axis of length n (all, or the edges around '...'). */
function shownAlong(n: number, summarize: boolean): { lead: number[]; trail: number[] } {
  if (summarize && n > 2 * EDGE_ITEMS) {
    return {
      lead: [...Array(EDGE_ITEMS).keys()],
      trail: [...Array(EDGE_ITEMS).keys()].map((i) => n - EDGE_ITEMS + i),
    };
  }
  return { lead: [...Array(n).keys()], trail: [] };
}

/** The values that will be printed (the edges only when the array is summarised). */
function shownValues(a: NDArray, summarize: boolean): number[] {
  const out: number[] = [];
  const strides = stridesOf(a.shape);
  const walk = (axis: number, off: number) => {
    if (axis === a.ndim) {
      out.push(a.data[off]);
      return;
    }
    const { lead, trail } = shownAlong(a.shape[axis], summarize);
    for (const i of [...lead, ...trail]) walk(axis + 1, off + i * strides[axis]);
  };
  walk(0, 0);
  return out;
}

function trimZeros(s: string): string {
  // '0.50000000' → '0.5', '2.00000000' → '2.' (numpy's trim='.')
  return s.includes('.') ? s.replace(/0+$/, '') : s;
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return undefined;
}

function expString(v: number, digits: number): [string, string] {
  // JavaScript writes 1.5e-7; NumPy writes 1.5e-07 (at least two exponent digits).
  const [mant, exp] = v.toExponential(digits).split('e');
  const sign = exp[0] === '-' ? '-' : '+';
  const mag = exp.replace(/^[+-]/, '');
  return [digits === 0 ? `${mant}.` : mant, `e${sign}${mag.padStart(2, '0')}`];
}

function floatFormatter(values: number[]): Formatter {
  const finite = values.filter((v) => Number.isFinite(v));
  const nonZero = finite.map(Math.abs).filter((v) => v !== 0);
  const maxVal = nonZero.length ? Math.max(...nonZero) : 0;
  const minVal = nonZero.length ? Math.min(...nonZero) : 0;
  const scientific =
    nonZero.length > 0 && (maxVal >= 1e8 || minVal < 1e-4 || maxVal / minVal > 1e3);
  let width = 0;
  let fmt: Formatter;
  if (scientific) {
    let digits = 0;
    let expLen = 0;
    for (const v of finite) {
      const [mant, exp] = expString(v, PRECISION);
      digits = Math.max(digits, (trimZeros(mant).split('.')[1] ?? '').length);
      expLen = Math.max(expLen, exp.length);
    }
    fmt = (v) => {
      const [mant, exp] = expString(v, digits);
      return mant + exp[0] + exp[1] + exp.slice(2).padStart(expLen - 2, '0');
    };
    for (const v of finite) width = Math.max(width, fmt(v).length);
  } else {
    const parts = finite.map((v) => {
      const s = trimZeros(Object.is(v, -0) ? '-0.' : v.toFixed(PRECISION));
      return s.split('.');
    });
    const padLeft = Math.max(0, ...parts.map((p) => p[0].length));
    const padRight = Math.max(0, ...parts.map((p) => p[1].length));
    fmt = (v) => {
      const [i, f] = trimZeros(Object.is(v, -0) ? '-0.' : v.toFixed(PRECISION)).split('.');
      return `${i.padStart(padLeft)}.${f.padEnd(padRight)}`;
    };
    width = padLeft + 1 + padRight;
  }
  for (const v of values) if (!Number.isFinite(v)) width = Math.max(width, special(v)!.length);
  return (v) => (special(v) ?? fmt(v)).padStart(width);
}

function formatterFor(a: NDArray, values: number[]): Formatter {
  if (a.dtype === 'bool') return (v) => (v ? ' True' : 'False');
  if (!a.isFloat) {
    const width = Math.max(0, ...values.map((v) => String(v).length));
    return (v) => String(v).padStart(width);
  }
  return floatFormatter(values);
}

/** numpy's _formatArray: nested brackets, hanging indents and wrapping at the line width. */
function formatArray(
  a: NDArray,
  fmt: Formatter,
  sep: string,
  prefix: string,
  lineWidth: number,
  summarize: boolean,
): string {
  const strides = stridesOf(a.shape);
  const extend = (
    s: string,
    line: string,
    word: string,
    width: number,
    indent: string,
  ): [string, string] => {
    if (line.length + word.length > width && line.length > indent.length) {
      return [s + line.trimEnd() + '\n', indent + word];
    }
    return [s, line + word];
  };
  const rec = (axis: number, off: number, indent: string, width: number): string => {
    if (axis === a.ndim) return fmt(a.data[off]);
    const nextIndent = indent + ' ';
    const nextWidth = width - 1;
    const { lead, trail } = shownAlong(a.shape[axis], summarize);
    const items = [
      ...lead.map((i) => i as number | null),
      ...(trail.length ? [null] : []),
      ...trail,
    ];
    let s = '';
    if (a.ndim - axis === 1) {
      const elemWidth = width - Math.max(sep.trimEnd().length, 1);
      let line = indent;
      items.forEach((i, k) => {
        const word =
          i === null ? '...' : rec(axis + 1, off + i * strides[axis], nextIndent, nextWidth);
        const last = k === items.length - 1;
        [s, line] = extend(s, line, word, last ? width : elemWidth, indent);
        if (!last) line += sep;
      });
      s += line;
    } else {
      const lineSep = sep.trimEnd() + '\n'.repeat(a.ndim - axis - 1);
      items.forEach((i, k) => {
        const nested =
          i === null ? '...' : rec(axis + 1, off + i * strides[axis], nextIndent, nextWidth);
        s += indent + nested + (k === items.length - 1 ? '' : lineSep);
      });
    }
    return '[' + s.slice(indent.length) + ']';
  };
  return rec(0, 0, ' ' + ' '.repeat(prefix.length), lineWidth);
}

function pyScalar(a: NDArray, v: number): string {
  if (a.dtype === 'bool') return v ? 'True' : 'False';
  if (!a.isFloat) return String(v);
  const s = special(v);
  if (s) return s;
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  return String(v).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** NumPy's `str(x)`, what `print(x)` shows. */
export function formatStr(a: NDArray): string {
  if (a.ndim === 0) return pyScalar(a, a.data[0]);
  if (a.size === 0) return '[]';
  const summarize = a.size > THRESHOLD;
  return formatArray(a, formatterFor(a, shownValues(a, summarize)), ' ', '', LINE_WIDTH, summarize);
}

/** NumPy's `repr(x)`: `array([...])`, with `dtype=` when it is not implied by the values. */
export function formatRepr(a: NDArray): string {
  const showDType = a.dtype === 'float32' || a.dtype === 'uint8';
  const dtypeText = `dtype=${a.dtype}`;
  if (a.size === 0) {
    const shape = a.ndim === 1 ? '' : `shape=${formatShape(a.shape).replace(/,/g, ', ')}, `;
    return `array([], ${shape}${dtypeText})`;
  }
  if (a.ndim === 0) {
    const body = formatterFor(a, [a.data[0]])(a.data[0]).trim();
    return showDType ? `array(${body}, ${dtypeText})` : `array(${body})`;
  }
  const summarize = a.size > THRESHOLD;
  const suffix = showDType ? `, ${dtypeText})` : ')';
  const body = formatArray(
    a,
    formatterFor(a, shownValues(a, summarize)),
    ', ',
    'array(',
    LINE_WIDTH - suffix.length,
    summarize,
  );
  if (!showDType) return `array(${body})`;
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  const spacer = lastLine.length + suffix.length + 6 > LINE_WIDTH ? `,\n${' '.repeat(6)}` : ', ';
  return `array(${body}${spacer}${dtypeText})`;
}
