/**
 * vega's SVG, rewritten smaller and drawn the same. vega writes every mark as its own element with
 * its full style (a grid of 20 lines is 20 `<line>`s, each with its colour, width and transform; an
 * axis label repeats its font), wraps every group in empty backgrounds, and tags everything for
 * ARIA and pointer events, which an SVG shown as an image never uses. Here the document is parsed
 * into a tree and rewritten by rules that keep what is painted:
 *
 * - attributes nothing paints with (`class`, `role`, `aria-*`, `pointer-events`), `opacity="1"`, and
 *   values equal to what the element inherits anyway (a default, or its parent's) are dropped;
 * - elements that paint nothing are dropped: `display="none"`, `opacity="0"`, an empty path, a path
 *   or rect with neither fill nor stroke, a group left empty;
 * - a group with no attributes (or only `translate(0,0)`) is replaced by its children;
 * - a run of sibling `<line>`s with the same opaque, undashed stroke becomes one `<path>` of
 *   segments (the pixels of separate opaque strokes and of one stroke over them are the same);
 * - the value of a presentation attribute most children of a group carry moves up to the group
 *   when that saves bytes (children inherit it; those that inherited another value get it written
 *   out), font attributes ignoring children whose texts do not inherit them;
 * - a symbol vega draws as a circle path moved by a translation is a `<circle>`;
 * - coordinates keep 1/100 px (vega writes up to 17 digits).
 *
 * Texts keep vega's `transform="translate(x,y)"`: placed by `x`, `y` instead, Chromium rasterises
 * some glyphs a little differently (measured on the committed plots), so that rewrite is not made.
 * Measured in headless Chromium on the 275 plots of a full check: no pixel changed except the
 * antialiasing of a few circle edges (at most 1/255 in one channel, on at most 0.002% of a plot's
 * pixels). It is a pure function of its input, so the same plot still gives the same bytes.
 */

interface Element {
  tag: string;
  attrs: Map<string, string>;
  children: Node[];
}
type Node = Element | string;

const isElement = (n: Node): n is Element => typeof n !== 'string';

/** Definitions (clip paths, gradients) are geometry referenced elsewhere: left exactly as vega wrote them. */
const DEFINITIONS = new Set(['defs', 'clipPath', 'mask', 'pattern', 'linearGradient', 'radialGradient', 'marker', 'symbol']);
const rewritable = (n: Node): n is Element => isElement(n) && !DEFINITIONS.has(n.tag);

