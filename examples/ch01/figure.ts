// Where the examples' figures go (the book's plt.show(), written to files instead): out/chNN/name.png,
// or under $SCRATCHNET_OUT. Shared by the chapter examples that draw.
import * as path from 'node:path';
import type { Figure } from '../../src/plot/figure.js';
import { savefig } from '../../src/node/plot.js';

/** The output directory: `$SCRATCHNET_OUT`, or `out` in the current directory. */
export function outDir(): string {
  return process.env.SCRATCHNET_OUT || 'out';
}

/**
 * The file a chapter's figure is written to.
 * @example
 * figurePath('ch03', 'sigmoid'); // 'out/ch03/sigmoid.png' (without SCRATCHNET_OUT)
 */
export function figurePath(chapter: string, name: string): string {
  return path.join(outDir(), chapter, `${name}.png`);
}

/**
 * Writes `fig` to out/chNN/name.png (as the book's script would show it) and says so on stderr,
 * so the example's stdout stays what the book prints.
 * @returns the path written
 */
export async function showFigure(fig: Figure, chapter: string, name: string): Promise<string> {
  const file = figurePath(chapter, name);
  await savefig(fig, file);
  console.error(`wrote ${file}`);
  return file;
}
