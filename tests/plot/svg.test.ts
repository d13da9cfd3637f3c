// The SVG of a figure is well-formed XML with the series, labels, title and legend entries drawn.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../src/ndarray/ndarray.js';
import { Figure, imageGrid, parseFmt } from '../../src/plot/index.js';

interface Node {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Node[];
}

/** Parses SVG into a tree of {name, attrs, text, children} (fast-xml-parser's ordered form). */
function parse(svg: string): Node {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    parseTagValue: false,
  });
  const raw = parser.parse(svg) as Record<string, unknown>[];
  const convert = (item: Record<string, unknown>): Node | undefined => {
    const name = Object.keys(item).find((k) => k !== ':@');
    if (!name || name === '#text') return undefined;
    const kids = (item[name] as Record<string, unknown>[]) ?? [];
    const text = kids
      .filter((k) => '#text' in k)
      .map((k) => String(k['#text']))
      .join('');
    return {
      name,
      attrs: (item[':@'] as Record<string, string>) ?? {},
      text,
      children: kids.map(convert).filter((n): n is Node => n !== undefined),
    };
  };
  const root = raw.map(convert).find((n) => n?.name === 'svg');
  if (!root) throw new Error('no <svg> root');
  return root;
}

function all(node: Node, pred: (n: Node) => boolean): Node[] {
  const out: Node[] = pred(node) ? [node] : [];
  for (const c of node.children) out.push(...all(c, pred));
  return out;
}

const hasClass = (cls: string) => (n: Node) => (n.attrs.class ?? '').split(' ').includes(cls);

function sinCos(): Figure {
  const x = Array.from({ length: 60 }, (_, i) => i * 0.1);
  const fig = new Figure();
  const ax = fig.gca();
  ax.plot(x, x.map(Math.sin), { label: 'sin' });
  ax.plot(new NDArray(Float64Array.from(x), [60]), x.map(Math.cos), {
    lineStyle: '--',
    label: 'cos',
  });
  ax.setXLabel('x').setYLabel('y').setTitle('sin & cos').legend();
  return fig;
}

describe('Figure.toSVG', () => {
  it('draws the book’s sin/cos figure: two series, axis labels, title and legend', () => {
    const root = parse(sinCos().toSVG());
    expect(root.attrs.width).toBe('640');
    expect(root.attrs.height).toBe('480');
    const series = all(root, hasClass('series'));
    expect(series.map((s) => s.attrs['data-label'])).toEqual(['sin', 'cos']);
    expect(all(root, hasClass('title'))[0].text).toBe('sin & cos');
    expect(all(root, hasClass('xlabel'))[0].text).toBe('x');
    expect(all(root, hasClass('ylabel'))[0].text).toBe('y');
    const legend = all(root, hasClass('legend'));
    expect(legend).toHaveLength(1);
    expect(all(legend[0], (n) => n.name === 'text').map((t) => t.text)).toEqual(['sin', 'cos']);
    // The cos line is dashed, the sin line solid.
    const paths = series.map((s) => all(s, (n) => n.name === 'path')[0]);
    expect(paths[0].attrs['stroke-dasharray']).toBeUndefined();
    expect(paths[1].attrs['stroke-dasharray']).toBeDefined();
    // Colours follow matplotlib's cycle.
    expect(paths.map((p) => p.attrs.stroke)).toEqual(['#1f77b4', '#ff7f0e']);
  });

  it('labels y ticks with one number of decimals and a minus sign', () => {
    const root = parse(sinCos().toSVG());
    const labels = all(root, hasClass('yticklabels'))[0].children.map((t) => t.text);
    expect(labels).toEqual([
      '−1.00',
      '−0.75',
      '−0.50',
      '−0.25',
      '0.00',
      '0.25',
      '0.50',
      '0.75',
      '1.00',
    ]);
    const xl = all(root, hasClass('xticklabels'))[0].children.map((t) => t.text);
    expect(xl).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('escapes text and leaves unlabelled series out of the legend', () => {
    const fig = new Figure();
    const ax = fig.gca();
    ax.plot([0, 1], [0, 1], { label: '<a & "b">' });
    ax.plot([0, 1], [1, 0]);
    ax.scatter([0.5], [0.5], { label: 'point' });
    ax.legend();
    const root = parse(fig.toSVG());
    const texts = all(all(root, hasClass('legend'))[0], (n) => n.name === 'text');
    expect(texts).toHaveLength(2);
    expect(all(root, hasClass('series'))).toHaveLength(3);
  });

  it('writes an image grid as one embedded PNG per image, without axes, with titles', () => {
    const imgs = new NDArray(new Uint8Array(6 * 8 * 8), [6, 8, 8]);
    const root = parse(
      imageGrid(imgs, { cols: 3, titles: ['0', '1', '2', '3', '4', '5'] }).toSVG(),
    );
    const images = all(root, (n) => n.name === 'image');
    expect(images).toHaveLength(6);
    for (const im of images) expect(im.attrs.href).toMatch(/^data:image\/png;base64,/);
    expect(all(root, hasClass('title')).map((t) => t.text)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(all(root, hasClass('ticks'))).toHaveLength(0);
  });

  it('draws bars, histogram, contour and quiver as series', () => {
    const fig = new Figure();
    const [a, b, c, d] = fig.subplots(2, 2);
    a.bar(['a', 'b'], [1, 2]);
    b.hist([1, 2, 2, 3], { bins: 3 });
    c.contour([0, 1, 2], [0, 1, 2], (x, y) => x + y, { levels: [1, 2, 3] });
    d.quiver([0, 1], [0, 1], [1, 0], [0, 1]);
    const root = parse(fig.toSVG());
    const kinds = all(root, hasClass('series')).map((s) => s.attrs.class);
    expect(kinds).toEqual(['series bar', 'series hist', 'series contour', 'series quiver']);
    expect(all(root, hasClass('xticklabels'))[0].children.map((t) => t.text)).toEqual(['a', 'b']);
  });

  it('zooms to a requested output size through the viewBox', () => {
    const root = parse(sinCos().toSVG({ width: 1280, height: 480 }));
    expect([root.attrs.width, root.attrs.height, root.attrs.viewBox]).toEqual([
      '1280',
      '480',
      '0 0 640 240',
    ]);
  });

  it('parses matplotlib format strings', () => {
    expect(parseFmt('r--')).toEqual({ color: 'r', lineStyle: '--' });
    expect(parseFmt('o')).toEqual({ marker: 'o', lineStyle: 'none' });
    expect(parseFmt('--b')).toEqual({ color: 'b', lineStyle: '--' });
    expect(parseFmt('C1o-')).toEqual({ color: 'C1', marker: 'o', lineStyle: '-' });
    expect(() => parseFmt('q')).toThrow(
      "plot: expected a format string like 'r--' or 'o', got 'q'",
    );
  });
});
