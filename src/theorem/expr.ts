/**
 * Bounds are mathjs expressions over the theorem's constants, the step `k` and the engine's unit
 * roundoff `eps`. They are parsed once at load time (so a typo or an undeclared symbol is a load
 * error naming the field), evaluated per step, and rendered to TeX with the theorem's symbols.
 */
import { createRequire } from 'node:module';
import type { MathNode, EvalFunction } from 'mathjs';

// mathjs's single-file bundle loads in 0.3 s; its ESM entry (hundreds of files through the TS
// loader) takes 1.3 s, paid by every CLI call.
const { parse } = createRequire(import.meta.url)('mathjs/lib/browser/math.js') as typeof import('mathjs');

/** Symbols every expression may use besides the theorem's constants. */
export const BUILTIN_SYMBOLS: Readonly<Record<string, string>> = {
  k: 'k',
  eps: '\\varepsilon_{\\mathrm{mach}}',
  pi: '\\pi',
  e: 'e',
  Infinity: '\\infty',
};

export interface CompiledExpr {
  readonly source: string;
  readonly symbols: readonly string[];
  readonly evaluate: (scope: Record<string, number>) => number;
  readonly toTex: (texOf: Readonly<Record<string, string>>) => string;
}

export class ExprError extends Error {}

function freeSymbols(node: MathNode): string[] {
  const found = new Set<string>();
  node.traverse((n, path, parent) => {
    if (n.type !== 'SymbolNode') return;
    if (parent && parent.type === 'FunctionNode' && path === 'fn') return;
    found.add((n as unknown as { name: string }).name);
  });
  return [...found];
}

export function compileExpr(source: string, allowed: ReadonlySet<string>): CompiledExpr {
  let node: MathNode;
  try {
    node = parse(source);
  } catch (e) {
    throw new ExprError(`cannot parse "${source}": ${(e as Error).message}`);
  }
  const symbols = freeSymbols(node);
  const unknown = symbols.filter((s) => !allowed.has(s) && !(s in BUILTIN_SYMBOLS));
  if (unknown.length)
    throw new ExprError(`"${source}" uses ${unknown.map((s) => `'${s}'`).join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not a declared constant (declared: ${[...allowed].join(', ') || 'none'}; always available: ${Object.keys(BUILTIN_SYMBOLS).join(', ')})`);
  const code: EvalFunction = node.compile();
  return {
    source,
    symbols,
    evaluate(scope) {
      const v = code.evaluate({ ...scope });
      return typeof v === 'number' ? v : Number(v);
    },
    toTex(texOf) {
      return node.toTex({
        parenthesis: 'keep',
        implicit: 'hide',
        handler: (n: MathNode) => {
          if (n.type !== 'SymbolNode') return undefined;
          const name = (n as unknown as { name: string }).name;
          const tex = texOf[name] ?? BUILTIN_SYMBOLS[name];
          if (tex === undefined) return undefined;
          // Braced, or mathjs glues it to the previous token ('\cdotL_0'); a symbol whose TeX is a
          // difference or sum gets parentheses, or (1 − ημ)^k · f(x_0) − f* would misread.
          return /[+-]/.test(tex) ? `{\\left(${tex}\\right)}` : `{${tex}}`;
        },
      });
    },
  };
}
