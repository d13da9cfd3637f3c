// Registers TF.js's gradient functions, which the node build of @tensorflow/tfjs-core leaves out
// (the @tensorflow/tfjs umbrella package registers them; only tfjs-core is a dependency here).
// They ship as ES modules with extensionless and directory imports that Node's resolver rejects,
// so a resolve hook adds `.js` / `/index.js` for files under tfjs-core's dist/. The gradients
// register into tfjs-core's global registry (shared through globalThis by every copy of the code).
import { register } from 'node:module';

const HOOK = `
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  const parent = context.parentURL ?? '';
  if (parent.includes('/@tensorflow/tfjs-core/dist/') && specifier.startsWith('.')) {
    const url = new URL(specifier, parent);
    const path = fileURLToPath(url);
    if (!existsSync(path) || statSync(path).isDirectory()) {
      for (const suffix of ['.js', '/index.js']) {
        if (existsSync(path + suffix)) return next(url.href + suffix, context);
      }
    }
  }
  return next(specifier, context);
}
`;

let done: Promise<void> | undefined;

/** Registers every TF.js gradient once. */
export function registerTfjsGradients(): Promise<void> {
  done ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(HOOK)}`, import.meta.url);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  })();
  return done;
}