/** Parse vega's SVG: elements, attributes in double quotes, text; no comments, CDATA or PIs. */
function parse(svg: string): Element {
  const root: Element = { tag: '#root', attrs: new Map(), children: [] };
  const stack: Element[] = [root];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let at = 0;
  for (let m = token.exec(svg); m; m = token.exec(svg)) {
    if (m.index !== at) throw new Error(`svg-compact: cannot parse the SVG at offset ${at}: ${JSON.stringify(svg.slice(at, at + 40))}`);
    at = token.lastIndex;
    const [, close, tag, attrText, selfClose, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      top.children.push(text);
      continue;
    }
    if (close) {
      if (top.tag !== tag) throw new Error(`svg-compact: </${tag}> closes <${top.tag}>`);
      stack.pop();
      continue;
    }
    const attrs = new Map<string, string>();
    for (const a of attrText.matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs.set(a[1], a[2]);
    const el: Element = { tag, attrs, children: [] };
    top.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (at !== svg.length) throw new Error(`svg-compact: cannot parse the SVG at offset ${at}`);
  if (stack.length !== 1) throw new Error(`svg-compact: <${stack[stack.length - 1].tag}> is never closed`);
  return root;
}

function serialise(n: Node): string {
  if (!isElement(n)) return n;
  const inner = n.children.map(serialise).join('');
  if (n.tag === '#root') return inner;
  const attrs = [...n.attrs].map(([k, v]) => ` ${k}="${v}"`).join('');
  return inner === '' ? `<${n.tag}${attrs}/>` : `<${n.tag}${attrs}>${inner}</${n.tag}>`;
}

/** Attributes that only say what something is, for ARIA or events: an image never uses them. */
const NOT_PAINTED = (name: string) => name === 'class' || name === 'role' || name === 'pointer-events' || name.startsWith('aria-');

/** Inherited presentation attributes, with their initial values (SVG 1.1). */
const INHERITED: Record<string, string> = {
  fill: '#000',
  'fill-opacity': '1',
  'fill-rule': 'nonzero',
  stroke: 'none',
  'stroke-width': '1',
  'stroke-opacity': '1',
  'stroke-dasharray': 'none',
  'stroke-dashoffset': '0',
  'stroke-linecap': 'butt',
  'stroke-linejoin': 'miter',
  'stroke-miterlimit': '4',
  'font-family': '',
  'font-size': '',
  'font-weight': 'normal',
  'font-style': 'normal',
  'text-anchor': 'start',
};
/** Attributes that only text uses. */
const TEXT_ONLY = new Set(['font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor']);

const normal = (name: string, value: string) => (name === 'stroke-dasharray' && value.trim() === '' ? 'none' : name === 'fill' && value === 'black' ? '#000' : value);

type Inherited = Record<string, string>;

/** Does a text in this element (or the element itself) take `name` from the element's parent? */
function inheritsInText(n: Element, name: string): boolean {
  if (n.attrs.has(name)) return false;
  return n.tag === 'text' || n.children.some((c) => isElement(c) && inheritsInText(c, name));
}

const EMPTY_BOX = /^M[\d.-]+,[\d.-]+h0v0h0Z$/;

/** Does this element paint nothing, given what it inherits? */
function paintsNothing(n: Element, inherited: Inherited): boolean {
  if (n.attrs.get('display') === 'none' || n.attrs.get('opacity') === '0' || n.attrs.get('visibility') === 'hidden') return true;
  if (n.tag !== 'path' && n.tag !== 'rect') return false;
  const fill = n.attrs.get('fill') ?? inherited.fill;
  const stroke = n.attrs.get('stroke') ?? inherited.stroke;
  const d = n.attrs.get('d');
  if (n.tag === 'path' && (d === undefined || d.trim() === '')) return true;
  if (n.tag === 'path' && d !== undefined && EMPTY_BOX.test(d) && stroke === 'none') return true;
  return fill === 'none' && stroke === 'none';
}

/** Drop unpainted attributes and elements, top down (an element's inherited values are its parent's). */
function prune(n: Element, inherited: Inherited): void {
  const kept: Node[] = [];
  for (const c of n.children) {
    if (!rewritable(c)) {
      kept.push(c);
      continue;
    }
    for (const k of [...c.attrs.keys()]) if (NOT_PAINTED(k)) c.attrs.delete(k);
    if (c.attrs.get('opacity') === '1') c.attrs.delete('opacity'); // the initial value (not inherited)
    if (paintsNothing(c, inherited)) continue;
    const own: Inherited = { ...inherited };
    for (const [k, v] of c.attrs) if (k in INHERITED) own[k] = normal(k, v);
    prune(c, own);
    if (c.tag === 'g' && c.children.length === 0) continue;
    kept.push(c);
  }
  n.children = kept;
}

/** Replace groups that do nothing by their children. */
function unwrap(n: Element): void {
  const out: Node[] = [];
  for (const c of n.children) {
    if (!rewritable(c)) {
      out.push(c);
      continue;
    }
    unwrap(c);
    if (c.tag === 'g' && c.attrs.get('transform') === 'translate(0,0)') c.attrs.delete('transform');
    if (c.tag === 'g' && c.attrs.size === 0) out.push(...c.children);
    else out.push(c);
  }
  n.children = out;
}

const num = (v: number) => {
  const r = Number(v.toFixed(2)) || 0;
  return String(r);
};

/** translate(a,b) or translate(a) as [a, b]; null for anything else. */
function translation(t: string | undefined): [number, number] | null {
  if (t === undefined) return [0, 0];
  const m = /^translate\(\s*(-?[\d.e+-]+)(?:[\s,]+(-?[\d.e+-]+))?\s*\)$/.exec(t);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : null;
}

const GEOMETRY = new Set(['transform', 'x1', 'y1', 'x2', 'y2']);

/** A line's segment as path data, or null when it is not a plain translated line. */
function segment(line: Element): string | null {
  const t = translation(line.attrs.get('transform'));
  if (!t) return null;
  const get = (k: string) => Number(line.attrs.get(k) ?? 0);
  const [x1, y1, x2, y2] = [t[0] + get('x1'), t[1] + get('y1'), t[0] + get('x2'), t[1] + get('y2')];
  if (![x1, y1, x2, y2].every(Number.isFinite)) return null;
  const start = `M${num(x1)},${num(y1)}`;
  if (num(y1) === num(y2)) return `${start}h${num(x2 - x1)}`;
  if (num(x1) === num(x2)) return `${start}v${num(y2 - y1)}`;
  return `${start}L${num(x2)},${num(y2)}`;
}

/** The attributes of a line other than its geometry, as a key; null when its stroke is not opaque or is dashed. */
function styleKey(line: Element, inherited: Inherited): string | null {
  const style = [...line.attrs].filter(([k]) => !GEOMETRY.has(k));
  const effective = (k: string) => normal(k, line.attrs.get(k) ?? inherited[k] ?? INHERITED[k]);
  if (effective('stroke-opacity') !== '1' || effective('stroke-dasharray') !== 'none' || line.attrs.has('opacity')) return null;
  return JSON.stringify(style);
}

/** Runs of sibling lines with one opaque, undashed style become one path each. */
function mergeLines(n: Element, inherited: Inherited): void {
  const own: Inherited = { ...inherited };
  for (const [k, v] of n.attrs) if (k in INHERITED) own[k] = normal(k, v);
  const out: Node[] = [];
  type Run = { key: string; attrs: [string, string][]; d: string[] };
  const state: { run: Run | null } = { run: null };
  const flush = () => {
    const run = state.run;
    if (run) out.push({ tag: 'path', attrs: new Map([['d', run.d.join('')], ...run.attrs]), children: [] });
    state.run = null;
  };
  for (const c of n.children) {
    if (isElement(c) && c.tag === 'line' && c.children.length === 0) {
      const key = styleKey(c, own);
      const d = segment(c);
      if (key !== null && d !== null) {
        if (state.run?.key !== key) flush();
        state.run ??= { key, attrs: [...c.attrs].filter(([k]) => !GEOMETRY.has(k)), d: [] };
        state.run.d.push(d);
        continue;
      }
    }
    flush();
    if (rewritable(c)) mergeLines(c, own);
    out.push(c);
  }
  flush();
  n.children = out;
}

/**
 * Move the value of a presentation attribute most children of a group carry up to the group,
 * bottom up, when that saves bytes: children with that value lose it, children that inherited
 * another value get it written out (so every child paints as before), and font attributes ignore
 * children that hold no text.
 */
function hoist(n: Element, inherited: Inherited): void {
  const own: Inherited = { ...inherited };
  for (const [k, v] of n.attrs) if (k in INHERITED) own[k] = normal(k, v);
  for (const c of n.children) if (rewritable(c)) hoist(c, own);
  if (n.tag !== 'g') return;
  const elements = n.children.filter(isElement);
  if (elements.length < 2 || elements.some((e) => !rewritable(e))) return;
  for (const name of Object.keys(INHERITED)) {
    const relevant = TEXT_ONLY.has(name) ? elements.filter((e) => e.attrs.has(name) || inheritsInText(e, name)) : elements;
    const byValue = new Map<string, number>();
    for (const e of relevant) {
      const v = e.attrs.get(name);
      if (v !== undefined) byValue.set(v, (byValue.get(v) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [v, count] of byValue) if (best === undefined || count > byValue.get(best)!) best = v;
    if (best === undefined) continue;
    const lacking = relevant.filter((e) => !e.attrs.has(name));
    const before = own[name];
    // A child that inherited an initial value with no spelling (font-size) cannot be given it back.
    if (lacking.length > 0 && before === '') continue;
    const attr = (v: string) => name.length + v.length + 4;
    const saved = byValue.get(best)! * attr(best) - lacking.length * attr(before) - attr(best) + (n.attrs.has(name) ? attr(n.attrs.get(name)!) : 0);
    if (saved <= 0) continue;
    for (const e of lacking) e.attrs.set(name, before);
    for (const e of relevant) if (e.attrs.get(name) === best) e.attrs.delete(name);
    n.attrs.set(name, best);
    own[name] = normal(name, best);
  }
}

/** A symbol vega draws as a circle path around the origin, moved by a translation: a `<circle>`. */
function circles(n: Element): void {
  for (const c of n.children) {
    if (!rewritable(c)) continue;
    circles(c);
    if (c.tag !== 'path') continue;
    const m = /^M(-?[\d.]+),0A([\d.]+),([\d.]+),0,1,1,(-?[\d.]+),0A([\d.]+),([\d.]+),0,1,1,(-?[\d.]+),0$/.exec(c.attrs.get('d') ?? '');
    const t = translation(c.attrs.get('transform'));
    if (!m || !t) continue;
    const r = m[1];
    if (![m[2], m[3], m[5], m[6], m[7]].every((v) => v === r) || m[4] !== `-${r}`) continue;
    const attrs = new Map<string, string>([['cx', num(t[0])], ['cy', num(t[1])], ['r', r]]);
    for (const [k, v] of c.attrs) if (k !== 'd' && k !== 'transform') attrs.set(k, v);
    c.tag = 'circle';
    c.attrs = attrs;
  }
}

/** Drop attributes equal to what the element inherits (a default or its parent's value). */
function dropInherited(n: Element, inherited: Inherited): void {
  for (const c of n.children) {
    if (!rewritable(c)) continue;
    const own: Inherited = { ...inherited };
    for (const [k, v] of [...c.attrs]) {
      if (!(k in INHERITED)) continue;
      if (normal(k, v) === inherited[k]) c.attrs.delete(k);
      else own[k] = normal(k, v);
    }
    dropInherited(c, own);
  }
}

const COORDINATES = new Set(['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'cx', 'cy', 'r', 'dx', 'dy']);

function roundCoordinates(n: Element): void {
  for (const c of n.children) {
    if (!isElement(c)) continue;
    for (const [k, v] of c.attrs) if (COORDINATES.has(k)) c.attrs.set(k, v.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (m) => String(Number(Number(m).toFixed(2)) || 0)));
    roundCoordinates(c);
  }
}

/** The root's inherited values: the initial ones. */
const INITIAL: Inherited = Object.fromEntries(Object.entries(INHERITED));

export function compactSvg(svg: string): string {
  const root = parse(svg);
  roundCoordinates(root);
  prune(root, INITIAL);
  unwrap(root);
  mergeLines(root, INITIAL);
  circles(root);
  hoist(root, INITIAL);
  dropInherited(root, INITIAL);
  return serialise(root);
}
